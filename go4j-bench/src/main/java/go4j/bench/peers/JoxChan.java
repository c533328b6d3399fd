package go4j.bench.peers;

import com.softwaremill.jox.Channel;
import com.softwaremill.jox.ChannelClosed;
import com.softwaremill.jox.Select;

import go4j.bench.Batch;
import go4j.bench.Leftovers;

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
 * jox 1.0.1 (com.softwaremill.jox channels on virtual threads) on the same workloads as
 * {@link go4j.bench.ChanBench}, written as the Go code is. jox has no goroutine abstraction of its own (SpawnWait
 * would be the j.u.c. row again), so it has no SpawnWait.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class JoxChan {
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
        Channel<Integer> ping = Channel.newRendezvousChannel(), pong = Channel.newRendezvousChannel();
        VThreads.go(() -> {
            while (true) {
                Object v = ping.receiveOrClosed();
                if (v instanceof ChannelClosed) {
                    return;
                }
                pong.send((Integer) v);
            }
        });
        for (int i = 0; i < n; i++) {
            ping.send(i);
            pong.receive();
        }
        ping.done();
    }

    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void ProdCons0() {
        VThreads.run(() -> prodCons(Batch.CHAN, Channel.newRendezvousChannel()));
    }

    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void ProdCons1() {
        VThreads.run(() -> prodCons(Batch.CHAN, Channel.newBufferedChannel(1)));
    }

    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void ProdCons100() {
        VThreads.run(() -> prodCons(Batch.CHAN, Channel.newBufferedChannel(100)));
    }

    static void prodCons(int n, Channel<Integer> ch) throws InterruptedException {
        Channel<Object> done = Channel.newRendezvousChannel();
        VThreads.go(() -> {
            while (!(ch.receiveOrClosed() instanceof ChannelClosed)) {
                // drain
            }
            done.done();
        });
        for (int i = 0; i < n; i++) {
            ch.send(i);
        }
        ch.done();
        done.receiveOrClosed();
    }

    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void MPMC100() {
        VThreads.run(() -> mpmc100(Batch.CHAN));
    }

    static void mpmc100(int n) throws InterruptedException {
        int p = Batch.GOMAXPROCS * 2;
        Channel<Integer> ch = Channel.newBufferedChannel(100);
        CountDownLatch wg = new CountDownLatch(2 * p);
        int per = n / p;
        for (int i = 0; i < p; i++) {
            VThreads.go(() -> {
                for (int j = 0; j < per; j++) {
                    ch.send(j);
                }
                wg.countDown();
            });
            VThreads.go(() -> {
                for (int j = 0; j < per; j++) {
                    ch.receive();
                }
                wg.countDown();
            });
        }
        wg.await();
    }

    @Benchmark
    @OperationsPerInvocation(Batch.CHAN)
    public void Select2() {
        VThreads.run(() -> select2(Batch.CHAN));
    }

    static void select2(int n) throws InterruptedException {
        Channel<Integer> a = Channel.newBufferedChannel(16), c = Channel.newBufferedChannel(16);
        VThreads.go(() -> {
            for (int i = 0; i < n / 2; i++) {
                a.send(i);
            }
        });
        VThreads.go(() -> {
            for (int i = 0; i < n - n / 2; i++) {
                c.send(i);
            }
        });
        for (int i = 0; i < n; i++) {
            Select.select(a.receiveClause(), c.receiveClause());
        }
    }

    private final Channel<Integer> empty = Channel.newRendezvousChannel();
    private static final Object NONE = new Object();

    /** Non-blocking select on an empty rendezvous channel, on JMH's thread (it never blocks). */
    @Benchmark
    public Object SelectDefault() throws InterruptedException {
        return Select.<Object>select(empty.receiveClause(), Select.defaultClause(NONE));
    }

    @Benchmark
    public int Sieve1000(SieveState s) {
        int[] last = new int[1];
        VThreads.run(() -> last[0] = sieve(1000, s.leftovers));
        Batch.check(last[0]);
        return last[0];
    }

    static int sieve(int n, Leftovers leftovers) throws InterruptedException {
        Channel<Integer> gen = Channel.newRendezvousChannel();
        leftovers.add(VThreads.go(() -> {
            for (int i = 2; ; i++) {
                gen.send(i);
            }
        }));
        Channel<Integer> ch = gen;
        int last = 0;
        for (int i = 0; i < n; i++) {
            int prime = ch.receive();
            last = prime;
            Channel<Integer> in = ch, out = Channel.newRendezvousChannel();
            leftovers.add(VThreads.go(() -> {
                while (true) {
                    int v = in.receive();
                    if (v % prime != 0) {
                        out.send(v);
                    }
                }
            }));
            ch = out;
        }
        return last;
    }
}
