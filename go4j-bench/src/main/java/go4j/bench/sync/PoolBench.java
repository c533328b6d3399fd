package go4j.bench.sync;

import go4j.sync.Pool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * Go's BenchmarkPool (RunParallel: p.Put(1); p.Get()) against a {@link ConcurrentLinkedQueue} used as a free list
 * (the usual j.u.c stand-in for an object pool).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
@Threads(2)
public class PoolBench {
    static final Integer ONE = 1;

    @State(Scope.Benchmark)
    public static class Shared {
        final Pool<Integer> pool = new Pool<>();
        final ConcurrentLinkedQueue<Integer> clq = new ConcurrentLinkedQueue<>();
    }

    @Benchmark
    public Integer Pool(Shared s) {
        s.pool.put(ONE);
        return s.pool.get();
    }

    @Benchmark
    public Integer Pool_ConcurrentLinkedQueue(Shared s) {
        s.clq.offer(ONE);
        return s.clq.poll();
    }
}
