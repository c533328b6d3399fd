package go4j.bench.xsync;

import go4j.Go;
import go4j.context.Context;
import go4j.sync.WaitGroup;
import go4j.sync.semaphore.Weighted;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * semaphore.Weighted: an uncontended acquire(1)+release(1) (x/sync's {@code BenchmarkAcquireSeq}), and a contended
 * one — 4 goroutines sharing 2 units — against {@link java.util.concurrent.Semaphore} (fair, FIFO like Weighted) on
 * virtual threads.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class SemaphoreBench {
    static final int N = 100_000;
    static final int GOROUTINES = 4;
    static final int SIZE = 2;

    final Weighted sem = new Weighted(1);
    final Context bg = Context.background();
    final Semaphore juc = new Semaphore(1, true);

    /** Uncontended acquire(ctx, 1) + release(1) on one thread. */
    @Benchmark
    public void AcquireReleaseUncontended() {
        sem.acquire(bg, 1);
        sem.release(1);
    }

    /** The same on a fair j.u.c. Semaphore. */
    @Benchmark
    public void JucSemaphoreUncontended() throws InterruptedException {
        juc.acquire();
        juc.release();
    }

    /** 4 goroutines, weight 2 in all, acquire(1) + release(1) per op. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void AcquireReleaseContended() {
        Go.run(() -> {
            Weighted s = new Weighted(SIZE);
            WaitGroup wg = new WaitGroup();
            wg.add(GOROUTINES);
            for (int g = 0; g < GOROUTINES; g++) {
                Go.go(() -> {
                    for (int i = 0; i < N / GOROUTINES; i++) {
                        s.acquire(bg, 1);
                        s.release(1);
                    }
                    wg.done();
                });
            }
            wg.await();
        });
    }

    /** The same with a fair j.u.c. Semaphore on virtual threads. */
    @Benchmark
    @OperationsPerInvocation(N)
    public void JucSemaphoreContended() throws InterruptedException {
        Semaphore s = new Semaphore(SIZE, true);
        Thread[] ts = new Thread[GOROUTINES];
        for (int g = 0; g < GOROUTINES; g++) {
            ts[g] = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < N / GOROUTINES; i++) {
                        s.acquire();
                        s.release();
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
    }
}
