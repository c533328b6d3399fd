package go4j.sync;

import go4j.Chan;
import go4j.Go;
import go4j.internal.G;
import go4j.internal.WaitReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class CondTest {

    /** Go's TestCondSignal: each Signal wakes exactly one waiter. */
    @Test
    void signalWakesOne() {
        Go.run(() -> {
            Mutex m = new Mutex();
            Cond c = new Cond(m);
            int n = 2;
            Chan<Boolean> running = Chan.make(n);
            Chan<Boolean> awake = Chan.make(n);
            for (int i = 0; i < n; i++) {
                Go.go(() -> {
                    m.lock();
                    running.send(true);
                    c.await();
                    awake.send(true);
                    m.unlock();
                });
            }
            for (int i = 0; i < n; i++) {
                running.recv(); // Wait for everyone to run.
            }
            for (int left = n; left > 0; left--) {
                assertThat(awake.tryRecv()).as("goroutine not asleep").isNull();
                m.lock();
                c.signal();
                m.unlock();
                awake.recv(); // Will deadlock if no goroutine wakes up
                assertThat(awake.tryRecv()).as("too many goroutines awake").isNull();
            }
            c.signal();
        });
    }

    /** Go's TestCondSignalGenerations: Signal wakes waiters in the order they started waiting. */
    @Test
    void signalGenerationsFifo() {
        Go.run(() -> {
            Mutex m = new Mutex();
            Cond c = new Cond(m);
            int n = 100;
            Chan<Boolean> running = Chan.make(n);
            Chan<Integer> awake = Chan.make(n);
            for (int i = 0; i < n; i++) {
                int id = i;
                Go.go(() -> {
                    m.lock();
                    running.send(true);
                    c.await();
                    awake.send(id);
                    m.unlock();
                });
                if (i > 0) {
                    int a = awake.recv();
                    assertThat(a).as("wrong goroutine woke up").isEqualTo(i - 1);
                }
                running.recv();
                m.lock();
                c.signal();
                m.unlock();
            }
        });
    }

    /** Go's TestCondBroadcast: Broadcast wakes every waiter; a waiter shows sync.Cond.Wait. */
    @Test
    void broadcastWakesAll() {
        Go.run(() -> {
            Mutex m = new Mutex();
            Cond c = new Cond(m);
            int n = 50;
            AtomicReference<G> one = new AtomicReference<>();
            Chan<Boolean> running = Chan.make(n);
            Chan<Boolean> awake = Chan.make(n);
            for (int i = 0; i < n; i++) {
                int id = i;
                Go.go(() -> {
                    m.lock();
                    if (id == 0) {
                        one.set(G.current());
                    }
                    running.send(true);
                    c.await();
                    awake.send(true);
                    m.unlock();
                });
            }
            for (int i = 0; i < n; i++) {
                running.recv();
            }
            SyncTesting.awaitParked(one, WaitReason.SYNC_COND_WAIT);
            assertThat(one.get().stateText()).isEqualTo("sync.Cond.Wait");
            assertThat(awake.tryRecv()).isNull();
            m.lock();
            c.broadcast();
            m.unlock();
            for (int i = 0; i < n; i++) {
                awake.recv();
            }
        });
    }

    /** Go's TestCondSignalStealing: a waiter that arrives during a Broadcast cannot steal it from an earlier one. */
    @Test
    void signalStealing() {
        for (int iters = 0; iters < 300; iters++) {
            Go.run(() -> {
                Mutex m = new Mutex();
                Cond cond = new Cond(m);
                Chan<Boolean> ch = Chan.make();
                Go.go(() -> {
                    m.lock();
                    ch.send(true);
                    cond.await();
                    m.unlock();
                    ch.send(true);
                });
                ch.recv();
                m.lock();
                m.unlock(); // the waiter is inside await now
                boolean[] done = {false};
                Go.go(cond::broadcast);
                Go.go(() -> {
                    m.lock();
                    while (!done[0]) {
                        cond.await();
                    }
                    m.unlock();
                });
                ch.recv(); // first waiter must get the broadcast (the test's timeout bounds this)
                m.lock();
                done[0] = true;
                m.unlock();
                cond.broadcast();
            });
        }
    }

    /** Go's TestRace-style handshake: signal/wait ping-pong between goroutines with a shared counter. */
    @Test
    void pingPong() {
        Go.run(() -> {
            Mutex m = new Mutex();
            Cond c = new Cond(m);
            int[] x = {0};
            Chan<Boolean> done = Chan.make(2);
            Go.go(() -> {
                m.lock();
                for (int i = 0; i < 1000; i++) {
                    while (x[0] % 2 != 0) {
                        c.await();
                    }
                    x[0]++;
                    c.signal();
                }
                m.unlock();
                done.send(true);
            });
            Go.go(() -> {
                m.lock();
                for (int i = 0; i < 1000; i++) {
                    while (x[0] % 2 != 1) {
                        c.await();
                    }
                    x[0]++;
                    c.signal();
                }
                m.unlock();
                done.send(true);
            });
            done.recv();
            done.recv();
            assertThat(x[0]).isEqualTo(2000);
        });
    }
}
