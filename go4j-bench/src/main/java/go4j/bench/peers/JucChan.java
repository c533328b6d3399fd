package go4j.bench.peers;

import go4j.bench.Batch;
import go4j.bench.Leftovers;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * java.util.concurrent on virtual threads, on the same workloads as {@link go4j.bench.ChanBench}: an unbuffered
 * channel is a {@link SynchronousQueue}, a buffered one an {@link ArrayBlockingQueue}; {@code close} is a poison
 * value (queues cannot be closed); {@code go} is a virtual thread. j.u.c. has no select over several queues, so
 * there is no Select2; SelectDefault is {@code poll()} on an empty SynchronousQueue (a non-blocking receive, which
 * is what a one-case select with default is).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class JucChan {
    /** The poison value that stands for close(ch). */
    private static final Object CLOSED = new Object();

    @State(Scope.Thread)
    public static class SieveState {
        final Leftovers leftovers = new Leftovers();

        @TearDown(Level.Invocation)
        public void reap() {
            leftovers.reap();
        }
    }

    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void PingPong() {
        VThreads.run(() -> pingPong(Batch.CHAN));
    }

    static void pingPong(int n) throws InterruptedException {
        SynchronousQueue<Object> ping = new SynchronousQueue<>(), pong = new SynchronousQueue<>();
        VThreads.go(() -> {
            Object v;
            while ((v = ping.take()) != CLOSED) {
                pong.put(v);
            }
        });
        for (int i = 0; i < n; i++) {
            ping.put(i);
            pong.take();
        }
        ping.put(CLOSED);
    }

    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void ProdCons0() {
        VThreads.run(() -> prodCons(Batch.CHAN, new SynchronousQueue<>()));
    }

    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void ProdCons1() {
        VThreads.run(() -> prodCons(Batch.CHAN, new ArrayBlockingQueue<>(1)));
    }

    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void ProdCons100() {
        VThreads.run(() -> prodCons(Batch.CHAN, new ArrayBlockingQueue<>(100)));
    }

    static void prodCons(int n, BlockingQueue<Object> ch) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        VThreads.go(() -> {
            while (ch.take() != CLOSED) {
                // drain
            }
            done.countDown();
        });
        for (int i = 0; i < n; i++) {
            ch.put(i);
        }
        ch.put(CLOSED);
        done.await();
    }

    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void MPMC100() {
        VThreads.run(() -> mpmc100(Batch.CHAN));
    }

    static void mpmc100(int n) throws InterruptedException {
        int p = Batch.GOMAXPROCS * 2;
        ArrayBlockingQueue<Integer> ch = new ArrayBlockingQueue<>(100);
        CountDownLatch wg = new CountDownLatch(2 * p);
        int per = n / p;
        for (int i = 0; i < p; i++) {
            VThreads.go(() -> {
                for (int j = 0; j < per; j++) {
                    ch.put(j);
                }
                wg.countDown();
            });
            VThreads.go(() -> {
                for (int j = 0; j < per; j++) {
                    ch.take();
                }
                wg.countDown();
            });
        }
        wg.await();
    }

    private final SynchronousQueue<Integer> empty = new SynchronousQueue<>();

    /** Non-blocking receive on an empty SynchronousQueue, on JMH's thread (it never blocks). */
    @Benchmark
    public Object SelectDefault() {
        return empty.poll();
    }

    /** Spawn a virtual thread and wait for it (a latch stands for sync.WaitGroup). */
    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void SpawnWait() {
        VThreads.run(() -> spawnWait(Batch.CHAN));
    }

    static void spawnWait(int n) throws InterruptedException {
        CountDownLatch wg = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Thread.ofVirtual().start(wg::countDown);
        }
        wg.await();
    }

    @Benchmark
    public int Sieve1000(SieveState s) {
        int[] last = new int[1];
        VThreads.run(() -> last[0] = sieve(1000, s.leftovers));
        Batch.check(last[0]);
        return last[0];
    }

    static int sieve(int n, Leftovers leftovers) throws InterruptedException {
        SynchronousQueue<Integer> gen = new SynchronousQueue<>();
        leftovers.add(VThreads.go(() -> {
            for (int i = 2; ; i++) {
                gen.put(i);
            }
        }));
        SynchronousQueue<Integer> ch = gen;
        int last = 0;
        for (int i = 0; i < n; i++) {
            int prime = ch.take();
            last = prime;
            SynchronousQueue<Integer> in = ch, out = new SynchronousQueue<>();
            leftovers.add(VThreads.go(() -> {
                while (true) {
                    int v = in.take();
                    if (v % prime != 0) {
                        out.put(v);
                    }
                }
            }));
            ch = out;
        }
        return last;
    }
}
