package go4j;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A FIFO of {@link Sudog}s (Go's {@code waitq}): a doubly linked list guarded by the owning channel's lock.
 *
 * <p>The list's ends live in the channel itself ({@code Chan.recvFirst/recvLast/sendFirst/sendLast}), next to its
 * lock word, and this object is an immutable view of one pair of them: an operation that takes the lock then
 * finds the queue on the cache line it already holds. (With the ends in this object, every hand-off to a blocked
 * partner on another core fetched one more line that the partner had written when it queued itself.) The first
 * entry is also read without the lock by the non-blocking fast paths (acquire), so it is written with release
 * semantics.
 */
final class WaitQ {
    private static final VarHandle RECV_FIRST;
    private static final VarHandle SEND_FIRST;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            RECV_FIRST = l.findVarHandle(Chan.class, "recvFirst", Sudog.class);
            SEND_FIRST = l.findVarHandle(Chan.class, "sendFirst", Sudog.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The channel holding this queue's ends. */
    private final Chan<?> c;
    /** Which pair of ends: the receive queue's or the send queue's. */
    private final boolean recv;

    WaitQ(ChanHeader c, boolean recv) {
        this.c = (Chan<?>) c;
        this.recv = recv;
    }

    private Sudog first() {
        return recv ? c.recvFirst : c.sendFirst;
    }

    private void setFirst(Sudog s) {
        if (recv) {
            RECV_FIRST.setRelease(c, s);
        } else {
            SEND_FIRST.setRelease(c, s);
        }
    }

    private Sudog last() {
        return recv ? c.recvLast : c.sendLast;
    }

    private void setLast(Sudog s) {
        if (recv) {
            c.recvLast = s;
        } else {
            c.sendLast = s;
        }
    }

    /** Lock-free emptiness probe for fast paths; a stale answer is allowed (see Chan's fast-path argument). */
    boolean isEmptyAcquire() {
        return (recv ? RECV_FIRST.getAcquire(c) : SEND_FIRST.getAcquire(c)) == null;
    }

    /** Requires the channel lock. */
    void enqueue(Sudog s) {
        s.next = null;
        Sudog x = last();
        if (x == null) {
            s.prev = null;
            setFirst(s);
            setLast(s);
            return;
        }
        s.prev = x;
        x.next = s;
        setLast(s);
    }

    /**
     * Removes and returns the first entry whose waiter this call claims; entries whose waiter is already claimed
     * (a select that won elsewhere, an owner that timed out or was interrupted) are unlinked and skipped.
     * Requires the channel lock.
     */
    Sudog dequeue() {
        while (true) {
            Sudog s = first();
            if (s == null) {
                return null;
            }
            Sudog y = s.next;
            if (y == null) {
                setFirst(null);
                setLast(null);
            } else {
                y.prev = null;
                setFirst(y);
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
            setLast(x);
            s.prev = null;
            return;
        }
        if (y != null) {
            y.prev = null;
            setFirst(y);
            s.next = null;
            return;
        }
        // x == y == null: s is the only entry, or it was already removed.
        if (first() == s) {
            setFirst(null);
            setLast(null);
        }
    }
}
