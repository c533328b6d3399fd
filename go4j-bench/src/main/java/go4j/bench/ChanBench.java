package go4j.bench;

import static go4j.Select.defaultCase;
import static go4j.Select.recv;
import static go4j.Select.select;

import go4j.Chan;
import go4j.Go;

import java.util.concurrent.CountDownLatch;
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
 * go4j on Go's channel, select and goroutine anchors: each method is the Go benchmark of the same name, ported line
 * by line (Go's code in the comments), run as a Go program ({@link Go#run}) over a batch of operations.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ChanBench {
    /** Sieve1000's leftover goroutines, ended after each invocation (a fixture only Sieve1000 uses). */
    @State(Scope.Thread)
    public static class SieveState {
        final Leftovers leftovers = new Leftovers();

        @TearDown(Level.Invocation)
        public void reap() {
            leftovers.reap();
        }
    }

    /** Unbuffered ping-pong between two goroutines: one round trip per op. */
    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void PingPong() {
        Go.run(() -> pingPong(Batch.CHAN));
    }

    static void pingPong(int n) {
        Chan<Integer> ping = Chan.make(), pong = Chan.make();
        Go.go(() -> {
            for (Integer v : ping) {
                pong.send(v);
            }
        });
        for (int i = 0; i < n; i++) {
            ping.send(i);
            pong.recv();
        }
        ping.close();
    }

    /** One producer, one consumer, one item per op through an unbuffered channel. */
    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void ProdCons0() {
        Go.run(() -> prodCons(Batch.CHAN, 0));
    }

    /** One producer, one consumer, one item per op through a channel of capacity 1. */
    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void ProdCons1() {
        Go.run(() -> prodCons(Batch.CHAN, 1));
    }

    /** One producer, one consumer, one item per op through a channel of capacity 100. */
    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void ProdCons100() {
        Go.run(() -> prodCons(Batch.CHAN, 100));
    }

    static void prodCons(int n, int c) {
        Chan<Integer> ch = Chan.make(c);
        Chan<Object> done = Chan.make();
        Go.go(() -> {
            for (Integer ignored : ch) {
                // drain
            }
            done.close();
        });
        for (int i = 0; i < n; i++) {
            ch.send(i);
        }
        ch.close();
        done.recv();
    }

    /** GOMAXPROCS*2 producers and as many consumers on one channel of capacity 100; one item per op. */
    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void MPMC100() {
        Go.run(() -> mpmc100(Batch.CHAN));
    }

    static void mpmc100(int n) {
        int p = Batch.GOMAXPROCS * 2;
        Chan<Integer> ch = Chan.make(100);
        CountDownLatch wg = new CountDownLatch(2 * p); // sync.WaitGroup
        int per = n / p;
        for (int i = 0; i < p; i++) {
            Go.go(() -> {
                for (int j = 0; j < per; j++) {
                    ch.send(j);
                }
                wg.countDown();
            });
            Go.go(() -> {
                for (int j = 0; j < per; j++) {
                    ch.recv();
                }
                wg.countDown();
            });
        }
        awaitUninterruptibly(wg);
    }

    /** Select over two buffered channels, one producer feeding each; one select per op. */
    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void Select2() {
        Go.run(() -> select2(Batch.CHAN));
    }

    static void select2(int n) {
        Chan<Integer> a = Chan.make(16), c = Chan.make(16);
        Go.go(() -> {
            for (int i = 0; i < n / 2; i++) {
                a.send(i);
            }
        });
        Go.go(() -> {
            for (int i = 0; i < n - n / 2; i++) {
                c.send(i);
            }
        });
        for (int i = 0; i < n; i++) {
            select(recv(a), recv(c));
        }
    }

    private final Chan<Integer> empty = Chan.make();

    /**
     * Non-blocking select on an empty unbuffered channel. It never blocks, so it runs on JMH's thread, one select
     * per invocation (the precise way to time a few nanoseconds).
     */
    @Benchmark
    public int SelectDefault() {
        return select(recv(empty), defaultCase());
    }

    private final Chan<Integer> ready1 = Chan.make(1), ready2 = Chan.make(1);
    private final Integer item = 1;

    /**
     * Not a Go anchor: the cost of one select over two buffered channels when a case is ready (a buffered send,
     * then a select whose other case is empty), on one thread, without the scheduling noise of {@link #Select2}.
     */
    @Benchmark
    public int SelectReady2() {
        ready1.send(item);
        return select(recv(ready1), recv(ready2));
    }

    /** Spawn a goroutine and wait for it: one spawn per op (a latch stands for sync.WaitGroup). */
    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void SpawnWait() {
        Go.run(() -> spawnWait(Batch.CHAN));
    }

    static void spawnWait(int n) {
        CountDownLatch wg = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Go.go(wg::countDown);
        }
        awaitUninterruptibly(wg);
    }

    /** The concurrent prime sieve: the first 1000 primes per op (checks 7919). */
    @Benchmark
    public int Sieve1000(SieveState s) {
        int[] last = new int[1];
        Go.run(() -> last[0] = sieve(1000, s.leftovers));
        Batch.check(last[0]);
        return last[0];
    }

    /**
     * Go's sieve: a generator and one filter goroutine per prime, all left blocked when it returns (the program's
     * end interrupts them; {@link SieveState#reap} waits, outside the measured time, until they have exited).
     */
    static int sieve(int n, Leftovers leftovers) {
        Chan<Integer> gen = Chan.make();
        leftovers.spawned();
        Go.go(() -> {
            try {
                for (int i = 2; ; i++) {
                    gen.send(i);
                }
            } finally {
                leftovers.exited();
            }
        });
        Chan<Integer> ch = gen;
        int last = 0;
        for (int i = 0; i < n; i++) {
            int prime = ch.recv();
            last = prime;
            Chan<Integer> in = ch, out = Chan.make();
            leftovers.spawned();
            Go.go(() -> {
                try {
                    while (true) {
                        int v = in.recv();
                        if (v % prime != 0) {
                            out.send(v);
                        }
                    }
                } finally {
                    leftovers.exited();
                }
            });
            ch = out;
        }
        return last;
    }

    static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            throw new IllegalStateException("interrupted", e);
        }
    }
}
