package go4j.sync;

import go4j.Chan;
import go4j.FatalError;
import go4j.Go;
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
class RWMutexTest {

    /** Go's TestParallelReaders: n readers hold the read lock at the same time. */
    @Test
    void parallelReaders() {
        for (int n : new int[] {1, 3, 4, 50}) {
            Go.run(() -> {
                RWMutex m = new RWMutex();
                Chan<Boolean> clocked = Chan.make();
                Chan<Boolean> cunlock = Chan.make();
                Chan<Boolean> cdone = Chan.make();
                for (int i = 0; i < n; i++) {
                    Go.go(() -> {
                        m.rLock();
                        clocked.send(true);
                        cunlock.recv();
                        m.rUnlock();
                        cdone.send(true);
                    });
                }
                for (int i = 0; i < n; i++) {
                    clocked.recv(); // all RLocks succeed together
                }
                assertThat(m.tryLock()).isFalse();
                for (int i = 0; i < n; i++) {
                    cunlock.send(true);
                }
                for (int i = 0; i < n; i++) {
                    cdone.recv();
                }
                assertThat(m.tryLock()).isTrue();
                m.unlock();
            });
        }
    }

    /** Go's TestRWMutex / HammerRWMutex: readers see no writer; writers are exclusive. */
    @Test
    void hammer() {
        Go.run(() -> {
            RWMutex rw = new RWMutex();
            AtomicInteger activity = new AtomicInteger();
            WaitGroup wg = new WaitGroup();
            int numIterations = 300;
            for (int w = 0; w < 3; w++) {
                wg.go(() -> {
                    for (int i = 0; i < numIterations; i++) {
                        rw.lock();
                        int n = activity.addAndGet(10000);
                        assertThat(n).as("wlock(%d)", n).isEqualTo(10000);
                        SyncTesting.work(200);
                        activity.addAndGet(-10000);
                        rw.unlock();
                    }
                });
            }
            for (int r = 0; r < 8; r++) {
                wg.go(() -> {
                    for (int i = 0; i < numIterations; i++) {
                        boolean tried = i % 4 == 0 && rw.tryRLock();
                        if (!tried) {
                            rw.rLock();
                        }
                        int n = activity.incrementAndGet();
                        assertThat(n).as("rlock(%d)", n).isLessThan(10000);
                        SyncTesting.work(100);
                        activity.decrementAndGet();
                        rw.rUnlock();
                    }
                });
            }
            wg.await();
        });
    }

    /** A pending writer blocks new readers; readers queued behind it run after it. */
    @Test
    void pendingWriterBlocksNewReaders() {
        Go.run(() -> {
            RWMutex rw = new RWMutex();
            rw.rLock(); // reader 1 holds
            AtomicReference<G> writer = new AtomicReference<>();
            AtomicReference<G> reader2 = new AtomicReference<>();
            Chan<String> order = Chan.make(3);
            Go.go(() -> {
                writer.set(G.current());
                rw.lock();
                order.send("writer");
                rw.unlock();
            });
            SyncTesting.awaitParked(writer, WaitReason.SYNC_RWMUTEX_LOCK);
            assertThat(rw.tryRLock()).as("pending writer must block new readers").isFalse();
            Go.go(() -> {
                reader2.set(G.current());
                rw.rLock();
                order.send("reader2");
                rw.rUnlock();
            });
            SyncTesting.awaitParked(reader2, WaitReason.SYNC_RWMUTEX_RLOCK);
            assertThat(reader2.get().stateText()).isEqualTo("sync.RWMutex.RLock");
            rw.rUnlock(); // last pre-writer reader leaves: writer goes first, then reader2
            assertThat(order.recv()).isEqualTo("writer");
            assertThat(order.recv()).isEqualTo("reader2");
        });
    }

    /** A second writer waits on the writer mutex with sync.RWMutex.Lock. */
    @Test
    void writersExclusive() {
        Go.run(() -> {
            RWMutex rw = new RWMutex();
            rw.lock();
            assertThat(rw.tryLock()).isFalse();
            assertThat(rw.tryRLock()).isFalse();
            AtomicReference<G> w2 = new AtomicReference<>();
            Chan<Boolean> got = Chan.make(1);
            Go.go(() -> {
                w2.set(G.current());
                try (var held = rw.locked()) {
                    got.send(true);
                }
            });
            SyncTesting.awaitParked(w2, WaitReason.SYNC_RWMUTEX_LOCK);
            assertThat(got.tryRecv()).isNull();
            rw.unlock();
            assertThat(got.recv()).isTrue();
        });
    }

    /** Go's TestRLocker: the read Locker excludes writers like rLock. */
    @Test
    void rLocker() {
        RWMutex rw = new RWMutex();
        Locker rl = rw.rLocker();
        rl.lock();
        rl.lock();
        assertThat(rw.tryLock()).isFalse();
        rl.unlock();
        try (var r = rw.rLocked()) {
            assertThat(rw.tryLock()).isFalse();
        }
        rl.unlock();
        assertThat(rw.tryLock()).isTrue();
        rw.unlock();
    }

    /** Go's TestMutexMisuse RWMutex cases: fatal errors with Go's messages. */
    @Test
    void misuseIsFatal() {
        RWMutex rw = new RWMutex();
        assertThatThrownBy(rw::unlock).isInstanceOf(FatalError.class).hasMessage("sync: Unlock of unlocked RWMutex");
        assertThatThrownBy(rw::rUnlock).isInstanceOf(FatalError.class).hasMessage("sync: RUnlock of unlocked RWMutex");
        // "RWMutex.Unlock2": RLock; Unlock.
        rw.rLock();
        assertThatThrownBy(rw::unlock).isInstanceOf(FatalError.class).hasMessage("sync: Unlock of unlocked RWMutex");
        rw.rUnlock();
        // "RWMutex.RUnlock2": Lock; RUnlock.
        rw.lock();
        assertThatThrownBy(rw::rUnlock).isInstanceOf(FatalError.class).hasMessage("sync: RUnlock of unlocked RWMutex");
        rw.unlock();
        // "RWMutex.RUnlock3": RLock; RUnlock; RUnlock.
        rw.rLock();
        rw.rUnlock();
        assertThatThrownBy(rw::rUnlock).isInstanceOf(FatalError.class).hasMessage("sync: RUnlock of unlocked RWMutex");
        assertThat(rw.tryLock()).isTrue();
        rw.unlock();
    }
}
