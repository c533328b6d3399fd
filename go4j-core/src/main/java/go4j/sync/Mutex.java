package go4j.sync;

import go4j.internal.Sched;
import go4j.internal.WaitReason;
import go4j.internal.Waiter;
import go4j.internal.sync.Fatal;
import go4j.internal.sync.Sema;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Duration;

/**
 * Go's {@code sync.Mutex}: a mutual exclusion lock, built as Go's {@code sync/mutex.go} builds it — one packed
 * state word, bounded spinning, a FIFO semaphore queue, and starvation mode.
 *
 * <h2>State ({@link #state}, packed 32 bits)</h2>
 * <pre>
 *   bit 0      MUTEX_LOCKED     the mutex is held
 *   bit 1      MUTEX_WOKEN      a waiter has been woken (or is spinning) and will retry: Unlock need not wake another
 *   bit 2      MUTEX_STARVING   starvation mode: ownership is handed to the queue head, newcomers queue at the tail
 *   bits 3..31 waiter count     goroutines parked (or about to park) in {@link #sema}
 * </pre>
 *
 * <h2>Fairness (Go's two modes)</h2>
 * In <em>normal mode</em> waiters queue FIFO, but a woken waiter competes with newly arriving goroutines, which
 * have the advantage of already running (so throughput is high); a woken waiter that loses is queued at the
 * front. A waiter that fails to get the mutex for more than 1 ms switches the mutex to <em>starvation mode</em>:
 * {@link #unlock} hands ownership directly to the waiter at the queue head, newcomers do not spin nor try to
 * grab it, and they queue at the tail. The mutex returns to normal mode when a waiter that receives ownership is
 * the last one in the queue or waited less than 1 ms.
 *
 * <h2>Rules (as in Go)</h2>
 * Not reentrant, not bound to a thread or goroutine: one goroutine may lock and another unlock. Unlocking an
 * unlocked mutex is a fatal error ({@code fatal error: sync: unlock of unlocked mutex}, a
 * {@link go4j.FatalError} that ends a {@link go4j.Go#run} program even if caught), not a recoverable panic.
 *
 * <h2>Blocking and interruption</h2>
 * {@link #lock()} parks the caller with Go's wait reason {@code sync.Mutex.Lock}; it cannot be interrupted (as
 * Go's Lock and {@link java.util.concurrent.locks.ReentrantLock#lock()}): an interrupt is kept and re-asserted
 * once the lock is held. Works from goroutines and from any other Java thread.
 *
 * <p>Happens-before: the n-th {@link #unlock} happens before the (n+1)-th {@link #lock} returns; a successful
 * {@link #tryLock} is a lock.
 */
public class Mutex implements Locker {
    static final int MUTEX_LOCKED = 1;
    static final int MUTEX_WOKEN = 1 << 1;
    static final int MUTEX_STARVING = 1 << 2;
    static final int MUTEX_WAITER_SHIFT = 3;
    /** Go's {@code starvationThresholdNs}: a waiter waiting longer than this switches the mutex to starvation. */
    static final long STARVATION_THRESHOLD_NS = 1_000_000L;
    /** Go's {@code active_spin}: spin iterations before a waiter parks (only on a multicore machine). */
    private static final int ACTIVE_SPIN = 4;
    /** Go's {@code active_spin_cnt}: pause instructions per spin iteration. */
    private static final int ACTIVE_SPIN_CNT = 30;

    private static final VarHandle STATE;
    private static final VarHandle SEMA;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Mutex.class, "state", int.class);
            SEMA = l.findVarHandle(Mutex.class, "sema", Sema.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Packed: locked, woken, starving bits and the waiter count; see the class comment. */
    @SuppressWarnings("unused")
    private volatile int state;
    /** The waiters' semaphore, created on first contention (Go's {@code m.sema}). */
    @SuppressWarnings("unused")
    private volatile Sema sema;
    /** What a goroutine parked in {@link #lock} shows (sync.Mutex.Lock; sync.RWMutex.Lock for RWMutex's writer lock). */
    private final WaitReason reason;
    private final Guard guard = this::unlock;

    /** An unlocked mutex (Go's zero {@code sync.Mutex}). */
    public Mutex() {
        this(WaitReason.SYNC_MUTEX_LOCK);
    }

    Mutex(WaitReason reason) {
        this.reason = reason;
    }

    /**
     * Locks the mutex; if it is held, blocks until it is available.
     */
    @Override
    public void lock() {
        // Fast path: grab an unlocked mutex.
        if (STATE.compareAndSet(this, 0, MUTEX_LOCKED)) {
            return;
        }
        lockSlow();
    }

    /**
     * Tries to lock the mutex without blocking; true on success. As in Go, a mutex in starvation mode or held by
     * anyone is reported as unavailable, even if it is about to be released.
     */
    public boolean tryLock() {
        int old = (int) STATE.getVolatile(this);
        if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) != 0) {
            return false;
        }
        return STATE.compareAndSet(this, old, old | MUTEX_LOCKED);
    }

    /**
     * {@code tryLock} with a retry timeout (go4j's addition; Go has no timed lock): retries {@link #tryLock()} —
     * spinning briefly, then parking for growing intervals (wait reason {@code sync.Mutex.Lock}) — until it
     * succeeds or {@code timeout} has elapsed. Returns true if the lock was acquired. The retries do not join the
     * FIFO queue, so a timed locker gets no fairness guarantee against queued waiters (it is a polite barger:
     * it never blocks them, and never blocks past its deadline by more than one park interval, at most 1 ms).
     * A zero or negative timeout is one {@code tryLock()}. Interrupts are not honoured (kept and re-asserted).
     */
    public boolean tryLock(Duration timeout) {
        if (tryLock()) {
            return true;
        }
        long nanos = timeout.toNanos();
        if (nanos <= 0) {
            return false;
        }
        long deadline = System.nanoTime() + nanos;
        long backoff = 1_000; // ns
        boolean interrupted = false;
        for (int iter = 0; ; iter++) {
            if (tryLock()) {
                break;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                if (interrupted) {
                    Sched.selfInterrupt();
                }
                return false;
            }
            if (Sched.MULTICORE && iter < ACTIVE_SPIN) {
                doSpin();
                continue;
            }
            long until = System.nanoTime() + Math.min(left, backoff);
            if (new Waiter().await(reason, 0, until) == Waiter.INTERRUPTED) {
                Sched.interrupted();
                interrupted = true;
            }
            backoff = Math.min(backoff * 2, STARVATION_THRESHOLD_NS);
        }
        if (interrupted) {
            Sched.selfInterrupt();
        }
        return true;
    }

    private void lockSlow() {
        long waitStartTime = 0;
        boolean starving = false;
        boolean awoke = false;
        int iter = 0;
        int old = (int) STATE.getVolatile(this);
        while (true) {
            // Don't spin in starvation mode: ownership is handed off to waiters, so we could not get it anyway.
            if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) == MUTEX_LOCKED && canSpin(iter)) {
                // Active spinning makes sense. Try to set the woken flag to tell Unlock not to wake other waiters.
                if (!awoke && (old & MUTEX_WOKEN) == 0 && (old >>> MUTEX_WAITER_SHIFT) != 0
                        && STATE.compareAndSet(this, old, old | MUTEX_WOKEN)) {
                    awoke = true;
                }
                doSpin();
                iter++;
                old = (int) STATE.getVolatile(this);
                continue;
            }
            int next = old;
            // Don't try to acquire a starving mutex: new arrivals must queue.
            if ((old & MUTEX_STARVING) == 0) {
                next |= MUTEX_LOCKED;
            }
            if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) != 0) {
                next += 1 << MUTEX_WAITER_SHIFT;
            }
            // Switch to starvation mode, but only if the mutex is held: Unlock expects waiters in starvation mode.
            if (starving && (old & MUTEX_LOCKED) != 0) {
                next |= MUTEX_STARVING;
            }
            if (awoke) {
                // We are woken (or spinning with the woken flag set): the flag must be reset in either case.
                if ((next & MUTEX_WOKEN) == 0) {
                    throw Fatal.fatal("sync: inconsistent mutex state");
                }
                next &= ~MUTEX_WOKEN;
            }
            if (STATE.compareAndSet(this, old, next)) {
                if ((old & (MUTEX_LOCKED | MUTEX_STARVING)) == 0) {
                    return; // locked the mutex with the CAS
                }
                // A waiter that waited before queues at the front (LIFO).
                boolean queueLifo = waitStartTime != 0;
                if (waitStartTime == 0) {
                    waitStartTime = System.nanoTime();
                }
                sema().acquire(reason, queueLifo, 0);
                starving = starving || System.nanoTime() - waitStartTime > STARVATION_THRESHOLD_NS;
                old = (int) STATE.getVolatile(this);
                if ((old & MUTEX_STARVING) != 0) {
                    // Ownership was handed to us, but the state is not yet updated: locked is clear and we are still
                    // counted as a waiter. Fix that up.
                    if ((old & (MUTEX_LOCKED | MUTEX_WOKEN)) != 0 || (old >>> MUTEX_WAITER_SHIFT) == 0) {
                        throw Fatal.fatal("sync: inconsistent mutex state");
                    }
                    int delta = MUTEX_LOCKED - (1 << MUTEX_WAITER_SHIFT);
                    if (!starving || (old >>> MUTEX_WAITER_SHIFT) == 1) {
                        // Exit starvation mode: do it here, considering the wait time. Staying in starvation mode is
                        // very inefficient: two goroutines can go lock-step infinitely once it is switched on.
                        delta -= MUTEX_STARVING;
                    }
                    STATE.getAndAdd(this, delta);
                    return;
                }
                awoke = true;
                iter = 0;
            } else {
                old = (int) STATE.getVolatile(this);
            }
        }
    }

    /**
     * Unlocks the mutex.
     *
     * @throws go4j.FatalError {@code sync: unlock of unlocked mutex} if the mutex is not locked
     */
    @Override
    public void unlock() {
        // Fast path: drop the lock bit.
        int next = (int) STATE.getAndAdd(this, -MUTEX_LOCKED) - MUTEX_LOCKED;
        if (next != 0) {
            // Outlined slow path: waiters to wake, or misuse.
            unlockSlow(next);
        }
    }

    private void unlockSlow(int next) {
        if (((next + MUTEX_LOCKED) & MUTEX_LOCKED) == 0) {
            STATE.getAndAdd(this, MUTEX_LOCKED); // undo, so the mutex stays consistent for anyone who survives
            throw Fatal.fatal("sync: unlock of unlocked mutex");
        }
        if ((next & MUTEX_STARVING) == 0) {
            int old = next;
            while (true) {
                // No waiters, or a goroutine is already woken or has grabbed the lock, or the mutex went starving
                // (then ownership is handed off by the new owner's unlock): nothing to wake.
                if ((old >>> MUTEX_WAITER_SHIFT) == 0 || (old & (MUTEX_LOCKED | MUTEX_WOKEN | MUTEX_STARVING)) != 0) {
                    return;
                }
                // Grab the right to wake someone.
                int n = (old - (1 << MUTEX_WAITER_SHIFT)) | MUTEX_WOKEN;
                if (STATE.compareAndSet(this, old, n)) {
                    sema().release(false);
                    return;
                }
                old = (int) STATE.getVolatile(this);
            }
        } else {
            // Starvation mode: hand ownership to the next waiter and yield so that it runs at once. The locked bit
            // stays clear (the waiter sets it), but the starving bit keeps newcomers out.
            sema().release(true);
        }
    }

    /** Locks and returns a guard that unlocks on {@code close()} (no allocation: the guard is cached). */
    @Override
    public Guard locked() {
        lock();
        return guard;
    }

    /** Go's {@code runtime_canSpin}: a few iterations, only with more than one processor. */
    private static boolean canSpin(int iter) {
        return iter < ACTIVE_SPIN && Sched.MULTICORE;
    }

    private static void doSpin() {
        for (int i = 0; i < ACTIVE_SPIN_CNT; i++) {
            Thread.onSpinWait();
        }
    }

    private Sema sema() {
        Sema s = (Sema) SEMA.getAcquire(this);
        if (s == null) {
            Sema created = new Sema();
            s = (Sema) SEMA.compareAndExchange(this, null, created);
            if (s == null) {
                s = created;
            }
        }
        return s;
    }

    /**
     * Test hook: sets the starving bit, as a waiter that waited more than 1 ms does with its CAS (the bit must only
     * be set while the mutex is held and has waiters, as lockSlow guarantees).
     */
    void forceStarvingForTest() {
        STATE.getAndBitwiseOr(this, MUTEX_STARVING);
    }

    /** The raw state word (tests and diagnostics). */
    int stateForTest() {
        return (int) STATE.getVolatile(this);
    }

    @Override
    public String toString() {
        int s = (int) STATE.getVolatile(this);
        return "Mutex[" + ((s & MUTEX_LOCKED) != 0 ? "locked" : "unlocked")
                + ((s & MUTEX_STARVING) != 0 ? ", starving" : "")
                + ", waiters=" + (s >>> MUTEX_WAITER_SHIFT) + "]";
    }
}
