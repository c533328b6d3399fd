package go4j.internal;

import go4j.FatalError;
import go4j.GoInterruptedException;
import go4j.Panic;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;

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
 * </ul>
 */
public final class Program {
    /** Goroutines started by threads that are not goroutines of a run. */
    public static final Program DETACHED = new Program(null);

    private static volatile BiConsumer<G, Throwable> detachedPanicHandler = Program::printReport;

    private final AtomicLong ids = new AtomicLong();
    private final ConcurrentHashMap<G, Boolean> live = new ConcurrentHashMap<>();
    /** The thread blocked in {@code Go.run}, woken when main exits or a goroutine panics; null for DETACHED. */
    private final Thread runner;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private volatile G failedGoroutine;
    private volatile boolean mainExited;
    private volatile boolean ended;

    public Program(Thread runner) {
        this.runner = runner;
    }

    long nextId() {
        return ids.incrementAndGet();
    }

    /** Registers a goroutine that is about to start. */
    public void started(G g) {
        live.put(g, Boolean.TRUE);
    }

    void exited(G g) {
        live.remove(g);
        if (g.id == 1 && runner != null) {
            mainExited = true;
            LockSupport.unpark(runner);
        }
    }

    /** Live goroutines of this program (a weakly consistent snapshot). */
    public Collection<G> goroutines() {
        return new ArrayList<>(live.keySet());
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
            printReport(g, t);
            LockSupport.unpark(runner);
        }
    }

    /**
     * Blocks the runner until main exits or the program fails. Interrupting the runner ends the wait and
     * returns with the interrupt status set.
     */
    public void await() {
        while (!mainExited && failure.get() == null) {
            LockSupport.park(WaitReason.PROGRAM.blocker());
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    /** Marks the program over and interrupts the goroutines still alive, so that blocked ones exit. */
    public void end() {
        ended = true;
        for (G g : live.keySet()) {
            Thread t = g.thread;
            if (t != null) {
                t.interrupt();
            }
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

    /** Prints Go's report for an unrecovered panic or fatal error to stderr. */
    public static void printReport(G g, Throwable t) {
        PrintStream err = System.err;
        String report = report(g, t);
        synchronized (err) {
            err.print(report);
            err.flush();
        }
    }

    /**
     * Go's report: {@code panic: <value>} (or {@code fatal error: <msg>}), a blank line, then
     * {@code goroutine N [running]:} with the goroutine's stack and its creation site.
     */
    public static String report(G g, Throwable t) {
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
                if (t instanceof Panic p && p.value() == c) {
                    continue;
                }
                sb.append("\tcaused by: ").append(c).append('\n');
                if (c.getCause() == c) {
                    break;
                }
            }
        }
        sb.append('\n');
        if (g != null) {
            sb.append("goroutine ").append(g.id).append(" [running]:\n");
            Traceback.appendFrames(sb, List.of(t.getStackTrace()));
            Traceback.appendCreatedBy(sb, g);
        } else {
            sb.append("goroutine ? [running]:\n");
            Traceback.appendFrames(sb, List.of(t.getStackTrace()));
        }
        return sb.toString();
    }
}
