package go4j.internal;

import go4j.internal.sched.Coroutine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * One blocking operation of one thread: the thing a waker claims and wakes (the part of Go's {@code g} that
 * {@code gopark}/{@code goready} and {@code selectDone} use). A channel operation or a whole {@code select}
 * uses one Waiter, shared by all of its queue entries; sync primitives use it the same way.
 *
 * <h2>Protocol ("publish, re-check, park")</h2>
 * <ol>
 *   <li>The owner publishes the Waiter in one or more wait queues (under their locks), releases the locks and
 *       calls {@link #await}.</li>
 *   <li>A waker, under the lock of a queue holding the Waiter, calls {@link #tryClaim()}. Exactly one claim
 *       succeeds over the Waiter's life: wakers that lose skip the entry (a select already won elsewhere, or the
 *       owner cancelled itself). The winner hands over the value and {@link #result}, releases the lock, then
 *       calls {@link #wake()}.</li>
 *   <li>{@link #await} returns once woken. If it times out or is interrupted it claims the Waiter for itself
 *       (the same CAS): on success no waker can take it any more and the owner removes its entries; on failure
 *       a waker already owns it, and await waits for the wake uninterruptibly, so no hand-off is ever lost.</li>
 * </ol>
 *
 * <h2>State ({@link #state}, packed bits)</h2>
 * {@code CLAIMED} (set once, by the CAS), {@code WOKEN} (set by the claimer after its hand-off; release),
 * {@code PARKED} (set by the owner before it parks; a waker unparks only if it sees PARKED, so a Waiter woken
 * during its spin phase costs no {@code unpark}). WOKEN and PARKED are set with one atomic read-modify-write each,
 * so one side always sees the other (Dekker).
 *
 * <p>Happens-before: everything the waker wrote before {@link #wake()} is visible to the owner after
 * {@link #await} returns WOKEN.
 */
public class Waiter {
    private static final int CLAIMED = 1;
    private static final int WOKEN = 2;
    private static final int PARKED = 4;

    /** await's outcome. */
    public static final int WOKE = 0;
    public static final int TIMED_OUT = 1;
    public static final int INTERRUPTED = 2;

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Waiter.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The owner's thread (in the raw mode a goroutine's carrier: unused, see {@link #co}). */
    public final Thread thread;
    /** The goroutine, or null when the owner is a thread that is not a goroutine. */
    public final G g;
    /** Raw mode: the owner goroutine's continuation, parked and unparked instead of {@link #thread}. */
    private final Coroutine co;
    @SuppressWarnings("unused")
    private volatile int state;
    /**
     * What the waker hands over: for a select, the winning queue entry (Go's {@code gp.param}); free for other
     * users. Written by the claimer before {@link #wake()}.
     */
    public Object result;
    /**
     * nanoTime of a sampled wake (0: not sampled); written before the WOKEN release, read after its acquire. A
     * waker stamps one wake in {@code HANDOFF_SAMPLE_MASK + 1}, chosen with its thread's own random generator; an
     * owner woken while spinning reports how long the wake took to reach it ({@link Sched#handoffSample}). (Session
     * 3 counted wakes in a static field: every wake on every core then wrote one shared cache line, which cost a
     * cross-core transfer per wake whenever two Ps were busy — the relay chain of Sieve1000 ran twice as long on
     * two Ps as on one in the minutes when such a transfer took 400 ns.)
     */
    private long wakeStamp;
    /** Set by {@link #await} when the wake arrived during the spin phase (a hint for adaptive spinning). */
    private boolean wokeSpinning;
    /** The spin budget the scheduler granted to the last await (0 when its policy said spinning cannot help). */
    private int spinsGranted;
    /**
     * The program that owns the object waited on (for a channel: the program whose goroutine made it; null when
     * made outside any run). Defaults to the owner's program. Deadlock detection counts an untimed wait as asleep
     * only when it waits on an object of its own program: an object made outside the run may be used by threads
     * the run cannot see (see {@link Liveness}). Set by the blocking primitive before {@link #await}.
     */
    public Program domain;

    public Waiter() {
        this.thread = Thread.currentThread();
        this.g = G.current();
        this.co = g == null ? null : g.co;
        this.domain = g == null ? null : g.program;
    }

    public Waiter(G g) {
        this.thread = Thread.currentThread();
        this.g = g;
        this.co = g == null ? null : g.co;
        this.domain = g == null ? null : g.program;
    }

    /**
     * A Waiter with no owner, for a subclass whose instances are not always waited on themselves: a channel queue
     * entry is its own Waiter for a plain send or receive (one object per blocking operation, and the waker finds
     * the claim word, the value slot and the links in one place), while a select's entries share the select's
     * Waiter and leave this part unused. Never await, claim or wake such an instance.
     */
    protected Waiter(Void ownerless) {
        this.thread = null;
        this.g = null;
        this.co = null;
    }

    /** Claims this Waiter for a hand-off; false if it was claimed already (by a waker or by its owner). */
    public final boolean tryClaim() {
        int s = (int) STATE.getAcquire(this);
        while ((s & CLAIMED) == 0) {
            int w = (int) STATE.compareAndExchange(this, s, s | CLAIMED);
            if (w == s) {
                return true;
            }
            s = w; // PARKED was set concurrently by the owner: retry with it
        }
        return false;
    }

    public final boolean isClaimed() {
        return ((int) STATE.getAcquire(this) & CLAIMED) != 0;
    }

    /** Wakes the owner; only the successful claimer calls this, once, after releasing its locks. */
    public final void wake() {
        G gg = g;
        if (gg != null) {
            gg.readied();
        }
        if ((ThreadLocalRandom.current().nextInt() & Sched.HANDOFF_SAMPLE_MASK) == 0) {
            wakeStamp = System.nanoTime(); // published by the release below; read by a spinning owner
        }
        int old = (int) STATE.getAndBitwiseOr(this, WOKEN);
        if ((old & PARKED) != 0) {
            Coroutine c = co;
            if (c != null) {
                c.unpark();
            } else {
                LockSupport.unpark(thread);
            }
        }
    }

    public final boolean isWoken() {
        return ((int) STATE.getAcquire(this) & WOKEN) != 0;
    }

    /**
     * Blocks until woken, uninterruptibly (interrupts are remembered and re-asserted on return). Spins up to
     * {@code spins} times first when {@link Sched#spinBudget} says spinning can help.
     */
    public final void awaitUninterruptibly(WaitReason reason, int spins) {
        boolean interrupted = false;
        int budget = Sched.spinBudget(spins);
        spinsGranted = budget;
        if (!spin(budget)) {
            G gg = g;
            if (gg != null) {
                gg.parking(reason, this, false);
            }
            int old = (int) STATE.getAndBitwiseOr(this, PARKED);
            if ((old & WOKEN) == 0) {
                Object blocker = reason.blocker();
                do {
                    park(blocker);
                    if (Sched.interrupted()) {
                        interrupted = true;
                    }
                } while (!isWoken());
            }
            if (gg != null) {
                gg.resumed();
            }
        }
        if (interrupted) {
            Sched.selfInterrupt();
        }
    }

    /**
     * Blocks until woken, the deadline passes ({@code deadlineNanos} in {@link System#nanoTime()} terms; 0 = none)
     * or the thread is interrupted. Returns {@link #WOKE}, {@link #TIMED_OUT} or {@link #INTERRUPTED}; in the latter
     * two cases the owner has claimed the Waiter itself and must remove its queue entries. INTERRUPTED leaves the
     * interrupt status set; WOKE re-asserts an interrupt that arrived too late to cancel.
     */
    public final int await(WaitReason reason, int spins, long deadlineNanos) {
        return await(reason, spins, false, deadlineNanos);
    }

    /**
     * {@link #await(WaitReason, int, long)}; {@code pair}: the wait is one side of a turn-taking pair (an
     * unbuffered or one-slot channel), where the scheduler may split the pair over two Ps (see
     * {@link Sched#spinBudget(int, boolean)}).
     */
    public final int await(WaitReason reason, int spins, boolean pair, long deadlineNanos) {
        int budget = Sched.spinBudget(spins, pair);
        spinsGranted = budget;
        if (spin(budget)) {
            wokeSpinning = true;
            return WOKE;
        }
        G gg = g;
        if (gg != null) {
            gg.parking(reason, this, deadlineNanos != 0);
        }
        try {
            int old = (int) STATE.getAndBitwiseOr(this, PARKED);
            if ((old & WOKEN) != 0) {
                return WOKE;
            }
            Object blocker = reason.blocker();
            while (true) {
                if (deadlineNanos == 0) {
                    park(blocker);
                } else {
                    long left = deadlineNanos - System.nanoTime();
                    if (left > 0) {
                        Coroutine c = co;
                        if (c != null) {
                            c.parkNanos(left);
                        } else {
                            LockSupport.parkNanos(blocker, left);
                        }
                    }
                }
                if (isWoken()) {
                    return WOKE;
                }
                int outcome = -1;
                if (Sched.isInterrupted()) {
                    outcome = INTERRUPTED;
                } else if (deadlineNanos != 0 && deadlineNanos - System.nanoTime() <= 0) {
                    outcome = TIMED_OUT;
                }
                if (outcome >= 0) {
                    if (tryClaim()) {
                        return outcome;
                    }
                    // A waker owns us and its hand-off is under way: it will wake us shortly.
                    awaitUninterruptibly(reason, 0);
                    return WOKE;
                }
            }
        } finally {
            if (gg != null) {
                gg.resumed();
            }
        }
    }

    private void park(Object blocker) {
        Coroutine c = co;
        if (c != null) {
            c.park();
        } else {
            LockSupport.park(blocker);
        }
    }

    /** Whether the last {@link #await} was woken during its spin phase. */
    public final boolean wokeWhileSpinning() {
        return wokeSpinning;
    }

    /** The spin budget granted to the last await (see {@link Sched#spinBudget}). */
    public final int spinsGranted() {
        return spinsGranted;
    }

    /** Spins up to n times waiting for WOKEN; true if woken. */
    private boolean spin(int n) {
        for (int i = 0; i < n; i++) {
            if (isWoken()) {
                long stamp = wakeStamp;
                if (stamp != 0) {
                    Sched.handoffSample(System.nanoTime() - stamp);
                }
                return true;
            }
            Thread.onSpinWait();
        }
        return n > 0 && isWoken();
    }
}
