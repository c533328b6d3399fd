package go4j.internal;

import go4j.FatalError;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Deadlock detection for one {@link Program} (Go's {@code checkdead}): when every live goroutine of a run is
 * <em>asleep</em>, no timer of the run is pending, and the state did not change while it was checked, the run ends
 * with {@code fatal error: all goroutines are asleep - deadlock!}.
 *
 * <h2>What "asleep" means</h2>
 * A goroutine is asleep while it is parked through a {@link Waiter} with an {@link WaitReason#asleep() asleep}
 * reason (channel, select, nil channel, {@code select {}}, sync primitives), <em>without a deadline</em>, on an
 * object of its own program ({@link Waiter#domain}). Everything else keeps the run alive: a running goroutine, one
 * blocked in a JDK call go4j does not own (I/O, {@code synchronized}, {@code ReentrantLock}, {@code Thread.sleep}:
 * go4j sees it as running), one sleeping or in a timed wait, one waiting on a channel made outside the run (a plain
 * thread may feed it), and any timer the timer engine counts ({@link #timerArmed()}; see {@code RuntimeTimer}: an
 * afterFunc while pending, a channel timer only while a goroutine is blocked on its channel, Go 1.23's rule).
 *
 * <h2>Invariants and cost</h2>
 * {@link #word} packs the <em>awake count</em> (bits 0-31: live goroutines of the run that are not asleep) and an
 * <em>epoch</em> (bits 32-63, bumped by every change of the count). Transitions, each one atomic add on the word:
 * <ul>
 *   <li>+1 when a goroutine is registered ({@link Program#started}), -1 after it left the live set;</li>
 *   <li>-1 when it starts an asleep wait ({@link G#parking(WaitReason, Waiter, boolean)}), +1 when that wait ends
 *       (by whichever of the waker's {@link G#readied()} and the owner's {@link G#resumed()} wins the state CAS).</li>
 * </ul>
 * No lock on park/unpark: one uncontended-in-the-common-case atomic add. The count only reaches 0 when the last
 * awake goroutine goes to sleep; only then does the thread that made it 0 run {@link #check}, which confirms by a
 * scan of the live set: every goroutine must be {@link G#isAsleep() asleep} (its Waiter not yet woken and its thread
 * not interrupted: a goroutine woken between its count update and its park is not asleep), no timer pending, and
 * the word (count <em>and</em> epoch) unchanged across the scan (nothing woke, started, exited or slept meanwhile).
 * A check that fails needs no retry: whatever made it fail changes the count, and the next time the count reaches 0
 * a new check runs. Only the last transition's check can fire, once ({@link #fired}).
 *
 * <h2>Timers (hook for the timer engine)</h2>
 * A pending timer can wake goroutines, so a run with one is never deadlocked. The timer engine calls
 * {@link #timerArmed()} when a timer of the run becomes pending and {@link #timerDone()} once it is stopped or has
 * fired <em>and delivered</em> (after the send on its channel or the start of its function), so that the count
 * never reaches 0 between delivery and wake.
 *
 * <h2>Limit</h2>
 * Code outside the run (a plain Java thread, a {@code CompletableFuture} callback, another run) that was handed a
 * channel the run made can wake the run later; go4j cannot see such references. Make such channels outside the run,
 * run the outside work in a goroutine, or turn detection off with {@code -Dgo4j.deadlock=false}.
 */
public final class Liveness {
    /** {@code -Dgo4j.deadlock=false} turns detection off (the accounting is skipped too). */
    public static final boolean ENABLED = !"false".equals(System.getProperty("go4j.deadlock"));

    /** Go's message. */
    public static final String DEADLOCK = "all goroutines are asleep - deadlock!";

    private static final long EPOCH = 1L << 32;
    private static final long COUNT_MASK = EPOCH - 1;
    private static final VarHandle WORD;

    static {
        try {
            WORD = MethodHandles.lookup().findVarHandle(Liveness.class, "word", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Program program;
    /** Awake count (bits 0-31) and epoch (bits 32-63); see the class comment. */
    @SuppressWarnings("unused")
    private volatile long word;
    /** Timers of the run that are pending. */
    private final AtomicLong timers = new AtomicLong();
    /** Set once, by the check that reports the deadlock. */
    private volatile boolean fired;

    Liveness(Program program) {
        this.program = program;
    }

    /**
     * The liveness of the calling goroutine's run, or null when the caller is not a goroutine of a run (or
     * detection is off). The timer engine keeps the returned object with the timer, to call {@link #timerDone()}
     * on the same run whichever thread stops or fires it.
     */
    public static Liveness ofCurrent() {
        G g = G.current();
        return g == null ? null : g.program.liveness;
    }

    /** A timer of this run became pending. */
    public void timerArmed() {
        timers.incrementAndGet();
    }

    /** A pending timer of this run was stopped, or fired and delivered. */
    public void timerDone() {
        if (timers.decrementAndGet() == 0) {
            long w = (long) WORD.getVolatile(this);
            if ((w & COUNT_MASK) == 0) {
                check(w);
            }
        }
    }

    /** Timers of this run now pending. */
    public long pendingTimers() {
        return timers.get();
    }

    /** Live goroutines of this run that are not asleep. */
    public long awakeCount() {
        return (long) WORD.getVolatile(this) & COUNT_MASK;
    }

    void started() {
        WORD.getAndAdd(this, EPOCH + 1);
    }

    /** A goroutine left the live set. */
    void exited() {
        asleep();
    }

    /** A goroutine of this run starts an asleep wait (or exited). */
    void asleep() {
        long w = (long) WORD.getAndAdd(this, EPOCH - 1) + EPOCH - 1;
        if ((w & COUNT_MASK) == 0) {
            check(w);
        }
    }

    /** An asleep goroutine of this run was woken. */
    void awake() {
        WORD.getAndAdd(this, EPOCH + 1);
    }

    /** The count reached 0 with word {@code w0}: confirm and report. */
    private void check(long w0) {
        Program p = program;
        if (fired || p.hasEnded() || p.mainExited() || p.failure() != null || timers.get() != 0) {
            return;
        }
        boolean any = false;
        for (G g : p.liveView()) {
            if (!g.isAsleep()) {
                return;
            }
            any = true;
        }
        if (!any || timers.get() != 0 || (long) WORD.getVolatile(this) != w0) {
            return;
        }
        synchronized (this) {
            if (fired) {
                return;
            }
            fired = true;
        }
        Jfr.deadlock(p);
        p.fail(null, new FatalError(DEADLOCK));
    }
}
