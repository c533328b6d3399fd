package go4j;

import go4j.internal.CallSite;
import go4j.internal.G;
import go4j.internal.Program;
import go4j.internal.Sched;

/**
 * Go's built-ins for goroutines: {@code go f()}, and running a Go program.
 *
 * <h2>Goroutines</h2>
 * {@link #go(Runnable)} starts a goroutine: a virtual thread that go4j tracks with an id, a state (running,
 * runnable, or waiting with Go's wait reason such as {@code chan receive}) and its creation site.
 *
 * <h2>Programs and panics</h2>
 * {@link #run(Runnable)} runs a Go program: its argument is goroutine 1, and every goroutine it starts (directly
 * or not) belongs to the program. {@code run} returns when main returns; other goroutines are not awaited, as in
 * Go. An unrecovered panic (any exception) in <em>any</em> goroutine of the program ends it: Go's report
 * ({@code panic: <value>}, a blank line, {@code goroutine N [running]:} and the stack) goes to stderr, and
 * {@code run} throws the panic — a {@link Panic} whose {@link Panic#goroutine()} names the goroutine (an exception
 * that is not a Panic arrives wrapped in one, as its value and cause). A {@link FatalError} is thrown as itself.
 * When a program ends, for any reason, the goroutines it leaves behind are interrupted, so that those blocked in
 * go4j operations exit ({@link GoInterruptedException}); nothing they throw afterwards is reported.
 *
 * <p>Goroutines started by a thread that is not part of a program (a plain Java thread, another virtual thread)
 * are <em>detached</em>: an unrecovered panic in one of them goes to the handler set with
 * {@link #setPanicHandler}, which by default prints Go's report to stderr.
 */
public final class Go {
    private Go() {}

    /**
     * {@code go f()}: starts {@code f} in a new goroutine and returns at once.
     *
     * <p>Happens-before: everything the caller did before {@code go} is visible to {@code f}.
     */
    public static void go(Runnable f) {
        if (f == null) {
            throw new RuntimeError("invalid memory address or nil pointer dereference");
        }
        G parent = G.current();
        Program program = parent == null || parent.program.hasEnded() ? Program.DETACHED : parent.program;
        spawn(program, parent == null ? 0 : parent.id, CallSite.goSite(1, f), f);
    }

    private static G spawn(Program program, long parentId, StackTraceElement at, Runnable f) {
        G g = new G(program, parentId, at, f);
        Sched.spawn(g);
        return g;
    }

    /**
     * Runs a Go program whose main goroutine (goroutine 1) runs {@code main}; blocks until main returns.
     *
     * @throws Panic the first unrecovered panic of any goroutine of the program (after Go's report on stderr)
     * @throws FatalError a fatal error of the program (for example a deadlock)
     * @throws GoInterruptedException if the calling thread is interrupted while the program runs (the program is
     *         then ended as above)
     */
    public static void run(Runnable main) {
        if (main == null) {
            throw new RuntimeError("invalid memory address or nil pointer dereference");
        }
        G caller = G.current();
        Program program = new Program(Sched.currentThread());
        spawn(program, 0, caller == null ? null : CallSite.caller(1), main);
        program.await();
        program.end();
        Throwable failure = program.failure();
        if (failure == null) {
            if (Sched.isInterrupted()) {
                throw GoInterruptedException.clearAndCreate();
            }
            return;
        }
        if (failure instanceof Panic p) {
            throw p;
        }
        if (failure instanceof FatalError f) {
            throw f;
        }
        Panic p = new Panic(failure);
        G g = program.failedGoroutine();
        p.setGoroutine(g == null ? 0 : g.id);
        throw p;
    }

    /**
     * A Go {@code main}: runs the program as {@link #run} does and then exits the JVM, with status 0 when main
     * returns and status 2 after an unrecovered panic or a fatal error (the report is already on stderr), as a Go
     * binary does.
     */
    public static void main(Runnable main) {
        int status = 0;
        try {
            run(main);
        } catch (Panic | FatalError e) {
            status = 2;
        }
        System.out.flush();
        System.err.flush();
        System.exit(status);
    }

    /**
     * {@code runtime.NumGoroutine()}: the number of live goroutines of the calling goroutine's program (for a
     * thread outside any program: of the detached goroutines).
     */
    public static int numGoroutine() {
        G g = G.current();
        return (g == null ? Program.DETACHED : g.program).count();
    }

    /** {@code runtime.Gosched()}: yields the processor, letting other goroutines run. */
    public static void gosched() {
        Sched.gosched();
    }

    /** The calling goroutine's id, or 0 when the caller is not a goroutine. */
    public static long goid() {
        G g = G.current();
        return g == null ? 0 : g.id;
    }

    /** Receives the unrecovered panics of detached goroutines. */
    @FunctionalInterface
    public interface PanicHandler {
        /** Called on the dying goroutine's thread with its id and what it threw. */
        void unrecovered(long goroutine, Throwable panic);
    }

    /**
     * Sets the handler for unrecovered panics of detached goroutines (started outside any {@link #run});
     * {@code null} restores the default, which prints Go's report to stderr.
     */
    public static void setPanicHandler(PanicHandler handler) {
        Program.setDetachedPanicHandler(handler == null ? null : (g, t) -> handler.unrecovered(g.id, t));
    }

    /**
     * {@code runtime.GOMAXPROCS(n)}: sets the number of processors (Ps) that run goroutines at once if
     * {@code n > 0}, and returns the previous setting ({@code gomaxprocs(0)} only queries). Under go4j's G-M-P
     * scheduler it takes effect at once; under the JDK's default scheduler it is only recorded (see
     * {@link #runtimeInfo()}). The initial value is the number of available processors, or the system property
     * {@code go4j.gomaxprocs}, or the environment variable {@code GOMAXPROCS}.
     */
    public static int gomaxprocs(int n) {
        return Sched.gomaxprocs(n);
    }

    /**
     * A snapshot of the scheduler: Ps, their run queues, carrier threads, steals and hand-offs (the figures of
     * Go's {@code GODEBUG=schedtrace}; {@link SchedStats#toString()} prints that line). Racy by nature.
     */
    public static SchedStats schedStats() {
        return SchedStats.snapshot();
    }

    /** One line saying which scheduler runs goroutines. */
    public static String runtimeInfo() {
        return "go4j scheduler: " + Sched.description();
    }

    /**
     * {@code runtime.Stack}: the calling goroutine's stack in Go's format ({@code goroutine N [running]:}, the
     * frames, {@code created by ... in goroutine P}) and, if {@code all}, every other goroutine of its program with
     * its state or wait reason ({@code goroutine 7 [chan receive, 2 minutes]:}), separated by blank lines. go4j's
     * and the JDK's internal frames are folded away. From a thread that is not a goroutine: the detached
     * goroutines (empty unless {@code all}). Does not block; the other goroutines' stacks are snapshots taken one
     * by one, not at one instant.
     */
    public static String stack(boolean all) {
        return go4j.internal.Traceback.stack(all);
    }
}
