package go4j.internal.sync;

import go4j.internal.Sched;
import go4j.internal.WaitReason;
import go4j.internal.Waiter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A ticket-based notify list: Go's {@code runtime.notifyList} ({@code sema.go}), the engine of {@code sync.Cond}.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>{@link #waitTicket} is the next ticket to hand out ({@link #add}, lock-free atomic increment);
 *       {@link #notifyTicket} is the next ticket to be notified. Tickets in {@code [notify, wait)} belong to waiters
 *       not yet notified; comparisons are wrap-around safe ({@code (int) (a - b) < 0}).</li>
 *   <li>A waiter takes its ticket <em>before</em> releasing the user's lock and parks later ({@link #await}); a
 *       notification that happened in between is seen by {@link #await} as {@code ticket < notify} and it returns
 *       at once: no lost wake-ups.</li>
 *   <li>{@link #notifyOne} wakes exactly the waiter holding ticket {@code notify} (strict FIFO, so a later waiter
 *       cannot steal an earlier signal); {@link #notifyAll} wakes every waiter holding a ticket taken before it.
 *       Waiters are woken only by notifications: no spurious wake-ups.</li>
 *   <li>The queue ({@link #head}/{@link #tail}) and the write of {@link #notifyTicket} are guarded by {@link #lock};
 *       the emptiness probe {@code wait == notify} is lock-free.</li>
 * </ul>
 */
public final class NotifyList {
    private static final VarHandle WAIT;
    private static final VarHandle NOTIFY;
    private static final VarHandle LOCK;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            WAIT = l.findVarHandle(NotifyList.class, "waitTicket", int.class);
            NOTIFY = l.findVarHandle(NotifyList.class, "notifyTicket", int.class);
            LOCK = l.findVarHandle(NotifyList.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Node {
        final Waiter waiter = new Waiter();
        final int ticket;
        Node next;

        Node(int ticket) {
            this.ticket = ticket;
        }
    }

    /** Next ticket to hand out. */
    @SuppressWarnings("unused")
    private volatile int waitTicket;
    /** Next ticket to notify; written under lock. */
    @SuppressWarnings("unused")
    private volatile int notifyTicket;
    @SuppressWarnings("unused")
    private volatile int lock;
    private Node head;
    private Node tail;

    /** Go's {@code notifyListAdd}: takes a ticket; call before releasing the user's lock. */
    public int add() {
        return (int) WAIT.getAndAdd(this, 1);
    }

    /** Go's {@code notifyListWait}: parks (uninterruptibly) until ticket t has been notified. */
    public void await(int t, WaitReason reason) {
        lock();
        // Return right away if this ticket has already been notified.
        if (less(t, (int) NOTIFY.getVolatile(this))) {
            unlock();
            return;
        }
        Node n = new Node(t);
        if (tail == null) {
            head = n;
        } else {
            tail.next = n;
        }
        tail = n;
        unlock();
        n.waiter.awaitUninterruptibly(reason, 0);
    }

    /** Go's {@code notifyListNotifyAll}: wakes every waiter that took its ticket before this call. */
    public void notifyAll0() {
        // Fast path: no new waiters since the last notification (linearizable: a waiter whose add() is not yet
        // visible took its ticket after this call started).
        if ((int) WAIT.getVolatile(this) == (int) NOTIFY.getVolatile(this)) {
            return;
        }
        lock();
        Node s = head;
        head = null;
        tail = null;
        NOTIFY.setVolatile(this, (int) WAIT.getVolatile(this));
        unlock();
        while (s != null) {
            Node next = s.next;
            s.next = null;
            if (s.waiter.tryClaim()) {
                s.waiter.wake();
            }
            s = next;
        }
    }

    /** Go's {@code notifyListNotifyOne}: wakes the waiter with the oldest unnotified ticket, if any. */
    public void notifyOne() {
        if ((int) WAIT.getVolatile(this) == (int) NOTIFY.getVolatile(this)) {
            return;
        }
        lock();
        int t = (int) NOTIFY.getVolatile(this);
        if (t == (int) WAIT.getVolatile(this)) {
            unlock();
            return;
        }
        // Bump the notify ticket: ticket t is now notified, whether or not its waiter has queued yet (if not, it
        // sees t < notify in await and does not park).
        NOTIFY.setVolatile(this, t + 1);
        for (Node p = null, s = head; s != null; p = s, s = s.next) {
            if (s.ticket == t) {
                Node n = s.next;
                if (p != null) {
                    p.next = n;
                }
                if (head == s) {
                    head = n;
                }
                if (tail == s) {
                    tail = p;
                }
                unlock();
                s.next = null;
                if (s.waiter.tryClaim()) {
                    s.waiter.wake();
                }
                return;
            }
        }
        unlock();
    }

    private static boolean less(int a, int b) {
        return a - b < 0;
    }

    private void lock() {
        if (!LOCK.compareAndSet(this, 0, 1)) {
            for (int spins = 0; !((int) LOCK.getOpaque(this) == 0 && LOCK.compareAndSet(this, 0, 1)); spins++) {
                if (spins < 128) {
                    Thread.onSpinWait();
                } else {
                    Sched.goyield();
                }
            }
        }
    }

    private void unlock() {
        LOCK.setRelease(this, 0);
    }
}
