package go4j.internal;

import go4j.FatalError;
import go4j.internal.sched.Scheduler;

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
 * The <em>awake count</em> (live goroutines of the run that are not asleep) is striped over {@link #cells}, one
 * cache line each: cell 0 for every thread that is not a carrier of go4j's scheduler (platform threads, the JDK
 * scheduler's carriers, sysmon), then one <em>exclusive</em> cell for each of the first {@link #EXCLUSIVE} Ms of the
 * process ({@code M.liveSlot}), then {@link #SHARED} cells for any later M (slot modulo). Each cell packs a
 * signed count (bits 0-31, an {@code int}) and an epoch (bits 32-63, bumped by every transition). A transition on
 * an exclusive cell is a plain read and a release store (its M is the cell's only writer: the goroutine code
 * running on an M runs on the M's thread, and nothing between the read and the store can unmount it); on any
 * other cell it is an atomic add. The count itself is the sum of the cells' counts (a cell may be negative: a
 * goroutine that went to sleep on one M may be woken on another). Transitions:
 * <ul>
 *   <li>+1 when a goroutine is registered ({@link Program#started}), -1 after it left the live set;</li>
 *   <li>-1 when it starts an asleep wait ({@link G#parking(WaitReason, Waiter, boolean)}), +1 when that wait ends
 *       (by the waker's {@link G#readied()} or, when no waker readied it, the owner's {@link G#resumed()}).</li>
 * </ul>
 * No lock, and no cache line shared between Ms on park/unpark: with a single program-wide word, two Ps running a
 * goroutine chain each moved that word's line on every park and wake (Sieve1000 on two Ps: 16 % of its time, paired
 * in-process measurement). The count can only reach 0 at a decrement. A decrement on cell 0 sums the cells at once;
 * a decrement on an M's cell does not (that would read the other Ms' lines): go4j's scheduler calls
 * {@link #pollAll()} instead from sysmon, which loops at least every millisecond while any P runs, and from every M
 * that goes idle, so a run whose last awake goroutine went to sleep on an M is looked at within about a
 * millisecond (Go's {@code checkdead} also runs when Ms go idle). {@link #check} confirms by a double collect and
 * a scan of the live set: the cells must sum to 0, every goroutine must be {@link G#isAsleep() asleep} (its Waiter
 * not yet woken and its thread not interrupted: a goroutine woken between its count update and its park is not
 * asleep), no timer pending, and every cell (count <em>and</em> epoch) unchanged across the scan (nothing woke,
 * started, exited or slept meanwhile; the cells' values at the last first read are then the count at that moment).
 * A check that fails needs no retry: whatever made it fail changes a cell, and the next decrement or poll checks
 * again. Only one check can fire, once ({@link #fired}).
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
    /** longs per cell: a cache line. */
    private static final int STRIDE = 8;
    /**
     * Exclusive cells: the first this many Ms of the process each own one (slots 1..EXCLUSIVE). More than the Ps,
     * since sysmon starts an M for every P it takes from a carrier stuck in a JDK call.
     */
    static final int EXCLUSIVE = Math.min(64, Math.max(16, 2 * Runtime.getRuntime().availableProcessors()));
    /** Cells shared (atomic adds) by the Ms after the first {@link #EXCLUSIVE}. */
    private static final int SHARED = 4;
    /** Cell 0 for threads that are not Ms, the exclusive cells, the shared cells. */
    private static final int CELLS = 1 + EXCLUSIVE + SHARED;
    private static final VarHandle CELL = MethodHandles.arrayElementVarHandle(long[].class);

    private final Program program;
    /**
     * Cell c (count in bits 0-31, epoch in bits 32-63; see the class comment) at {@code index(c)}:
     * a cache line of padding before the first and after the last, so no other object shares their lines.
     */
    private final long[] cells = new long[(CELLS + 2) * STRIDE];
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

    /**
     * Adds {@code delta} to the caller's cell (see the class comment); returns true if that is cell 0 (the caller
     * is not an M, so nobody polls for it).
     */
    private boolean add(long delta) {
        int slot = Scheduler.currentLiveSlot();
        int i = index(cellOf(slot));
        if (isExclusive(slot)) {
            CELL.setRelease(cells, i, (long) CELL.get(cells, i) + delta); // this M is the cell's only writer
            return false;
        }
        CELL.getAndAdd(cells, i, delta);
        return slot == 0;
    }

    /** Where cell {@code c} is in {@link #cells}. */
    private static int index(int c) {
        return (c + 1) * STRIDE;
    }

    /** Cell {@code c}'s value (count and epoch). */
    private long cell(int c) {
        return (long) CELL.getVolatile(cells, index(c));
    }

    /** Whether the M with this slot owns its cell (see the class comment). */
    static boolean isExclusive(int slot) {
        return slot >= 1 && slot <= EXCLUSIVE;
    }

    /** The cell of a caller with this M slot (0: not an M): 0, an exclusive cell, or a shared one. */
    static int cellOf(int slot) {
        if (slot <= 0) {
            return 0;
        }
        return slot <= EXCLUSIVE ? slot : 1 + EXCLUSIVE + (slot - EXCLUSIVE - 1) % SHARED;
    }

    /** Number of cells (for tests). */
    static int cells() {
        return CELLS;
    }

    /** A timer of this run became pending. */
    public void timerArmed() {
        timers.incrementAndGet();
    }

    /** A pending timer of this run was stopped, or fired and delivered. */
    public void timerDone() {
        if (timers.decrementAndGet() == 0) {
            checkIfZero();
        }
    }

    /** Timers of this run now pending. */
    public long pendingTimers() {
        return timers.get();
    }

    /**
     * Live goroutines of this run that are not asleep (a racy sum of the cells). The sum is taken in {@code int}
     * arithmetic: a cell's count wraps after 2^32 net transitions on one M (a pair that always sleeps on one M and
     * is woken on another), and the sum of the wrapped counts is the true count modulo 2^32, which is exact because
     * the true count is never negative and far below 2^31.
     */
    public long awakeCount() {
        int n = 0;
        for (int c = 0; c < CELLS; c++) {
            n += (int) cell(c);
        }
        return n;
    }

    void started() {
        add(EPOCH + 1);
    }

    /** A goroutine left the live set. */
    void exited() {
        asleep();
    }

    /** A goroutine of this run starts an asleep wait (or exited). */
    void asleep() {
        if (add(EPOCH - 1)) {
            checkIfZero(); // not on an M: nobody polls for us
        }
    }

    /** An asleep goroutine of this run was woken. */
    void awake() {
        add(EPOCH + 1);
    }

    /**
     * Looks for deadlocked runs: every run whose awake count is 0 is checked. Called by go4j's scheduler (sysmon's
     * loop, an M going idle), since decrements made on Ms do not check by themselves (see the class comment).
     */
    public static void pollAll() {
        Program.forEachLiveness(Liveness::poll);
    }

    private void poll() {
        if (!fired && timers.get() == 0) {
            checkIfZero();
        }
    }

    /** Checks for a deadlock if the cells sum to 0. */
    private void checkIfZero() {
        if (awakeCount() != 0) {
            return;
        }
        long[] snap = new long[CELLS];
        int n = 0; // see awakeCount
        for (int c = 0; c < CELLS; c++) {
            snap[c] = cell(c);
            n += (int) snap[c];
        }
        if (n == 0) {
            check(snap);
        }
    }

    /** Whether every cell still holds its value in {@code snap} (the second collect). */
    private boolean unchanged(long[] snap) {
        for (int c = 0; c < CELLS; c++) {
            if (cell(c) != snap[c]) {
                return false;
            }
        }
        return true;
    }

    /** The cells summed to 0 in {@code snap} (a collect): confirm and report. */
    private void check(long[] snap) {
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
        if (!any || timers.get() != 0 || !unchanged(snap)) {
            return;
        }
        synchronized (this) {
            if (fired) {
                return;
            }
            fired = true;
        }
        // The JFR event is emitted by the run's caller (see Program.await).
        p.fail(null, new FatalError(DEADLOCK));
    }

    /** Whether this run was reported deadlocked. */
    boolean fired() {
        return fired;
    }
}
