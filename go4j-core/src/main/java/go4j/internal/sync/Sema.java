package go4j.internal.sync;

import go4j.internal.Sched;
import go4j.internal.WaitReason;
import go4j.internal.Waiter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A counting semaphore with a FIFO (optionally LIFO) queue of parked waiters: Go's {@code runtime/sema.go}
 * ({@code semacquire1} / {@code semrelease1}) for one address. Go keeps the queues of all addresses in a global
 * table; go4j gives each sync primitive its own Sema, allocated on first contention.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>{@link #count} is Go's {@code *addr}: the number of tokens; a token is taken only by a CAS from n&gt;0 to
 *       n-1 ({@link #tryAcquire}), so it never goes negative.</li>
 *   <li>{@link #nwait} counts the acquirers that are queued or about to queue; it is incremented under
 *       {@link #lock} <em>before</em> the acquirer re-checks {@link #count}, and {@link #release} increments
 *       {@link #count} <em>before</em> it reads {@link #nwait} (both volatile: one of them sees the other, so no
 *       wake-up is lost; Go's {@code root.nwait} argument).</li>
 *   <li>The queue ({@link #head}/{@link #tail}) is guarded by {@link #lock}; a released node is unlinked under the
 *       lock and woken after the lock is dropped.</li>
 *   <li>A waiter woken by a plain release has no token: it retries {@link #tryAcquire} and re-queues (at the
 *       front) if another acquirer barged in. A <em>hand-off</em> release ({@code handoff == true}) takes the token
 *       for the woken waiter ({@link Node#ticket}), so nobody can barge (Go's starving mutex).</li>
 * </ul>
 * Waits are uninterruptible, as in Go: an interrupt is remembered and re-asserted when the acquire returns.
 *
 * <p>Happens-before: a release happens before the acquire that takes its token returns.
 */
public final class Sema {
    private static final VarHandle COUNT;
    private static final VarHandle NWAIT;
    private static final VarHandle LOCK;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            COUNT = l.findVarHandle(Sema.class, "count", int.class);
            NWAIT = l.findVarHandle(Sema.class, "nwait", int.class);
            LOCK = l.findVarHandle(Sema.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One parked acquirer (Go's sudog in the semaphore treap). Fields guarded by the Sema lock. */
    private static final class Node {
        final Waiter waiter;
        Node prev;
        Node next;
        /** Set by a hand-off release before it wakes the waiter: the token is already taken for it. */
        boolean ticket;

        Node(Waiter waiter) {
            this.waiter = waiter;
        }
    }

    /** Tokens available (Go's semaphore word). */
    @SuppressWarnings("unused")
    private volatile int count;
    /** Acquirers queued or committing to queue (Go's {@code semaRoot.nwait}). */
    @SuppressWarnings("unused")
    private volatile int nwait;
    /** Spin lock guarding the queue; held only for a few list operations, never while parked. */
    @SuppressWarnings("unused")
    private volatile int lock;
    private Node head;
    private Node tail;

    public Sema() {}

    public Sema(int initialTokens) {
        COUNT.setRelease(this, initialTokens);
    }

    /** Go's {@code cansemacquire}: takes a token if one is available. */
    public boolean tryAcquire() {
        while (true) {
            int v = (int) COUNT.getVolatile(this);
            if (v == 0) {
                return false;
            }
            if (COUNT.compareAndSet(this, v, v - 1)) {
                return true;
            }
        }
    }

    /** Tokens currently available (diagnostics and tests). */
    public int tokens() {
        return (int) COUNT.getVolatile(this);
    }

    /** Acquirers currently queued or about to queue (diagnostics and tests). */
    public int waiters() {
        return (int) NWAIT.getVolatile(this);
    }

    /**
     * Go's {@code semacquire1}: takes a token, parking (uninterruptibly, with {@code reason}) until one is
     * released. {@code lifo} queues at the front (a waiter that was woken and lost the race keeps its place).
     * Spins {@code spins} times before each park.
     */
    public void acquire(WaitReason reason, boolean lifo, int spins) {
        if (tryAcquire()) {
            return;
        }
        while (true) {
            lock();
            NWAIT.getAndAdd(this, 1);
            if (tryAcquire()) {
                NWAIT.getAndAdd(this, -1);
                unlock();
                return;
            }
            Node n = new Node(new Waiter());
            if (lifo) {
                pushFront(n);
            } else {
                pushBack(n);
            }
            unlock();
            n.waiter.awaitUninterruptibly(reason, spins);
            if (n.ticket || tryAcquire()) {
                return;
            }
            lifo = true; // woken but robbed: wait again at the front of the queue (Go does the same for mutexes)
        }
    }

    /**
     * Go's {@code semrelease1}: adds a token and wakes the first queued waiter. With {@code handoff} the token is
     * taken on the woken waiter's behalf (if still there) and the caller yields so that the waiter runs at once.
     */
    public void release(boolean handoff) {
        COUNT.getAndAdd(this, 1);
        if ((int) NWAIT.getVolatile(this) == 0) {
            return;
        }
        lock();
        if ((int) NWAIT.getVolatile(this) == 0) {
            unlock();
            return;
        }
        Node n = popFront();
        if (n != null) {
            NWAIT.getAndAdd(this, -1);
        }
        unlock();
        if (n == null) {
            return;
        }
        if (handoff && tryAcquire()) {
            n.ticket = true; // published to the waiter by wake() (release) / await (acquire)
        }
        n.waiter.wake();
        if (n.ticket) {
            Sched.goyield(); // Go's goyield: let the new owner run now
        }
    }

    // ------------------------------------------------------------------------------------------ queue

    /** Requires lock. */
    private void pushBack(Node n) {
        Node t = tail;
        n.prev = t;
        n.next = null;
        if (t == null) {
            head = n;
        } else {
            t.next = n;
        }
        tail = n;
    }

    /** Requires lock. */
    private void pushFront(Node n) {
        Node h = head;
        n.next = h;
        n.prev = null;
        if (h == null) {
            tail = n;
        } else {
            h.prev = n;
        }
        head = n;
    }

    /** Removes the first node whose waiter this call claims (all of them: sema waits are not cancelled). Requires lock. */
    private Node popFront() {
        while (true) {
            Node n = head;
            if (n == null) {
                return null;
            }
            Node nx = n.next;
            head = nx;
            if (nx == null) {
                tail = null;
            } else {
                nx.prev = null;
            }
            n.next = null;
            if (n.waiter.tryClaim()) {
                return n;
            }
        }
    }

    private void lock() {
        if (!LOCK.compareAndSet(this, 0, 1)) {
            lockSlow();
        }
    }

    private void lockSlow() {
        for (int spins = 0; ; spins++) {
            if ((int) LOCK.getOpaque(this) == 0 && LOCK.compareAndSet(this, 0, 1)) {
                return;
            }
            // The holder never parks while holding the lock: it releases within a few list operations.
            if (spins < 128) {
                Thread.onSpinWait();
            } else {
                Sched.goyield();
            }
        }
    }

    private void unlock() {
        LOCK.setRelease(this, 0);
    }
}
