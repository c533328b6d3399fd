package go4j.bench;

/** Operations per JMH invocation for the batched (b.N-driven) workloads; see the package doc. */
public final class Batch {
    private Batch() {}

    /** Channel workloads and spawns: ~1–20 ms per invocation, so setup is well under 1% of it. */
    public static final int CHAN = 10_000;
    /** Cheap operations (a lock, a map read): more of them per invocation. */
    public static final int CHEAP = 100_000;

    /** Go's {@code runtime.GOMAXPROCS(0)}. */
    public static final int GOMAXPROCS = Runtime.getRuntime().availableProcessors();

    /** Go's Sieve1000 result: the 1000th prime. */
    public static final int PRIME_1000 = 7919;

    public static void check(int got) {
        if (got != PRIME_1000) {
            throw new AssertionError("wrong prime " + got);
        }
    }
}
