package go4j.sync;

import go4j.internal.WaitReason;
import go4j.internal.sync.NotifyList;

/**
 * Go's {@code sync.Cond}: a rendezvous point for goroutines waiting for or announcing an event. Each Cond has a
 * {@link Locker} {@link #l} ({@code c.L}, often a {@link Mutex}) held while changing the condition and while
 * calling {@link #await}.
 *
 * <h2>Design</h2>
 * A ticket-based notify list (Go's {@code runtime.notifyList}): {@link #await} takes a ticket while the lock is
 * held, unlocks, parks until its ticket is notified, and re-locks. {@link #signal} wakes the waiter with the
 * oldest ticket (FIFO: a goroutine that starts waiting after a signal cannot steal it); {@link #broadcast} wakes
 * every waiter whose ticket predates it. There are <em>no spurious wake-ups</em>: await returns only after a
 * signal or broadcast addressed to it. Callers should still loop on their condition, as in Go, because another
 * goroutine may change it between the wake-up and the re-lock.
 *
 * <h2>Blocking</h2>
 * {@link #await} parks with Go's wait reason {@code sync.Cond.Wait}; it is not interruptible (the interrupt is
 * kept and re-asserted). {@link #signal}/{@link #broadcast} never block and may be called with or without the lock.
 *
 * <p>Happens-before: a {@code signal} or {@code broadcast} happens before the {@code await} it wakes returns
 * (and the re-lock adds the lock's own edge).
 */
public class Cond {
    /** {@code c.L}: held while observing or changing the condition. */
    public final Locker l;
    private final NotifyList notify = new NotifyList();

    /** Go's {@code sync.NewCond(l)}. */
    public Cond(Locker l) {
        if (l == null) {
            throw new NullPointerException("sync.NewCond: nil Locker");
        }
        this.l = l;
    }

    /**
     * Atomically unlocks {@link #l} and suspends the caller; after being woken by {@link #signal} or
     * {@link #broadcast}, locks {@link #l} again before returning. The caller must hold {@link #l}.
     */
    public void await() {
        int t = notify.add();
        l.unlock();
        try {
            notify.await(t, WaitReason.SYNC_COND_WAIT);
        } finally {
            l.lock();
        }
    }

    /** Wakes one goroutine waiting on this Cond (the longest waiting one), if there is any. */
    public void signal() {
        notify.notifyOne();
    }

    /** Wakes all goroutines waiting on this Cond. */
    public void broadcast() {
        notify.notifyAll0();
    }
}
