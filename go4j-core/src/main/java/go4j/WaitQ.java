package go4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A FIFO of {@link Sudog}s (Go's {@code waitq}): a doubly linked list guarded by the owning channel's lock.
 * {@link #first} is also read without the lock by the non-blocking fast paths (acquire), so it is written with
 * release semantics.
 */
final class WaitQ {
    private static final VarHandle FIRST;

    static {
        try {
            FIRST = MethodHandles.lookup().findVarHandle(WaitQ.class, "first", Sudog.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private Sudog first;
    private Sudog last;

    /** Lock-free emptiness probe for fast paths; a stale answer is allowed (see Chan's fast-path argument). */
    boolean isEmptyAcquire() {
        return FIRST.getAcquire(this) == null;
    }

    /** Requires the channel lock. */
    void enqueue(Sudog s) {
        s.next = null;
        Sudog x = last;
        if (x == null) {
            s.prev = null;
            FIRST.setRelease(this, s);
            last = s;
            return;
        }
        s.prev = x;
        x.next = s;
        last = s;
    }

    /**
     * Removes and returns the first entry whose waiter this call claims; entries whose waiter is already claimed
     * (a select that won elsewhere, an owner that timed out or was interrupted) are unlinked and skipped.
     * Requires the channel lock.
     */
    Sudog dequeue() {
        while (true) {
            Sudog s = (Sudog) FIRST.get(this);
            if (s == null) {
                return null;
            }
            Sudog y = s.next;
            if (y == null) {
                FIRST.setRelease(this, null);
                last = null;
            } else {
                y.prev = null;
                FIRST.setRelease(this, y);
                s.next = null;
            }
            if (s.waiter.tryClaim()) {
                return s;
            }
        }
    }

    /** Unlinks s if it is still queued (Go's {@code dequeueSudoG}). Requires the channel lock. */
    void remove(Sudog s) {
        Sudog x = s.prev;
        Sudog y = s.next;
        if (x != null) {
            if (y != null) {
                x.next = y;
                y.prev = x;
                s.next = null;
                s.prev = null;
                return;
            }
            x.next = null;
            last = x;
            s.prev = null;
            return;
        }
        if (y != null) {
            y.prev = null;
            FIRST.setRelease(this, y);
            s.next = null;
            return;
        }
        // x == y == null: s is the only entry, or it was already removed.
        if (FIRST.get(this) == s) {
            FIRST.setRelease(this, null);
            last = null;
        }
    }
}
