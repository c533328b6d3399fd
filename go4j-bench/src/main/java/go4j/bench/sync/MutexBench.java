package go4j.bench.sync;

import go4j.sync.Mutex;
import go4j.sync.WaitGroup;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Go's mutex benchmarks: MutexContended (the shared anchor, /work/shared/anchors/go/bench_test.go: 4 goroutines,
 * tiny critical section) and MutexUncontended (Go's sync/mutex_test.go: one mutex per thread), against
 * {@link ReentrantLock}. ns/op = per lock/unlock pair.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
public class MutexBench {
    static final int G = 4;
    static final int PER = 25_000;

    @State(Scope.Benchmark)
    public static class Shared {
        final Mutex mu = new Mutex();
        final ReentrantLock rl = new ReentrantLock();
        long x;
    }

    /** Anchor MutexContended: 4 goroutines × PER lock/x++/unlock, waited for with a WaitGroup. */
    @Benchmark
    @OperationsPerInvocation(G * PER)
    public long MutexContended(Shared s) {
        WaitGroup wg = new WaitGroup();
        Mutex mu = s.mu;
        for (int i = 0; i < G; i++) {
            wg.go(() -> {
                for (int j = 0; j < PER; j++) {
                    mu.lock();
                    s.x++;
                    mu.unlock();
                }
            });
        }
        wg.await();
        return s.x;
    }

    /** The same workload with ReentrantLock (non-fair) on virtual threads. */
    @Benchmark
    @OperationsPerInvocation(G * PER)
    public long MutexContended_ReentrantLock(Shared s) throws InterruptedException {
        Thread[] ts = new Thread[G];
        ReentrantLock rl = s.rl;
        for (int i = 0; i < G; i++) {
            ts[i] = Thread.ofVirtual().start(() -> {
                for (int j = 0; j < PER; j++) {
                    rl.lock();
                    s.x++;
                    rl.unlock();
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        return s.x;
    }

    @State(Scope.Thread)
    public static class Own {
        final Mutex mu = new Mutex();
        final ReentrantLock rl = new ReentrantLock();
    }

    /** Go's BenchmarkMutexUncontended: each thread locks its own mutex. */
    @Benchmark
    @Threads(2)
    public void MutexUncontended(Own o) {
        o.mu.lock();
        o.mu.unlock();
    }

    @Benchmark
    @Threads(2)
    public void MutexUncontended_ReentrantLock(Own o) {
        o.rl.lock();
        o.rl.unlock();
    }
}
