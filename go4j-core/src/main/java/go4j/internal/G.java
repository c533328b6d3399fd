package go4j.internal;

import go4j.internal.sched.Coroutine;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A goroutine: go4j's record of one virtual thread started by {@link go4j.Go#go(Runnable)} or
 * {@link go4j.Go#run(Runnable)} (Go's {@code runtime.g}).
 *
 * <h2>States</h2>
 * <pre>
 *   RUNNABLE --(starts / is mounted)--------------> RUNNING
 *   RUNNING  --(parks in a go4j primitive)--------> WAITING (waitReason, waitSince set before the state)
 *   WAITING  --(woken by another goroutine)-------> RUNNABLE
 *   RUNNABLE --(resumes after the park)-----------> RUNNING
 *   RUNNING  --(returns or dies of a panic)-------> DEAD
 * </pre>
 * Only the goroutine itself moves RUNNABLE→RUNNING, RUNNING→WAITING and →DEAD; wakers move WAITING→RUNNABLE.
 * The fields are written with release semantics and read by diagnostics with acquire semantics: a dump sees a
 * consistent (reason, since) pair for a WAITING goroutine because they are written before the state.
 *
 * <h2>Asleep accounting (deadlock detection)</h2>
 * The packed {@link #state} word holds the state in bits 0-1 ({@link #STATE_MASK}) and, while WAITING, the
 * {@link #ASLEEP} bit: the goroutine waits in a go4j primitive, with no deadline, on an object of its own program
 * (see {@link Liveness}). Setting ASLEEP takes the goroutine off its program's awake count; leaving
 * WAITING|ASLEEP puts it back, exactly once: either the waker's {@link #readied()} or the owner's
 * {@link #resumed()} does it, and no CAS is needed to choose, because the Waiter's claim already chose. Only the
 * waker that won the claim calls readied(), before it sets WOKEN; the owner calls resumed() only after it saw
 * WOKEN (so it sees readied()'s store) or after it won the claim itself (timeout, interrupt: nobody calls
 * readied()). A waker that finds the owner not yet WAITING (still spinning, or between its spin and
 * {@link #parking}) leaves the state alone; the owner then finds WAITING|ASLEEP in resumed() and re-counts
 * itself.
 *
 * <p>A goroutine belongs to one {@link Program}: the {@code Go.run} that (transitively) started it, or the
 * process-wide program of goroutines started outside any run. Ids are per program; the main goroutine of a
 * run is goroutine 1, as in Go.
 */
public final class G implements Runnable {
    public static final int RUNNABLE = 0;
    public static final int RUNNING = 1;
    public static final int WAITING = 2;
    public static final int DEAD = 3;
    /** Bits 0-1 of {@link #state}: one of RUNNABLE..DEAD. */
    static final int STATE_MASK = 3;
    /** Bit 2 of {@link #state}, only with WAITING: the wait counts as asleep for deadlock detection. */
    static final int ASLEEP = 4;

    private static final ThreadLocal<G> CURRENT = new ThreadLocal<>();
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(G.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public final long id;
    public final Program program;
    /** The goroutine that started this one, 0 if started by a thread that is not a goroutine. */
    public final long parentId;
    /** Where {@code go} was called: the caller's frame, or null when creation sites are not recorded. */
    public final StackTraceElement createdAt;
    /** The function the goroutine runs (its class names the enclosing code of a lambda). */
    public final Runnable fn;
    /** The virtual thread; set once before it starts (null in the raw mode: see {@link #thread()}). */
    Thread thread;
    /** Raw mode: the continuation that runs this goroutine; set once before it starts (else null). */
    public Coroutine co;

    /** One of RUNNABLE..DEAD, plus the {@link #ASLEEP} bit; see the transition table. */
    @SuppressWarnings("unused")
    private volatile int state;
    /**
     * Valid while WAITING: why, and since when ({@link System#nanoTime()} terms; under go4j's scheduler read from
     * its coarse clock, so up to about a millisecond early).
     */
    private WaitReason waitReason;
    private long waitSince;
    /**
     * Valid while WAITING: the Waiter parked on (null for a park that did not go through a Waiter). Plain: written
     * before the release store of {@link #state}, read after its acquire load.
     */
    private Waiter waiter;
    /** The JFR park event under way (begun at park), or null when JFR is not recording. */
    Object jfrPark;

    public G(Program program, long parentId, StackTraceElement createdAt, Runnable fn) {
        this.program = program;
        this.id = program.nextId();
        this.parentId = parentId;
        this.createdAt = createdAt;
        this.fn = fn;
        STATE.setRelease(this, RUNNABLE);
    }

    /** The goroutine running on the current thread, or null if the thread is not a goroutine. */
    public static G current() {
        if (Sched.RAW) {
            Coroutine c = Coroutine.current();
            return c == null ? null : c.g;
        }
        return CURRENT.get();
    }

    /**
     * The thread of this goroutine: its virtual thread, or in the raw mode the thread object that stands for it
     * (interrupting it interrupts the goroutine; see {@link Coroutine.Standin}). Null before it starts.
     */
    public Thread thread() {
        Coroutine c = co;
        return c != null ? c.thread() : thread;
    }

    /** Interrupts this goroutine (its virtual thread, or its continuation in the raw mode); no-op before it starts. */
    public void interrupt() {
        Coroutine c = co;
        if (c != null) {
            c.interrupt();
        } else if (thread != null) {
            thread.interrupt();
        }
    }

    /** Whether this goroutine's interrupt status is set (false before it starts). */
    public boolean isInterrupted() {
        Coroutine c = co;
        if (c != null) {
            return c.isInterrupted();
        }
        Thread t = thread;
        return t != null && t.isInterrupted();
    }

    /** Binds a goroutine to the current thread (the main goroutine of {@code Go.run} on a started thread). */
    static void bind(G g) {
        CURRENT.set(g);
    }

    @Override
    public void run() {
        if (co == null) {
            CURRENT.set(this);
        }
        STATE.setRelease(this, RUNNING);
        try {
            fn.run();
        } catch (Throwable t) {
            program.goroutinePanicked(this, t);
        } finally {
            died();
            program.exited(this);
        }
    }

    public int state() {
        return (int) STATE.getAcquire(this) & STATE_MASK;
    }

    /** The wait reason while WAITING, else null. */
    public WaitReason waitReason() {
        return state() == WAITING ? waitReason : null;
    }

    /** When the current wait began (nanoTime), meaningful while WAITING. */
    public long waitSince() {
        return waitSince;
    }

    /**
     * Whether this goroutine is asleep for deadlock detection: WAITING|ASLEEP, its Waiter not woken yet and its
     * thread not interrupted (an interrupted or woken goroutine is about to run). A snapshot; see {@link Liveness}.
     */
    boolean isAsleep() {
        if ((int) STATE.getAcquire(this) != (WAITING | ASLEEP)) {
            return false;
        }
        Waiter w = waiter;
        return w != null && !w.isWoken() && (co != null || thread != null) && !isInterrupted();
    }

    /** Called by the goroutine itself right before it parks, without a Waiter: never asleep. */
    public void parking(WaitReason reason) {
        parking(reason, null, true);
    }

    /**
     * Called by the goroutine itself right before it parks on {@code w}. The wait is asleep (see
     * {@link Liveness}) when its reason is {@link WaitReason#asleep()}, it has no deadline ({@code timed} false)
     * and it waits on an object of its own program ({@link Waiter#domain}). A nested call within the same wait
     * (the Waiter's uninterruptible tail after a lost cancel) keeps the first wait's reason, time and accounting.
     */
    public void parking(WaitReason reason, Waiter w, boolean timed) {
        int s = (int) STATE.getAcquire(this);
        if ((s & STATE_MASK) == WAITING) {
            return;
        }
        Liveness lv = program.liveness;
        boolean asleep = lv != null && w != null && !timed && reason.asleep() && w.domain == program;
        this.waitReason = reason;
        this.waitSince = Sched.waitClock(); // coarse under go4j's scheduler, as Go's waitsince
        this.waiter = w;
        if (Jfr.recording) {
            Jfr.parkBegin(this);
        }
        STATE.setRelease(this, asleep ? WAITING | ASLEEP : WAITING);
        if (asleep) {
            lv.asleep();
        }
    }

    /** Called by the goroutine itself once it runs again after {@link #parking}. */
    public void resumed() {
        int s = (int) STATE.getAcquire(this);
        if (s != RUNNING) {
            STATE.setRelease(this, RUNNING);
            if (s == (WAITING | ASLEEP)) {
                program.liveness.awake(); // nobody readied this wait (see the class comment)
            }
        }
        waiter = null;
        if (jfrPark != null) {
            Jfr.parkEnd(this, waitReason, waitSince);
        }
    }

    /**
     * Called by a waker before it unparks this goroutine: by the waker that won the claim of the goroutine's
     * {@link Waiter}, before it sets WOKEN (see the class comment).
     */
    public void readied() {
        int s = (int) STATE.getAcquire(this);
        if ((s & STATE_MASK) == WAITING) {
            STATE.setRelease(this, RUNNABLE);
            if (s == (WAITING | ASLEEP)) {
                program.liveness.awake();
            }
        }
    }

    /** Called by the goroutine itself when it ends. */
    private void died() {
        STATE.setRelease(this, DEAD);
    }

    /** Go's state text for a dump: "running", "runnable" or the wait reason. */
    public String stateText() {
        return switch (state()) {
            case RUNNABLE -> "runnable";
            case WAITING -> {
                WaitReason r = waitReason;
                yield r == null ? "waiting" : r.text();
            }
            case RUNNING -> Traceback.runningText(this);
            default -> "dead";
        };
    }

    @Override
    public String toString() {
        return "goroutine " + id + " [" + stateText() + "]";
    }

    /**
     * Identity equality (not overridden) with a hash taken from the goroutine id (unique within a program): the
     * program's live set hashes every goroutine at its start and its exit, and an identity hash would first have
     * to be generated and installed in the object's header.
     */
    @Override
    public int hashCode() {
        return Long.hashCode(id);
    }
}
