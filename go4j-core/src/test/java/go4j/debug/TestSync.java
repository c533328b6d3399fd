package go4j.debug;

import go4j.GoInterruptedException;
import go4j.internal.WaitReason;
import go4j.internal.Waiter;

import java.util.ArrayDeque;

/**
 * Minimal sync.Mutex / sync.WaitGroup built on go4j's Waiter, as go4j.sync builds them, so that the deadlock
 * tests for "mutex locked twice" and "WaitGroup never done" run before go4j.sync is merged (see
 * docs/debugging-sync-deadlock-tests.md for the same tests against go4j.sync).
 */
final class TestSync {
    private TestSync() {}

    static final class Mutex {
        private boolean locked;
        private final ArrayDeque<Waiter> q = new ArrayDeque<>();

        void lock() {
            Waiter w;
            synchronized (this) {
                if (!locked) {
                    locked = true;
                    return;
                }
                w = new Waiter();
                q.add(w);
            }
            if (w.await(WaitReason.SYNC_MUTEX_LOCK, 0, 0) != Waiter.WOKE) { // ownership handed over by unlock
                synchronized (this) {
                    q.remove(w);
                }
                throw GoInterruptedException.clearAndCreate();
            }
        }

        void unlock() {
            Waiter w;
            synchronized (this) {
                w = q.poll();
                while (w != null && !w.tryClaim()) {
                    w = q.poll();
                }
                if (w == null) {
                    locked = false;
                    return;
                }
            }
            w.wake();
        }
    }

    static final class WaitGroup {
        private int n;
        private final ArrayDeque<Waiter> q = new ArrayDeque<>();

        synchronized void add(int d) {
            n += d;
        }

        void done() {
            ArrayDeque<Waiter> woken = new ArrayDeque<>();
            synchronized (this) {
                if (--n > 0) {
                    return;
                }
                for (Waiter w; (w = q.poll()) != null; ) {
                    if (w.tryClaim()) {
                        woken.add(w);
                    }
                }
            }
            woken.forEach(Waiter::wake);
        }

        void await() {
            Waiter w;
            synchronized (this) {
                if (n == 0) {
                    return;
                }
                w = new Waiter();
                q.add(w);
            }
            if (w.await(WaitReason.SYNC_WAITGROUP_WAIT, 0, 0) != Waiter.WOKE) {
                synchronized (this) {
                    q.remove(w);
                }
                throw GoInterruptedException.clearAndCreate();
            }
        }
    }
}
