package go4j.sync.semaphore;

import go4j.Chan;
import go4j.GoInterruptedException;
import go4j.Panic;
import go4j.RecvChan;
import go4j.Select;
import go4j.context.Context;
import go4j.sync.Mutex;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Go's {@code golang.org/x/sync/semaphore.Weighted} (x/sync v0.16): a semaphore of a fixed total weight that callers
 * acquire in weighted portions, to bound concurrent access to a resource.
 *
 * <h2>State ({@link #state}, packed 64 bits)</h2>
 * <pre>
 *   bits 1..63  cur      the weight held (0 &lt;= cur &lt;= size)
 *   bit  0      QUEUED   the waiter queue is non-empty
 * </pre>
 * QUEUED is set and cleared only under {@link #mu}, and mirrors {@code head != null} whenever mu is free. Go guards
 * {@code cur} with its mutex; go4j adds a lock-free fast path on the packed word: an acquire that fits while
 * nothing is queued, a {@link #tryAcquire}, and a release that finds nothing queued are one CAS each and never take
 * the lock. Everything that involves the queue takes mu.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Waiters are served strictly FIFO: while QUEUED is set nobody acquires past the queue — not
 *       {@link #tryAcquire}, not a new {@link #acquire} even if the weight it asks for is free (no barging). This
 *       keeps a large request from starving behind a stream of small ones (Go's reader/writer example: a writer
 *       asking for the whole size is not overtaken by readers asking for 1).</li>
 *   <li>A queued waiter's weight is granted (added to cur) by {@link #notifyWaiters} under mu, and its
 *       {@code ready} channel is closed; a waiter whose {@code ready} is closed owns the weight.</li>
 *   <li>No lost wake-up: an enqueuer sets QUEUED by CAS on the same word that a lock-free release decrements, then
 *       runs {@link #notifyWaiters} itself. Either the release's CAS came first (the enqueuer's notify sees the
 *       freed weight) or it came second (the release sees QUEUED and notifies under mu).</li>
 *   <li>Whenever the head of the queue changes or weight is released with waiters queued, {@link #notifyWaiters}
 *       runs: a waiter that gives up at the head of the queue re-notifies the queue, so the waiters behind it are not
 *       left blocked while weight is free (golang/go#38052: a cancelled large request must not starve small
 *       ones).</li>
 * </ul>
 *
 * <h2>Context</h2>
 * {@link #acquire} takes a {@link Context}: it fails with {@code ctx.err()} if ctx is already done when it is
 * called — even if the weight is free (x/sync v0.16's rule: becoming done happened before the call) — or becomes
 * done while it waits; the semaphore is then left unchanged. A request for more than {@link #size()} can never
 * succeed: it blocks until ctx is done (for ever for a context that cannot be cancelled) without queueing, so it
 * does not make other requests wait behind it.
 *
 * <h2>Blocking and interruption</h2>
 * A waiting {@code acquire} blocks in a {@code select} over {@code ctx.done()} and its {@code ready} channel — so
 * it shows Go's wait reason {@code select}, as a Go goroutine in {@code Acquire} does. If the calling thread is
 * interrupted while waiting, the request is withdrawn (the semaphore is unchanged) and {@link GoInterruptedException}
 * is thrown.
 *
 * <p>Happens-before: a {@link #release} happens before every {@link #acquire} that it lets proceed returns (the CAS
 * on {@link #state}, or the close of the waiter's channel).
 */
public class Weighted {
    private static final long QUEUED = 1L;
    private static final int CUR_SHIFT = 1;
    /** The largest size the packed word can hold. */
    public static final long MAX_SIZE = Long.MAX_VALUE >> CUR_SHIFT;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Weighted.class, "state", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A queued acquire: its weight and the channel closed when the weight is granted. Guarded by {@link #mu}. */
    private static final class Waiter {
        final long n;
        final Chan<Void> ready = Chan.make();
        Waiter prev;
        Waiter next;
        boolean linked;

        Waiter(long n) {
            this.n = n;
        }
    }

    private final long size;
    /** Packed cur and QUEUED; see the class comment. */
    @SuppressWarnings("unused")
    private volatile long state;
    /** Guards the waiter queue and every change of QUEUED. Never held while blocked. */
    private final Mutex mu = new Mutex();
    /** FIFO queue of waiters (Go's {@code container/list}). Guarded by {@link #mu}. */
    private Waiter head;
    private Waiter tail;

    /**
     * Go's {@code NewWeighted(n)}: a semaphore with the given maximum combined weight for concurrent access.
     *
     * @throws IllegalArgumentException if {@code n > MAX_SIZE} (2^62 - 1; Go allows any int64)
     */
    public Weighted(long n) {
        if (n > MAX_SIZE) {
            throw new IllegalArgumentException("semaphore: size " + n + " exceeds " + MAX_SIZE);
        }
        this.size = n;
    }

    /** Go's {@code NewWeighted(n)}. */
    public static Weighted newWeighted(long n) {
        return new Weighted(n);
    }

    /** The maximum combined weight. */
    public long size() {
        return size;
    }

    private static long cur(long s) {
        return s >>> CUR_SHIFT;
    }

    /**
     * Go's {@code Acquire(ctx, n)}: acquires weight {@code n}, blocking until it is available or ctx is done.
     * Returns {@code null} on success; on failure returns {@code ctx.err()} and leaves the semaphore unchanged.
     * Fails at once if ctx is already done, even when the weight is free.
     *
     * @throws GoInterruptedException if interrupted while waiting (nothing acquired)
     */
    public Throwable acquire(Context ctx, long n) {
        RecvChan<Void> done = ctx.done();
        if (done != null) {
            Throwable err = ctx.err();
            if (err != null) {
                // ctx becoming done happened before acquiring: fail even if the weight is free.
                return err;
            }
        }
        // Fast path: nothing queued and the weight fits. If ctx becomes done meanwhile, that is concurrent with
        // this call, so succeeding is correct (Go's argument, with the CAS in place of the mutex).
        long s = (long) STATE.getVolatile(this);
        if ((s & QUEUED) == 0 && size - cur(s) >= n && STATE.compareAndSet(this, s, s + (n << CUR_SHIFT))) {
            return null;
        }
        return acquireSlow(ctx, done, n);
    }

    private Throwable acquireSlow(Context ctx, RecvChan<Void> done, long n) {
        Waiter w;
        mu.lock();
        try {
            while (true) {
                long s = (long) STATE.getVolatile(this);
                if ((s & QUEUED) != 0 || size - cur(s) < n) {
                    break;
                }
                if (STATE.compareAndSet(this, s, s + (n << CUR_SHIFT))) {
                    return null;
                }
            }
            if (n > size) {
                w = null; // doomed: do not make other acquires queue behind it
            } else {
                w = new Waiter(n);
                enqueue(w);
                notifyWaiters(); // publish, re-check: weight released before QUEUED was set is granted now
            }
        } finally {
            mu.unlock();
        }
        if (w == null) {
            if (done != null) {
                done.recv();
                return ctx.err();
            }
            Select.select(); // a context that cannot end: block for ever (until interrupted)
        }
        int chosen;
        try {
            chosen = Select.select(Select.recv(done), Select.recv(w.ready));
        } catch (GoInterruptedException e) {
            withdraw(w);
            throw e;
        }
        if (chosen == 0) {
            Throwable err = ctx.err();
            withdraw(w);
            return err;
        }
        // Acquired. Check that ctx is not done meanwhile (x/sync v0.16): if it is, give the weight back.
        if (done != null && done.tryRecv() != null) {
            release(w.n);
            return ctx.err();
        }
        return null;
    }

    /**
     * Withdraws a waiter that gave up: if it was granted the weight meanwhile, the weight is given back; otherwise
     * it leaves the queue. Either way, the waiters behind are re-notified when weight is free.
     */
    private void withdraw(Waiter w) {
        mu.lock();
        try {
            if (!w.linked) {
                // Granted after we gave up: pretend we did not notice the grant, and put the weight back.
                STATE.getAndAdd(this, -(w.n << CUR_SHIFT));
                notifyWaiters();
            } else {
                boolean isFront = head == w;
                unlink(w);
                // At the front with weight left over: the waiters behind may fit now.
                if (isFront && size > cur((long) STATE.getVolatile(this))) {
                    notifyWaiters();
                }
            }
        } finally {
            mu.unlock();
        }
    }

    /**
     * Go's {@code TryAcquire(n)}: acquires weight {@code n} without blocking; returns whether it did (on failure the
     * semaphore is unchanged). Fails while any {@link #acquire} is queued, even if the weight is free (no barging).
     * Lock-free.
     */
    public boolean tryAcquire(long n) {
        while (true) {
            long s = (long) STATE.getVolatile(this);
            if ((s & QUEUED) != 0 || size - cur(s) < n) {
                return false;
            }
            if (STATE.compareAndSet(this, s, s + (n << CUR_SHIFT))) {
                return true;
            }
        }
    }

    /**
     * Go's {@code Release(n)}: releases weight {@code n}, letting queued acquires proceed in FIFO order. Releasing
     * more than is held panics and, unlike Go (which leaves the count negative), changes nothing. Lock-free unless
     * acquires are queued.
     *
     * @throws Panic {@code semaphore: released more than held}
     */
    public void release(long n) {
        long s;
        do {
            s = (long) STATE.getVolatile(this);
            if (cur(s) - n < 0) {
                throw new Panic("semaphore: released more than held");
            }
        } while (!STATE.compareAndSet(this, s, s - (n << CUR_SHIFT)));
        if ((s & QUEUED) != 0) {
            mu.lock();
            try {
                notifyWaiters();
            } finally {
                mu.unlock();
            }
        }
    }

    /**
     * Grants weight to the waiters at the head of the queue while it fits, in order. Stops at the first that does
     * not fit, even if a smaller request behind it would: under load, skipping ahead would starve large requests.
     * Clears QUEUED when the queue empties. mu must be held.
     */
    private void notifyWaiters() {
        Waiter w;
        while ((w = head) != null) {
            long s;
            do {
                s = (long) STATE.getVolatile(this);
                if (size - cur(s) < w.n) {
                    return;
                }
            } while (!STATE.compareAndSet(this, s, s + (w.n << CUR_SHIFT)));
            unlink(w);
            w.ready.close();
        }
    }

    /** Appends w and sets QUEUED. mu must be held. */
    private void enqueue(Waiter w) {
        w.prev = tail;
        if (tail == null) {
            head = w;
            STATE.getAndBitwiseOr(this, QUEUED);
        } else {
            tail.next = w;
        }
        tail = w;
        w.linked = true;
    }

    /** Unlinks w, clearing QUEUED if the queue empties. mu must be held; w must be linked. */
    private void unlink(Waiter w) {
        if (w.prev == null) {
            head = w.next;
        } else {
            w.prev.next = w.next;
        }
        if (w.next == null) {
            tail = w.prev;
        } else {
            w.next.prev = w.prev;
        }
        w.prev = null;
        w.next = null;
        w.linked = false;
        if (head == null) {
            STATE.getAndBitwiseAnd(this, ~QUEUED);
        }
    }

    /** The weight currently held (diagnostics and tests; Go has no such method). */
    public long held() {
        return cur((long) STATE.getVolatile(this));
    }

    /** The number of queued acquires (diagnostics and tests). */
    public int waiters() {
        mu.lock();
        try {
            int k = 0;
            for (Waiter w = head; w != null; w = w.next) {
                k++;
            }
            return k;
        } finally {
            mu.unlock();
        }
    }

    @Override
    public String toString() {
        long s = (long) STATE.getVolatile(this);
        return "semaphore.Weighted[size=" + size + ", cur=" + cur(s) + ((s & QUEUED) != 0 ? ", waiters queued" : "")
                + "]";
    }
}
