package go4j.bench.xsync;

import go4j.Go;
import go4j.sync.errgroup.Group;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * errgroup: x/sync's {@code BenchmarkGo} (one {@code g.Go} of an empty task per op, then one {@code Wait}), and the
 * same with {@code SetLimit}, run as a Go program over a batch.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ErrgroupBench {
    static final int N = 10_000;

    /** {@code g := &errgroup.Group{}; for i < b.N { g.Go(func() error { fn(); return nil }) }; g.Wait()}. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void Go() {
        Go.run(() -> {
            Group g = new Group();
            for (int i = 0; i < N; i++) {
                g.go(() -> null);
            }
            g.await();
        });
    }

    /** As {@link #Go}, with {@code g.SetLimit(GOMAXPROCS)}: every op also passes the token channel. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void GoLimit() {
        Go.run(() -> {
            Group g = new Group();
            g.setLimit(Runtime.getRuntime().availableProcessors());
            for (int i = 0; i < N; i++) {
                g.go(() -> null);
            }
            g.await();
        });
    }
}
