package go4j.sync.semaphore;

import go4j.Chan;
import go4j.GoInterruptedException;
import go4j.Panic;
import go4j.RecvChan;
import go4j.Select;
import go4j.context.Context;
import go4j.sync.Mutex;

/**
 * Go's {@code golang.org/x/sync/semaphore.Weighted} (x/sync v0.16): a semaphore of a fixed total weight that callers
 * acquire in weighted portions, to bound concurrent access to a resource.
 *
 * <h2>Invariants (all guarded by {@link #mu})</h2>
 * <ul>
 *   <li>{@code 0 <= cur <= size}: {@link #cur} is the weight held.</li>
 *   <li>Waiters are served strictly FIFO: while the queue is non-empty nobody acquires past it — not
 *       {@link #tryAcquire}, not a new {@link #acquire} even if the weight it asks for is free (no barging). This
 *       keeps a large request from starving behind a stream of small ones (Go's reader/writer example: a writer
 *       asking for the whole size is not overtaken by readers asking for 1).</li>
 *   <li>A queued waiter's weight is granted (added to {@code cur}) by {@link #notifyWaiters} under the lock, and
 *       its {@code ready} channel is closed; a waiter whose {@code ready} is closed owns the weight.</li>
 *   <li>Whenever the head of the queue changes or weight is released, {@link #notifyWaiters} runs: a waiter that
 *       gives up at the head of the queue re-notifies the queue, so the waiters behind it are not left blocked
 *       while weight is free (golang/go#38052: a cancelled large request must not starve small ones).</li>
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
 * <p>Happens-before: a {@link #release} happens before every {@link #acquire} that it lets proceed returns.
 */
public class Weighted {
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
    /** Guards {@link #cur} and the waiter queue. Never held while blocked. */
    private final Mutex mu = new Mutex();
    /** The weight held. */
    private long cur;
    /** FIFO queue of waiters (Go's {@code container/list}). */
    private Waiter head;
    private Waiter tail;

    /**
     * Go's {@code NewWeighted(n)}: a semaphore with the given maximum combined weight for concurrent access.
     */
    public Weighted(long n) {
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

    /**
     * Go's {@code Acquire(ctx, n)}: acquires weight {@code n}, blocking until it is available or ctx is done.
     * Returns {@code null} on success; on failure returns {@code ctx.err()} and leaves the semaphore unchanged.
     * Fails at once if ctx is already done, even when the weight is free.
     *
     * @throws GoInterruptedException if interrupted while waiting (nothing acquired)
     */
    public Throwable acquire(Context ctx, long n) {
        RecvChan<Void> done = ctx.done();
        Waiter w;
        mu.lock();
        try {
            Throwable err = done == null ? null : ctx.err();
            if (err != null) {
                // ctx becoming done happened before acquiring: fail even if the weight is free.
                return err;
            }
            if (size - cur >= n && head == null) {
                // Fast path: holding mu, with nothing queued. If ctx becomes done now, that is concurrent with
                // this call, so succeeding is correct.
                cur += n;
                return null;
            }
            if (n > size) {
                w = null; // doomed: do not make other acquires queue behind it
            } else {
                w = new Waiter(n);
                enqueue(w);
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
        return acquireSlow(ctx, done, w);
    }

    /** Waits for {@code w.ready} or {@code done}; w is queued. */
    private Throwable acquireSlow(Context ctx, RecvChan<Void> done, Waiter w) {
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
                cur -= w.n;
                notifyWaiters();
            } else {
                boolean isFront = head == w;
                unlink(w);
                // At the front with weight left over: the waiters behind may fit now.
                if (isFront && size > cur) {
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
     */
    public boolean tryAcquire(long n) {
        mu.lock();
        try {
            boolean success = size - cur >= n && head == null;
            if (success) {
                cur += n;
            }
            return success;
        } finally {
            mu.unlock();
        }
    }

    /**
     * Go's {@code Release(n)}: releases weight {@code n}, letting queued acquires proceed in FIFO order. Releasing
     * more than is held panics and, unlike Go (which leaves the count negative), changes nothing.
     *
     * @throws Panic {@code semaphore: released more than held}
     */
    public void release(long n) {
        mu.lock();
        try {
            if (cur - n < 0) {
                // Go leaves cur negative after this panic; go4j leaves the semaphore as it was, still usable.
                throw new Panic("semaphore: released more than held");
            }
            cur -= n;
            notifyWaiters();
        } finally {
            mu.unlock();
        }
    }

    /**
     * Grants weight to the waiters at the head of the queue while it fits, in order. Stops at the first that does
     * not fit, even if a smaller request behind it would: under load, skipping ahead would starve large requests.
     * mu must be held.
     */
    private void notifyWaiters() {
        Waiter w;
        while ((w = head) != null) {
            if (size - cur < w.n) {
                break;
            }
            cur += w.n;
            unlink(w);
            w.ready.close();
        }
    }

    /** mu must be held. */
    private void enqueue(Waiter w) {
        w.prev = tail;
        if (tail == null) {
            head = w;
        } else {
            tail.next = w;
        }
        tail = w;
        w.linked = true;
    }

    /** mu must be held; w must be linked. */
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
    }

    /** The weight currently held (diagnostics and tests; Go has no such method). */
    public long held() {
        mu.lock();
        try {
            return cur;
        } finally {
            mu.unlock();
        }
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
        mu.lock();
        try {
            return "semaphore.Weighted[size=" + size + ", cur=" + cur + "]";
        } finally {
            mu.unlock();
        }
    }
}
