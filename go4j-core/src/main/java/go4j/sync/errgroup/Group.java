package go4j.sync.errgroup;

import go4j.Chan;
import go4j.Go;
import go4j.GoInterruptedException;
import go4j.Panic;
import go4j.RuntimeError;
import go4j.context.CancelCauseContext;
import go4j.context.Context;
import go4j.sync.WaitGroup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Go's {@code golang.org/x/sync/errgroup.Group} (x/sync v0.16): synchronization, error propagation and context
 * cancellation for a group of goroutines working on subtasks of a common task. Related to {@link WaitGroup}, adding
 * the handling of tasks that return errors.
 *
 * <pre>{@code
 * // g, ctx := errgroup.WithContext(ctx)
 * Group g = Group.withContext(ctx);
 * Context gctx = g.context();
 * for (String url : urls) {
 *     g.go(() -> fetch(gctx, url));       // Task: returns its error, or null
 * }
 * Throwable err = g.await();              // g.Wait(): the first error, or null
 * }</pre>
 *
 * <h2>Errors and panics</h2>
 * Errors are values, as in Go and as {@link Context#err()}: a {@link Task} returns its error ({@code null} for
 * nil). The first non-null error is kept and returned by {@link #await()}; with {@link #withContext} it also cancels
 * the group's context, with the error as the cause ({@link Context#cause}). A task that <em>throws</em> panics: as
 * in x/sync v0.16, a panic is <b>not</b> turned into an error — it is an unrecovered panic of the task's goroutine,
 * which ends the {@link Go#run} program (or reaches the detached panic handler outside a program). The group's
 * bookkeeping still runs (the goroutine's slot and WaitGroup count are released, as Go's deferred {@code done}
 * does), so the group itself is never left inconsistent.
 *
 * <h2>Limit</h2>
 * {@link #setLimit} bounds the number of active goroutines with a buffered channel of tokens, as Go does: {@link #go}
 * blocks (wait reason {@code chan send}, as in Go) until a slot is free, {@link #tryGo} gives up instead. A negative
 * limit is no limit; a limit of 0 blocks every {@code go} (and makes every {@code tryGo} fail).
 *
 * <h2>Blocking and interruption</h2>
 * {@link #await()} waits on a {@link WaitGroup} (wait reason {@code sync.WaitGroup.Wait}), uninterruptibly as
 * WaitGroup does. {@link #go} blocked on the limit throws {@link GoInterruptedException} if interrupted (the task
 * is then not started).
 *
 * <p>Happens-before: {@code go(f)} happens before f runs; the return of every task happens before {@link #await()}
 * returns; the first error's cancellation of the context happens before {@code await} returns it.
 */
public class Group {
    /** The token sent into {@link #sem} for each active goroutine. */
    private static final Object TOKEN = new Object();

    private static final VarHandle ERR;

    static {
        try {
            ERR = MethodHandles.lookup().findVarHandle(Group.class, "err", Throwable.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The context cancelled by the first error and by await; null for a group made with {@code new Group()}. */
    private final CancelCauseContext ctx;
    /** Counts the goroutines started and not finished. */
    private final WaitGroup wg = new WaitGroup();
    /**
     * Go's {@code sem chan token}: one token per active goroutine while a limit is set; null for no limit. Written
     * only by {@link #setLimit}, which must not run concurrently with {@code go}/{@code tryGo} (Go's rule);
     * volatile so that a limit set by one goroutine is seen by the next {@code go} of another.
     */
    private volatile Chan<Object> sem;
    /** The first error (set once by CAS; Go's {@code errOnce} + {@code err}). */
    @SuppressWarnings("unused")
    private volatile Throwable err;

    /**
     * A group with no limit that does not cancel anything on error (Go's zero {@code errgroup.Group}).
     */
    public Group() {
        this.ctx = null;
    }

    private Group(CancelCauseContext ctx) {
        this.ctx = ctx;
    }

    /**
     * Go's {@code WithContext(ctx)}: a new group and a context derived from {@code parent} (see {@link #context()}),
     * cancelled the first time a task returns a non-null error (with that error as its cause) or the first time
     * {@link #await()} returns, whichever occurs first.
     *
     * @throws Panic {@code cannot create context from nil parent}
     */
    public static Group withContext(Context parent) {
        return new Group(Context.withCancelCause(parent));
    }

    /**
     * The context made by {@link #withContext} (the second result of Go's {@code WithContext}); for a group made
     * with {@code new Group()}, {@link Context#background()}.
     */
    public Context context() {
        return ctx == null ? Context.background() : ctx;
    }

    /**
     * Go's {@code Go(f)}: calls {@code f} in a new goroutine. Blocks until the goroutine can be added without the
     * number of active goroutines exceeding the limit. The first task to return a non-null error cancels the
     * group's context (if made by {@link #withContext}); the error is returned by {@link #await()}.
     *
     * @throws RuntimeError {@code invalid memory address or nil pointer dereference} if {@code f} is null
     * @throws GoInterruptedException if interrupted while blocked on the limit
     */
    public void go(Task f) {
        if (f == null) {
            throw new RuntimeError("invalid memory address or nil pointer dereference");
        }
        Chan<Object> s = sem;
        if (s != null) {
            s.send(TOKEN);
        }
        wg.add(1);
        Go.go(() -> run(s, f)); // here, not in a helper: the goroutine is "created by ...errgroup.Group.go"
    }

    /**
     * Go's {@code TryGo(f)}: calls {@code f} in a new goroutine only if the number of active goroutines is below
     * the limit; returns whether the goroutine was started. (As in Go, a {@code tryGo} may take a slot freed while
     * {@code go} callers are blocked: channels allow that barging.)
     */
    public boolean tryGo(Task f) {
        if (f == null) {
            throw new RuntimeError("invalid memory address or nil pointer dereference");
        }
        Chan<Object> s = sem;
        if (s != null && !s.trySend(TOKEN)) {
            return false;
        }
        wg.add(1);
        Go.go(() -> run(s, f));
        return true;
    }

    /** The goroutine of a task that holds a token of {@code s} (null: no limit). */
    private void run(Chan<Object> s, Task f) {
        try {
            Throwable e = f.run();
            if (e != null && ERR.compareAndSet(this, null, e) && ctx != null) {
                ctx.cancel(e);
            }
        } finally {
            // Go's deferred g.done(): runs on panic too. The token goes back to the channel it was taken from.
            if (s != null) {
                s.recv();
            }
            wg.done();
        }
    }

    /**
     * Go's {@code Wait}: blocks until every task started by {@link #go}/{@link #tryGo} has returned, then cancels
     * the group's context (if any) and returns the first non-null error, or null.
     */
    public Throwable await() {
        wg.await();
        Throwable e = err;
        if (ctx != null) {
            ctx.cancel(e);
        }
        return e;
    }

    /**
     * Go's {@code SetLimit(n)}: limits the number of active goroutines in this group to at most {@code n}; a negative
     * value removes the limit. Subsequent {@link #go} calls block until they can add an active goroutine without
     * exceeding the limit.
     *
     * <p>The limit must not be modified while goroutines of the group are active. Go detects this only for
     * goroutines started under a previous limit; go4j counts every active goroutine of the group (a goroutine
     * started without a limit and finishing under a new one would otherwise take a token it never gave, which in
     * Go blocks it for ever).
     *
     * @throws Panic {@code errgroup: modify limit while N goroutines in the group are still active}
     */
    public void setLimit(int n) {
        if (n < 0) {
            sem = null;
            return;
        }
        int active = wg.count();
        if (active != 0) {
            throw new Panic("errgroup: modify limit while " + active + " goroutines in the group are still active");
        }
        sem = Chan.make(n);
    }

    @Override
    public String toString() {
        Chan<Object> s = sem;
        return "errgroup.Group[active=" + wg.count() + (s == null ? "" : ", limit=" + s.cap())
                + (err != null ? ", err=" + err : "") + "]";
    }
}
