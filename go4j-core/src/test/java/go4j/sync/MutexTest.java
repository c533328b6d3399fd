package go4j.sync;

import go4j.FatalError;
import go4j.Go;
import go4j.Panic;
import go4j.internal.G;
import go4j.internal.Sched;
import go4j.internal.WaitReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MutexTest {

    /** Go's TestMutex / HammerMutex: 10 goroutines × 1000 lock/unlock pairs, mutual exclusion checked. */
    @Test
    void hammerMutualExclusion() {
        Mutex m = new Mutex();
        int[] counter = {0};
        AtomicInteger inside = new AtomicInteger();
        AtomicBoolean overlap = new AtomicBoolean();
        Go.run(() -> {
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 10; i++) {
                wg.go(() -> {
                    for (int j = 0; j < 1000; j++) {
                        if (j % 3 == 0 && m.tryLock()) {
                            // TryLock path (Go's HammerMutex also mixes TryLock).
                        } else {
                            m.lock();
                        }
                        if (inside.incrementAndGet() != 1) {
                            overlap.set(true);
                        }
                        counter[0]++;
                        inside.decrementAndGet();
                        m.unlock();
                    }
                });
            }
            wg.await();
        });
        assertThat(overlap).isFalse();
        assertThat(counter[0]).isEqualTo(10_000);
        assertThat(m.stateForTest()).isZero();
    }

    /** Go's TestMutex TryLock part: TryLock fails on a held mutex, succeeds on a free one. */
    @Test
    void tryLock() {
        Mutex m = new Mutex();
        assertThat(m.tryLock()).isTrue();
        assertThat(m.tryLock()).isFalse();
        m.unlock();
        assertThat(m.tryLock()).isTrue();
        m.unlock();
    }

    /** Go's TestMutexFairness: a goroutine that wants the lock 10 times gets it despite a greedy holder. */
    @Test
    void fairness() {
        Mutex mu = new Mutex();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch done = new CountDownLatch(1);
        Go.go(() -> {
            while (!stop.get()) {
                mu.lock();
                SyncTesting.work(100_000); // Go: time.Sleep(100 * time.Microsecond) while holding
                mu.unlock();
            }
        });
        Go.go(() -> {
            for (int i = 0; i < 10; i++) {
                SyncTesting.work(100_000);
                mu.lock();
                mu.unlock();
            }
            done.countDown();
        });
        try {
            assertThat(done.await(10, TimeUnit.SECONDS)).as("can't acquire Mutex in 10 seconds").isTrue();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        } finally {
            stop.set(true);
        }
    }

    /** Go's TestMutexMisuse "Mutex.Unlock": unlock of an unlocked mutex is a fatal error, not a panic. */
    @Test
    void unlockOfUnlockedIsFatal() {
        Mutex m = new Mutex();
        assertThatThrownBy(m::unlock).isInstanceOf(FatalError.class).isNotInstanceOf(Panic.class)
                .hasMessage("sync: unlock of unlocked mutex");
        // Go's "Mutex.Unlock2": lock, unlock, unlock.
        m.lock();
        m.unlock();
        assertThatThrownBy(m::unlock).isInstanceOf(FatalError.class).hasMessage("sync: unlock of unlocked mutex");
        // The mutex is still usable (state restored).
        assertThat(m.tryLock()).isTrue();
        m.unlock();
    }

    /** The fatal error ends a Go.run program even if the goroutine swallows it; catch (Panic) does not see it. */
    @Test
    void fatalEndsProgramEvenIfCaught() {
        AtomicBoolean caughtAsPanic = new AtomicBoolean();
        assertThatThrownBy(() -> Go.run(() -> {
            try {
                new Mutex().unlock();
            } catch (Panic p) {
                caughtAsPanic.set(true);
            } catch (Throwable swallowed) {
                // a user who swallows everything still cannot keep the program alive
            }
        })).isInstanceOf(FatalError.class).hasMessage("sync: unlock of unlocked mutex");
        assertThat(caughtAsPanic).isFalse();
    }

    /** A goroutine blocked in lock shows Go's wait reason and is woken by unlock; not owner-bound. */
    @Test
    void waitReasonAndUnlockByAnotherGoroutine() {
        Mutex m = new Mutex();
        AtomicReference<G> waiter = new AtomicReference<>();
        Go.run(() -> {
            m.lock();
            WaitGroup wg = new WaitGroup();
            wg.go(() -> {
                waiter.set(G.current());
                m.lock(); // parks: held by main
                m.unlock();
            });
            SyncTesting.awaitParked(waiter, WaitReason.SYNC_MUTEX_LOCK);
            assertThat(waiter.get().stateText()).isEqualTo("sync.Mutex.Lock");
            // Unlock from a different goroutine than the one that locked (Go allows it).
            Chan0.runInGoroutine(m::unlock);
            wg.await();
        });
    }

    /** A held lock is handed over across platform threads, too (any Java thread can use go4j primitives). */
    @Test
    void platformThreads() throws InterruptedException {
        Mutex m = new Mutex();
        long[] n = {0};
        Thread[] ts = new Thread[4];
        for (int i = 0; i < ts.length; i++) {
            ts[i] = Thread.ofPlatform().start(() -> {
                for (int j = 0; j < 20_000; j++) {
                    try (var held = m.locked()) {
                        n[0]++;
                    }
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        assertThat(n[0]).isEqualTo(80_000);
    }

    @Test
    void tryLockWithTimeout() {
        Mutex m = new Mutex();
        assertThat(m.tryLock(Duration.ofMillis(5))).isTrue();
        // Held: a timed try gives up after its timeout.
        assertThat(m.tryLock(Duration.ofMillis(20))).isFalse();
        assertThat(m.tryLock(Duration.ZERO)).isFalse();
        // Released by another goroutine while the timed try retries: it gets the lock.
        CountDownLatch trying = new CountDownLatch(1);
        AtomicBoolean got = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(1);
        Go.go(() -> {
            trying.countDown();
            got.set(m.tryLock(Duration.ofSeconds(20)));
            finished.countDown();
        });
        try {
            trying.await();
            SyncTesting.work(2_000_000);
            m.unlock();
            finished.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        assertThat(got).isTrue();
        m.unlock();
    }

    /** Lock is not interruptible: the interrupt is kept and the lock is still acquired. */
    @Test
    void lockIsUninterruptible() throws InterruptedException {
        Mutex m = new Mutex();
        m.lock();
        AtomicBoolean interruptedAfter = new AtomicBoolean();
        AtomicReference<G> g = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread t = Sched0.goThread(() -> {
            g.set(G.current());
            m.lock();
            interruptedAfter.set(Sched.isInterrupted());
            m.unlock();
            done.countDown();
        });
        SyncTesting.awaitParked(g, WaitReason.SYNC_MUTEX_LOCK);
        t.interrupt();
        m.unlock();
        done.await();
        assertThat(interruptedAfter).isTrue();
    }

    /**
     * Starvation mode: unlock hands ownership straight to the queued waiter — a newcomer's tryLock fails even right
     * after unlock — and the new owner, the last waiter, switches the mutex back to normal mode.
     */
    @Test
    void starvationModeHandsOffToQueueHead() throws InterruptedException {
        Mutex m = new Mutex();
        m.lock();
        AtomicReference<G> w = new AtomicReference<>();
        CountDownLatch owned = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Go.go(() -> {
            w.set(G.current());
            m.lock();
            owned.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            m.unlock();
        });
        SyncTesting.awaitParked(w, WaitReason.SYNC_MUTEX_LOCK);
        assertThat(m.stateForTest() >>> Mutex.MUTEX_WAITER_SHIFT).isEqualTo(1);
        m.forceStarvingForTest(); // as if the waiter had waited > 1 ms and set the bit on its last attempt
        m.unlock();
        assertThat(m.tryLock()).as("a newcomer must not barge in starvation mode").isFalse();
        owned.await();
        assertThat(m.tryLock()).isFalse();
        int s = m.stateForTest();
        assertThat(s & Mutex.MUTEX_LOCKED).isEqualTo(Mutex.MUTEX_LOCKED);
        assertThat(s & Mutex.MUTEX_STARVING).as("last waiter leaves starvation mode").isZero();
        assertThat(s >>> Mutex.MUTEX_WAITER_SHIFT).isZero();
        release.countDown();
        SyncTesting.awaitCondition(() -> m.stateForTest() == 0);
        assertThat(m.tryLock()).isTrue();
        m.unlock();
    }
}
