package go4j.bench.xsync;

import go4j.Chan;
import go4j.Go;
import go4j.sync.WaitGroup;
import go4j.sync.errgroup.Group;
import go4j.sync.workerpool.WorkerPool;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * Bounded-concurrency throughput: N tasks, at most {@link #LIMIT} at once, the submitter waits for all. One op is
 * one task; each task does {@code work} ns of CPU (0 = an empty task, the pure overhead). The five ways:
 * go4j's WorkerPool, errgroup with setLimit, a buffered channel as semaphore + WaitGroup, a fixed thread pool
 * ({@code Executors.newFixedThreadPool}), and a virtual-thread-per-task executor throttled by a
 * {@link Semaphore}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class PoolBench {
    static final int N = 10_000;
    static final int LIMIT = 4;
    static final int QUEUE = 64;

    @Param({"0", "1000"})
    public int work;

    final LongAdder sink = new LongAdder();

    void task() {
        if (work > 0) {
            long end = System.nanoTime() + work;
            while (System.nanoTime() - end < 0) {
                Thread.onSpinWait();
            }
        }
        sink.increment();
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void WorkerPool() {
        Go.run(() -> {
            try (WorkerPool pool = WorkerPool.create(LIMIT, QUEUE)) {
                for (int i = 0; i < N; i++) {
                    pool.submit(() -> {
                        task();
                        return null;
                    });
                }
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void ErrgroupSetLimit() {
        Go.run(() -> {
            Group g = new Group();
            g.setLimit(LIMIT);
            for (int i = 0; i < N; i++) {
                g.go(() -> {
                    task();
                    return null;
                });
            }
            g.await();
        });
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void ChanSemaphoreWaitGroup() {
        Go.run(() -> {
            Chan<Object> sem = Chan.make(LIMIT);
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < N; i++) {
                sem.send(Boolean.TRUE);
                wg.add(1);
                Go.go(() -> {
                    try {
                        task();
                    } finally {
                        sem.recv();
                        wg.done();
                    }
                });
            }
            wg.await();
        });
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void FixedThreadPool() throws InterruptedException {
        ExecutorService ex = Executors.newFixedThreadPool(LIMIT);
        for (int i = 0; i < N; i++) {
            ex.execute(this::task);
        }
        ex.shutdown();
        ex.awaitTermination(1, TimeUnit.MINUTES);
    }

    @Benchmark
    @OperationsPerInvocation(N)
    public void VirtualThreadsWithSemaphore() throws InterruptedException {
        Semaphore sem = new Semaphore(LIMIT);
        try (ExecutorService ex = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < N; i++) {
                sem.acquire();
                ex.execute(() -> {
                    try {
                        task();
                    } finally {
                        sem.release();
                    }
                });
            }
        }
    }
}
