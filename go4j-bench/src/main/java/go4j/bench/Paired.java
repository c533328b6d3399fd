package go4j.bench;

import go4j.Go;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Paired A/B measurement inside one JVM, for a machine whose speed drifts (the reference VM's cross-core round trip
 * flips between ≈ 70 and ≈ 330 ns within seconds, which swings two-P rows by 2× between JMH runs).
 *
 * <p>An experiment puts its alternative behind a {@code public static volatile boolean} field of some class (a
 * scratch build, not committed) that the code reads once per {@code Go.run} or on its hot path. This program runs
 * one of the {@link ChanBench} workloads over and over, flipping the field before every iteration (true, false,
 * true, …): the two iterations of a pair run a fraction of a second apart, in the same phase of the host. It prints
 * every iteration and, after the warm-up iterations, the median time of each side, the median of the per-pair
 * ratios false/true and how many pairs agree. On the reference VM this resolved 5–15 % effects that alternated
 * JMH runs could not, with 15 or more pairs; without {@code -field} (A and B the same code) it measures its own
 * noise floor, which was about ±5 % there with 17 pairs and up to ±18 % with 5.
 *
 * <pre>
 *   java --add-opens=java.base/java.lang=ALL-UNNAMED -cp go4j-bench/target/benchmarks.jar go4j.bench.Paired \
 *       WORKLOAD OPS ITERATIONS [WARMUP] [-field=pkg.Class.FIELD]
 *   WORKLOAD: PingPong | ProdCons0 | ProdCons1 | ProdCons100 | MPMC100 | Select2 | SpawnWait | Sieve1000
 *   OPS: operations per iteration (Sieve1000: sieves per iteration); -field: the toggle (without it, A and B are
 *   the same code: the ratio shows the noise floor)
 * </pre>
 */
public final class Paired {
    private Paired() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: Paired WORKLOAD OPS ITERATIONS [WARMUP] [-field=pkg.Class.FIELD]");
            System.exit(2);
        }
        String workload = args[0];
        int ops = Integer.parseInt(args[1]);
        int iterations = Integer.parseInt(args[2]);
        int warmup = iterations / 5;
        Field toggle = null;
        for (int i = 3; i < args.length; i++) {
            if (args[i].startsWith("-field=")) {
                toggle = field(args[i].substring("-field=".length()));
            } else {
                warmup = Integer.parseInt(args[i]);
            }
        }
        List<Double> on = new ArrayList<>();
        List<Double> off = new ArrayList<>();
        List<Double> ratios = new ArrayList<>();
        for (int it = 0; it < iterations; it++) {
            boolean side = it % 2 == 0;
            if (toggle != null) {
                toggle.setBoolean(null, side);
            }
            double perOp = (double) timeOnce(workload, ops) / ops;
            System.out.printf(Locale.ROOT, "%d %s %.1f ns/op%n", it, side, perOp);
            if (it < warmup) {
                continue;
            }
            if (side) {
                on.add(perOp);
            } else if (on.size() > off.size()) {
                off.add(perOp);
                ratios.add(perOp / on.get(on.size() - 1));
            }
        }
        long agree = ratios.stream().filter(r -> r > 1).count();
        System.out.printf(Locale.ROOT, "pairs=%d median true=%.1f false=%.1f ns/op; false/true median=%.3f;"
                + " true faster in %d of %d pairs%n", ratios.size(), median(on), median(off), median(ratios), agree,
                ratios.size());
    }

    private static final Leftovers LEFTOVERS = new Leftovers();

    /**
     * Runs {@code workload} once ({@code ops} operations) and returns its wall time in nanoseconds, the leftover
     * goroutines reaped outside the measured time. Used by {@link Builds} through each build's class loader.
     */
    public static long timeOnce(String workload, int ops) {
        long t0 = System.nanoTime();
        run(workload, ops, LEFTOVERS);
        long dt = System.nanoTime() - t0;
        LEFTOVERS.reap();
        return dt;
    }

    private static void run(String workload, int ops, Leftovers leftovers) {
        switch (workload) {
            case "PingPong" -> Go.run(() -> ChanBench.pingPong(ops));
            case "ProdCons0" -> Go.run(() -> ChanBench.prodCons(ops, 0));
            case "ProdCons1" -> Go.run(() -> ChanBench.prodCons(ops, 1));
            case "ProdCons100" -> Go.run(() -> ChanBench.prodCons(ops, 100));
            case "MPMC100" -> Go.run(() -> ChanBench.mpmc100(ops));
            case "Select2" -> Go.run(() -> ChanBench.select2(ops));
            case "SpawnWait" -> {
                for (int done = 0; done < ops; done += Batch.CHAN) {
                    int n = Math.min(Batch.CHAN, ops - done);
                    Go.run(() -> ChanBench.spawnWait(n)); // JMH's batch: 10,000 goroutines per run
                }
            }
            case "Sieve1000" -> {
                for (int i = 0; i < ops; i++) {
                    int[] last = new int[1];
                    Go.run(() -> last[0] = ChanBench.sieve(1000, leftovers));
                    Batch.check(last[0]);
                    leftovers.reap();
                }
            }
            default -> throw new IllegalArgumentException("unknown workload " + workload);
        }
    }

    private static Field field(String spec) throws ReflectiveOperationException {
        int dot = spec.lastIndexOf('.');
        Field f = Class.forName(spec.substring(0, dot)).getField(spec.substring(dot + 1));
        int m = f.getModifiers();
        if (!Modifier.isStatic(m) || Modifier.isFinal(m) || f.getType() != boolean.class) {
            throw new IllegalArgumentException(spec + " is not a public static non-final boolean field");
        }
        return f;
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
