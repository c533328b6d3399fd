package go4j.internal;

import go4j.FatalError;
import go4j.GoInterruptedException;
import go4j.Panic;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * A Go program: the goroutines of one {@link go4j.Go#run} (goroutine 1 is its main), or the process-wide
 * program {@link #DETACHED} of goroutines started outside any run.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>{@link #live} holds exactly the goroutines of this program that have started and not yet exited; it is a
 *       concurrent map, so spawning and exiting never take a program-wide lock.</li>
 *   <li>{@link #failure} is set at most once (first panic or fatal error wins) and before {@link #ended}.</li>
 *   <li>Once {@link #ended}, no panic of a remaining goroutine is reported: the run is over, as a Go process that
 *       exited; remaining goroutines were interrupted by {@link #end()}.</li>
 *   <li>{@link #ACTIVE} holds every run that has not ended or still has live goroutines (for process-wide dumps);
 *       {@link #DETACHED} is not in it.</li>
 *   <li>A run's {@link #liveness} sees every start and exit of its goroutines (deadlock detection); DETACHED has
 *       none.</li>
 * </ul>
 */
public final class Program {
    /** Goroutines started by threads that are not goroutines of a run. */
    public static final Program DETACHED = new Program(null);

    private static final AtomicLong PROGRAM_IDS = new AtomicLong();
    /** Runs that have not ended, or still have live goroutines; see the invariants. */
    private static final Set<Program> ACTIVE = ConcurrentHashMap.newKeySet();

    private static volatile BiConsumer<G, Throwable> detachedPanicHandler = Program::printReport;

    static {
        go4j.debug.Diagnostics.fromSystemProperties(); // -Dgo4j.jmx, -Dgo4j.debug.http; JFR listener
    }

    /** Process-wide number of this program (0 for DETACHED), for dumps. */
    public final long number;
    /** Deadlock detection for a run; null for DETACHED or when detection is off. */
    public final Liveness liveness;
    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<G, Boolean> live = new ConcurrentHashMap<>();
    /** The thread blocked in {@code Go.run}, woken when main exits or a goroutine panics; null for DETACHED. */
    private final Thread runner;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile G failedGoroutine;
    /** Set after the failure's report is fully printed; the runner returns only then (see {@link #await}). */
    private volatile boolean reported;
    private volatile boolean mainExited;
    private volatile boolean ended;

    public Program(Thread runner) {
        this.runner = runner;
        this.number = runner == null ? 0 : PROGRAM_IDS.incrementAndGet();
        this.liveness = runner != null && Liveness.ENABLED ? new Liveness(this) : null;
        if (runner != null) {
            ACTIVE.add(this);
        }
    }

    /** The runs that have not ended or still have goroutines, oldest first, then DETACHED. */
    public static List<Program> all() {
        List<Program> l = new ArrayList<>(ACTIVE);
        l.sort(Comparator.comparingLong(p -> p.number));
        l.add(DETACHED);
        return l;
    }

    /** Calls f with the deadlock detection of every run that has it (see {@link Liveness#pollAll()}). */
    static void forEachLiveness(Consumer<Liveness> f) {
        for (Program p : ACTIVE) {
            Liveness lv = p.liveness;
            if (lv != null && !p.ended) {
                f.accept(lv);
            }
        }
    }

    /** The thread that called {@code Go.run} (null for DETACHED). */
    public Thread runner() {
        return runner;
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    /** Registers a goroutine that is about to start. */
    public void started(G g) {
        Liveness lv = liveness;
        if (lv != null) {
            lv.started();
        }
        live.put(g, Boolean.TRUE);
    }

    void exited(G g) {
        live.remove(g);
        boolean main = g.id == 1 && runner != null;
        if (main) {
            mainExited = true;
        }
        Liveness lv = liveness;
        if (lv != null) {
            lv.exited();
        }
        if (main) {
            Sched.unpark(runner);
        }
        if (ended && live.isEmpty()) {
            ACTIVE.remove(this);
        }
    }

    /** Live goroutines of this program (a weakly consistent snapshot). */
    public Collection<G> goroutines() {
        return new ArrayList<>(live.keySet());
    }

    /** Live goroutines, sorted by id. */
    public List<G> goroutinesById() {
        List<G> l = new ArrayList<>(live.keySet());
        l.sort(Comparator.comparingLong(g -> g.id));
        return l;
    }

    /** The live set itself (weakly consistent iteration, no copy), for the deadlock check. */
    Iterable<G> liveView() {
        return live.keySet();
    }

    boolean mainExited() {
        return mainExited;
    }

    public int count() {
        return live.size();
    }

    public boolean isDetached() {
        return runner == null;
    }

    public boolean hasEnded() {
        return ended;
    }

    /** An unrecovered panic (any Throwable) escaped goroutine g. */
    void goroutinePanicked(G g, Throwable t) {
        if (t instanceof Panic p) {
            p.setGoroutine(g.id);
        }
        if (runner == null) {
            detachedPanicHandler.accept(g, t);
            return;
        }
        if (ended) {
            return; // the program is over: its leftover goroutines die silently, as at process exit
        }
        fail(g, t);
    }

    /** Ends the run with a failure (first one wins): a panic or a fatal error. */
    public void fail(G g, Throwable t) {
        if (runner == null) {
            detachedPanicHandler.accept(g, t);
            return;
        }
        if (failure.compareAndSet(null, t)) {
            failedGoroutine = g;
            try {
                printReport(this, g, t);
            } finally {
                reported = true;
                Sched.unpark(runner);
            }
        }
    }

    /**
     * Blocks the runner until main exits or the program fails. Interrupting the runner ends the wait and
     * returns with the interrupt status set.
     */
    public void await() {
        // A failure counts once its report is printed (reported), so that Go.run never throws before stderr has
        // the report; a stale unpark permit or a main exiting meanwhile cannot make it return earlier.
        while ((!mainExited && !reported) || (failure.get() != null && !reported)) {
            Sched.park(WaitReason.PROGRAM.blocker());
            if (Sched.isInterrupted()) {
                return;
            }
        }
        Liveness lv = liveness;
        if (lv != null && lv.fired()) {
            // JFR's go4j.Deadlock event, from the caller's thread: the check may have run on a carrier thread (an M
            // or sysmon polling for deadlocks), whose events JFR did not keep. The goroutines are still as they
            // were found (end() has not interrupted them yet), so the event's dump is the report's.
            Jfr.deadlock(this);
        }
    }

    /** Marks the program over and interrupts the goroutines still alive, so that blocked ones exit. */
    public void end() {
        ended = true;
        for (G g : live.keySet()) {
            g.interrupt();
        }
        if (live.isEmpty()) {
            ACTIVE.remove(this);
        }
    }

    public Throwable failure() {
        return failure.get();
    }

    public G failedGoroutine() {
        return failedGoroutine;
    }

    public static void setDetachedPanicHandler(BiConsumer<G, Throwable> handler) {
        detachedPanicHandler = handler == null ? Program::printReport : handler;
    }

    public static BiConsumer<G, Throwable> detachedPanicHandler() {
        return detachedPanicHandler;
    }

    /** Prints Go's report for an unrecovered panic of a detached goroutine (the default detached handler). */
    public static void printReport(G g, Throwable t) {
        printReport(g == null ? DETACHED : g.program, g, t);
    }

    /** Prints Go's report for an unrecovered panic or fatal error of program p to stderr. */
    public static void printReport(Program p, G g, Throwable t) {
        PrintStream err = System.err;
        String report = report(p, g, t);
        synchronized (err) {
            err.print(report);
            err.flush();
        }
    }

    /** Go's report for goroutine g (of its own program); see {@link #report(Program, G, Throwable)}. */
    public static String report(G g, Throwable t) {
        return report(g == null ? DETACHED : g.program, g, t);
    }

    /**
     * Go's report: {@code panic: <value>} (or {@code fatal error: <msg>}), a blank line, then
     * {@code goroutine N [running]:} with the goroutine's stack (where it panicked) and its creation site, then,
     * as the traceback level ({@link Traceback#level()}, Go's {@code GOTRACEBACK}) says, the other goroutines of
     * the program. A fatal error with no goroutine (a deadlock) prints every goroutine of the program, as Go does.
     */
    public static String report(Program p, G g, Throwable t) {
        StringBuilder sb = new StringBuilder();
        if (t instanceof FatalError) {
            sb.append("fatal error: ").append(t.getMessage()).append('\n');
        } else {
            sb.append("panic: ").append(Panic.describe(t));
            if (t instanceof GoInterruptedException) {
                sb.append(" [interrupted]");
            }
            sb.append('\n');
            for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
                if (t instanceof Panic pp && pp.value() == c) {
                    continue;
                }
                sb.append("\tcaused by: ").append(c).append('\n');
                if (c.getCause() == c) {
                    break;
                }
            }
        }
        int level = Traceback.level();
        if (level == Traceback.NONE) {
            return sb.toString();
        }
        boolean all = level >= Traceback.ALL || (t instanceof FatalError && g == null);
        if (g != null) {
            sb.append('\n');
            sb.append("goroutine ").append(g.id).append(" [running]:\n");
            Traceback.appendFrames(sb, List.of(t.getStackTrace()), level >= Traceback.SYSTEM);
            Traceback.appendCreatedBy(sb, g);
        } else if (!all) {
            sb.append('\n');
            sb.append("goroutine ? [running]:\n");
            Traceback.appendFrames(sb, List.of(t.getStackTrace()), level >= Traceback.SYSTEM);
        }
        if (all) {
            for (G o : p.goroutinesById()) {
                if (o != g) {
                    sb.append('\n');
                    Traceback.appendGoroutine(sb, o, null, level >= Traceback.SYSTEM);
                }
            }
        }
        return sb.toString();
    }
}
