package go4j.sync;

import go4j.Go;
import go4j.Panic;
import go4j.internal.G;
import go4j.internal.WaitReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class WaitGroupTest {

    /** Go's TestWaitGroup / testWaitGroup: wg1 released only after all n done; wg2 then lets the workers exit. */
    @Test
    void waitGroupReusedAcrossRounds() {
        Go.run(() -> {
            WaitGroup wg1 = new WaitGroup();
            WaitGroup wg2 = new WaitGroup();
            for (int round = 0; round < 8; round++) {
                int n = 16;
                wg1.add(n);
                wg2.add(n);
                go4j.Chan<Boolean> exited = go4j.Chan.make(n);
                for (int i = 0; i != n; i++) {
                    Go.go(() -> {
                        wg1.done();
                        wg2.await();
                        exited.send(true);
                    });
                }
                wg1.await();
                for (int i = 0; i != n; i++) {
                    assertThat(exited.tryRecv()).as("WaitGroup released group too soon").isNull();
                    wg2.done();
                }
                for (int i = 0; i != n; i++) {
                    exited.recv(); // will block if barrier fails to unlock someone
                }
            }
        });
    }

    /** Go's TestWaitGroupMisuse: Add(1); Done(); Done() panics. */
    @Test
    void negativeCounterPanics() {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        wg.done();
        assertThatThrownBy(wg::done).isInstanceOf(Panic.class).hasMessage("sync: negative WaitGroup counter");
    }

    /** Go's TestWaitGroupMisuse2's first message: a positive Add from 0 while waiters are registered. */
    @Test
    void addConcurrentWithWaitPanics() {
        WaitGroup wg = new WaitGroup();
        wg.setStateForTest(0, 1); // a waiter registered, counter 0: the interleaving Go's check detects
        assertThatThrownBy(() -> wg.add(1)).isInstanceOf(Panic.class)
                .hasMessage("sync: WaitGroup misuse: Add called concurrently with Wait");
    }

    /** Go's TestWaitGroupMisuse3's message: the group was re-added before a released waiter returned. */
    @Test
    void reuseBeforeWaitReturnedPanics() {
        WaitGroup wg = new WaitGroup();
        AtomicReference<G> g = new AtomicReference<>();
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        WaitGroup finished = new WaitGroup();
        wg.add(1);
        finished.add(1);
        Go.go(() -> {
            g.set(G.current());
            try {
                wg.await();
            } catch (Throwable t) {
                thrown.set(t);
            }
            finished.done();
        });
        SyncTesting.awaitParked(g, WaitReason.SYNC_WAITGROUP_WAIT);
        assertThat(wg.waiters()).isEqualTo(1);
        // done() reset the word to 0, then a reusing add(1) ran before the released waiter re-checked it:
        wg.setStateForTest(1, 0);
        wg.releaseOneForTest();
        finished.await();
        assertThat(thrown.get()).isInstanceOf(Panic.class)
                .hasMessage("sync: WaitGroup is reused before previous Wait has returned");
    }

    /** Go's TestWaitGroupRace: counter observed under concurrent done()s is exact. */
    @Test
    void race() {
        Go.run(() -> {
            for (int i = 0; i < 200; i++) {
                AtomicInteger n = new AtomicInteger();
                WaitGroup wg = new WaitGroup();
                wg.add(2);
                Go.go(() -> {
                    n.incrementAndGet();
                    wg.done();
                });
                Go.go(() -> {
                    n.incrementAndGet();
                    wg.done();
                });
                wg.await();
                assertThat(n.get()).as("Spurious wakeup from Wait").isEqualTo(2);
            }
        });
    }

    /** Go 1.25's TestWaitGroupGo: Go(f) runs f in a goroutine; Wait waits for it. */
    @Test
    void goRunsAndWaits() {
        AtomicInteger n = new AtomicInteger();
        Go.run(() -> {
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 100; i++) {
                wg.go(n::incrementAndGet);
            }
            wg.await();
            assertThat(n.get()).isEqualTo(100);
            assertThat(wg.count()).isZero();
        });
    }

    /** A panicking f still counts as done (Go's defer wg.Done()); the panic ends the program as usual. */
    @Test
    void goWithPanickingFunctionStillDone() {
        assertThatThrownBy(() -> Go.run(() -> {
            WaitGroup wg = new WaitGroup();
            wg.go(() -> {
                throw new Panic("boom");
            });
            wg.await();
            // Main may get here before the run ends: block so the panic decides the outcome.
            go4j.Chan.<Integer>make().recv();
        })).isInstanceOf(Panic.class).hasMessage("boom");
    }

    /** Many waiters are all released, from platform threads too. */
    @Test
    void manyWaitersFromAnyThread() throws InterruptedException {
        WaitGroup wg = new WaitGroup();
        wg.add(1);
        AtomicInteger released = new AtomicInteger();
        Thread[] ts = new Thread[6];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = (i % 2 == 0 ? Thread.ofPlatform() : Thread.ofVirtual()).start(() -> {
                wg.await();
                released.incrementAndGet();
            });
        }
        SyncTesting.awaitCondition(() -> wg.waiters() == ts.length);
        assertThat(released.get()).isZero();
        wg.done();
        for (Thread t : ts) {
            t.join();
        }
        assertThat(released.get()).isEqualTo(ts.length);
        assertThat(wg.waiters()).isZero();
    }
}
