package go4j.bench.xsync;

import go4j.Go;
import go4j.sync.WaitGroup;
import go4j.sync.singleflight.Group;
import go4j.sync.singleflight.Result;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * singleflight: one uncontended {@code Do} per op (map insert, call, map delete), and a hot key — 8 goroutines
 * calling {@code Do} on one key whose function costs ~2 µs, so that most calls join a call in flight.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class SingleflightBench {
    static final int N = 20_000;
    static final int GOROUTINES = 8;

    final Group<String, Integer> g = new Group<>();
    final Result<Integer> one = Result.of(1);

    /** One doCall with no duplicates. */
    @Benchmark
    public Result<Integer> DoUncontended() {
        return g.doCall("key", () -> one);
    }

    /** Hot key: 8 goroutines, N doCalls in all; the function spins ~2 µs (a cache load). */
    @Benchmark
    @OperationsPerInvocation(N)
    public void DoHotKey() {
        Go.run(() -> {
            Group<String, Integer> hot = new Group<>();
            WaitGroup wg = new WaitGroup();
            wg.add(GOROUTINES);
            for (int k = 0; k < GOROUTINES; k++) {
                Go.go(() -> {
                    for (int i = 0; i < N / GOROUTINES; i++) {
                        hot.doCall("hot", () -> {
                            long end = System.nanoTime() + 2_000;
                            while (System.nanoTime() - end < 0) {
                                Thread.onSpinWait();
                            }
                            return one;
                        });
                    }
                    wg.done();
                });
            }
            wg.await();
        });
    }
}
