package go4j.bench.peers;

import go4j.bench.Batch;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * java.util.concurrent baselines for Go's sync anchors, on virtual threads: MutexContended with a
 * {@link ReentrantLock}, SyncMapLoad with a {@link ConcurrentHashMap}. go4j's own sync.Mutex and sync.Map rows
 * come from classes under {@code go4j.bench.sync} with the same method names.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class JucSync {
    /** Mutex under contention from 4 threads doing a tiny critical section; one lock/unlock per op. */
    @Benchmark
    @OperationsPerInvocation(Batch.CHEAP)
    public int MutexContended() {
        int[] x = new int[1];
        VThreads.run(() -> x[0] = mutexContended(Batch.CHEAP));
        return x[0];
    }

    static int mutexContended(int n) throws InterruptedException {
        ReentrantLock mu = new ReentrantLock();
        int[] x = {0}; // guarded by mu
        int g = 4;
        CountDownLatch wg = new CountDownLatch(g);
        int per = n / g;
        for (int i = 0; i < g; i++) {
            Thread.ofVirtual().start(() -> {
                for (int j = 0; j < per; j++) {
                    mu.lock();
                    x[0]++;
                    mu.unlock();
                }
                wg.countDown();
            });
        }
        wg.await();
        mu.lock();
        try {
            if (x[0] != per * g) {
                throw new AssertionError("lost increments: " + x[0]);
            }
            return x[0];
        } finally {
            mu.unlock();
        }
    }

    private static final int KEYS = 1024;
    private final ConcurrentHashMap<Integer, Integer> map = new ConcurrentHashMap<>();
    /** Boxed keys made once: the loop measures the map, not Integer.valueOf. */
    private final Integer[] keys = new Integer[KEYS];

    public JucSync() {
        for (int i = 0; i < KEYS; i++) {
            keys[i] = i;
            map.put(i, i);
        }
    }

    /**
     * Mostly reads of a stable key set, from GOMAXPROCS threads (Go's b.RunParallel): ns/op is wall time over the
     * total number of loads, as in Go.
     */
    @Benchmark
    @OperationsPerInvocation(Batch.CHEAP * 10)
    public long SyncMapLoad() {
        long[] sum = new long[1];
        VThreads.run(() -> sum[0] = syncMapLoad(Batch.CHEAP * 10));
        return sum[0];
    }

    private long syncMapLoad(int n) throws InterruptedException {
        int p = Batch.GOMAXPROCS;
        int per = n / p;
        long[] sums = new long[p * 16]; // one slot per thread, 128 bytes apart
        CountDownLatch wg = new CountDownLatch(p);
        for (int t = 0; t < p; t++) {
            int slot = t * 16;
            Thread.ofVirtual().start(() -> {
                long s = 0;
                for (int i = 0; i < per; i++) {
                    s += map.get(keys[i & (KEYS - 1)]);
                }
                sums[slot] = s;
                wg.countDown();
            });
        }
        wg.await();
        long total = 0;
        for (long s : sums) {
            total += s;
        }
        return total;
    }
}
