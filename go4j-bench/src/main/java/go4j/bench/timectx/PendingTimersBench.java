package go4j.bench.timectx;

import go4j.time.Time;
import go4j.time.Timer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One million pending timers: the time to arm them (single shot, ms) and, through {@link #main}, the heap they
 * retain (bytes per pending timer, after a full GC) — the figure the ADR compares with Go's.
 *
 * <p>Run the memory figure with {@code java -cp <bench classpath> go4j.bench.timectx.PendingTimersBench}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@State(Scope.Benchmark)
public class PendingTimersBench {
    static final int N = 1_000_000;

    @Param({"chan", "func"})
    public String kind;

    private Timer[] timers;

    @Setup(Level.Iteration)
    public void setup() {
        timers = new Timer[N];
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
        for (Timer t : timers) {
            if (t != null) {
                t.stop();
            }
        }
        timers = null;
    }

    @Benchmark
    public Timer[] Pending1M() {
        return fill(timers, kind);
    }

    static Timer[] fill(Timer[] ts, String kind) {
        boolean chan = kind.equals("chan");
        for (int i = 0; i < ts.length; i++) {
            Duration d = Duration.ofSeconds(3600 + (i % 3600));
            ts[i] = chan ? Time.newTimer(d) : Time.afterFunc(d, PendingTimersBench::noop);
        }
        return ts;
    }

    static void noop() {}

    private static long usedAfterGc() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) {
            System.gc();
            Thread.sleep(100);
            best = Math.min(best, rt.totalMemory() - rt.freeMemory());
        }
        return best;
    }

    /** Prints the retained heap per pending timer for both kinds. */
    public static void main(String[] args) throws Exception {
        for (String kind : new String[] {"chan", "func", "chan"}) {
            long before = usedAfterGc();
            long c0 = System.nanoTime();
            Timer[] ts = fill(new Timer[N], kind);
            long created = System.nanoTime() - c0;
            long after = usedAfterGc();
            System.out.printf("%s timers: %,d pending, %.1f bytes retained per timer (Timer object included),"
                    + " %.0f ns per create%n", kind, N, (after - before) / (double) N, created / (double) N);
            long t0 = System.nanoTime();
            for (Timer t : ts) {
                t.stop();
            }
            System.out.printf("  stopping all: %.1f ns per stop%n", (System.nanoTime() - t0) / (double) N);
            ts = null;
            System.out.printf("  after stop + GC: %.1f bytes per timer left%n", (usedAfterGc() - before) / (double) N);
        }
    }
}
