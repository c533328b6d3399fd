package go4j.context;

import go4j.Panic;
import go4j.RecvChan;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Go's {@code context.Context}: carries a deadline, a cancellation signal and request-scoped values across API
 * boundaries and goroutines. The static methods are the functions of Go's package {@code context} (Go 1.21+).
 *
 * <h2>The tree</h2>
 * Contexts derived with {@link #withCancel}, {@link #withDeadline}, {@link #withTimeout} (and their cause
 * variants) and {@link #afterFunc} form a tree: cancelling a context cancels all of its descendants
 * synchronously, before {@code cancel} returns; a cancelled child is removed from its parent, so long-lived parents
 * do not accumulate children. A context's deadline is never later than its parent's. A deadline that has already
 * passed cancels the context at once; otherwise a go4j timer cancels it when due, and the timer is stopped when the
 * context is cancelled first.
 *
 * <h2>Rules every implementation keeps</h2>
 * <ul>
 *   <li>{@link #done()} is closed when the work should be abandoned; {@code null} (Go's nil channel) if the
 *       context can never be cancelled. Successive calls return the same channel.</li>
 *   <li>{@link #err()} is null while {@code done()} is open and non-null once it is closed; it never changes
 *       once set.</li>
 *   <li>The methods may be called from any thread, concurrently.</li>
 * </ul>
 *
 * <h2>Custom implementations</h2>
 * Implement this interface (and optionally {@link AfterFuncer}); contexts derived from a custom parent are cancelled
 * with it: through the parent's {@code afterFunc} method if it has one, else — only if the parent can be cancelled
 * ({@code done() != null}) and is not a go4j context in disguise — through one watcher goroutine per child.
 *
 * <h2>Values</h2>
 * {@link #value(Object)} compares keys with {@code equals} (Go compares with {@code ==}); use a dedicated key type
 * (a private record or enum) to avoid collisions between packages.
 */
public interface Context {
    /** Go's {@code context.Canceled}: the error of a context cancelled by its cancel function. */
    ContextError Canceled = new ContextError("context canceled", false);

    /** Go's {@code context.DeadlineExceeded}: the error of a context whose deadline passed. */
    ContextError DeadlineExceeded = new ContextError("context deadline exceeded", true);

    /** Go's {@code Deadline()}: when work done on behalf of this context should be cancelled, if ever. */
    Optional<Instant> deadline();

    /**
     * Go's {@code Done()}: a channel that is closed when this context is cancelled; {@code null} (the nil channel)
     * if it can never be cancelled. Use it in a {@link go4j.Select} ({@code recv(ctx.done())}; a null channel case
     * is never ready) or receive from it directly.
     */
    RecvChan<Void> done();

    /**
     * Go's {@code Err()}: null if {@link #done()} is not yet closed; {@link #Canceled} if the context was
     * cancelled, {@link #DeadlineExceeded} if its deadline passed (or another error for custom contexts).
     */
    Throwable err();

    /** Go's {@code Value(key)}: the value associated with key, or null. */
    Object value(Object key);

    // ------------------------------------------------------------------------------------------ package context

    /** {@code context.Background()}: the never-cancelled, value-less root of context trees. */
    static Context background() {
        return EmptyCtx.BACKGROUND;
    }

    /** {@code context.TODO()}: as {@link #background()}, for code that does not yet know which context to use. */
    static Context todo() {
        return EmptyCtx.UNDECIDED;
    }

    /**
     * {@code context.WithCancel(parent)}: a derived context, cancelled when the returned handle's
     * {@link CancelContext#cancel()} is called or when the parent is cancelled, whichever happens first.
     *
     * @throws Panic {@code cannot create context from nil parent}
     */
    static CancelContext withCancel(Context parent) {
        return CancelCtx.withCancel(parent);
    }

    /**
     * {@code context.WithCancelCause(parent)}: as {@link #withCancel}, with a cancel that records a cause.
     *
     * @throws Panic {@code cannot create context from nil parent}
     */
    static CancelCauseContext withCancelCause(Context parent) {
        return CancelCtx.withCancel(parent);
    }

    /**
     * {@code context.Cause(c)}: why c was cancelled — the cause given to the first cancellation of c or of an
     * ancestor created by {@link #withCancelCause} or a cause variant, else {@code c.err()}; null while c is not
     * cancelled. For a context without go4j cancellation in its ancestry (custom or {@link #withoutCancel}) this is
     * {@code c.err()}.
     */
    static Throwable cause(Context c) {
        return CancelCtx.cause(c);
    }

    /**
     * {@code context.WithDeadline(parent, d)}: a derived context whose deadline is no later than d. If the parent's
     * deadline is already earlier, it is {@code withCancel(parent)}.
     *
     * @throws Panic {@code cannot create context from nil parent}
     */
    static CancelContext withDeadline(Context parent, Instant d) {
        return TimerCtx.withDeadline(parent, d, null, null);
    }

    /**
     * {@code context.WithDeadlineCause(parent, d, cause)}: as {@link #withDeadline}, and when the deadline passes
     * the context's cause is {@code cause} (its err is still {@link #DeadlineExceeded}). The returned cancel does
     * not set a cause.
     */
    static CancelContext withDeadlineCause(Context parent, Instant d, Throwable cause) {
        return TimerCtx.withDeadline(parent, d, null, cause);
    }

    /** {@code context.WithTimeout(parent, timeout)}: {@code withDeadline(parent, now + timeout)}. */
    static CancelContext withTimeout(Context parent, Duration timeout) {
        return TimerCtx.withTimeout(parent, timeout, null);
    }

    /** {@code context.WithTimeoutCause(parent, timeout, cause)}. */
    static CancelContext withTimeoutCause(Context parent, Duration timeout, Throwable cause) {
        return TimerCtx.withTimeout(parent, timeout, cause);
    }

    /**
     * {@code context.WithValue(parent, key, val)}: a derived context whose {@code value(key)} is val.
     *
     * @throws Panic {@code cannot create context from nil parent}, {@code nil key}
     */
    static Context withValue(Context parent, Object key, Object val) {
        return ValueCtx.withValue(parent, key, val);
    }

    /**
     * {@code context.WithoutCancel(parent)}: a derived context that keeps the parent's values but is not cancelled
     * when the parent is: no deadline, a null {@code done()}, a null {@code err()} and a null cause.
     *
     * @throws Panic {@code cannot create context from nil parent}
     */
    static Context withoutCancel(Context parent) {
        return WithoutCancelCtx.withoutCancel(parent);
    }

    /**
     * {@code context.AfterFunc(ctx, f)}: arranges to call f in its own goroutine after ctx is cancelled (at once if
     * it already is). Multiple calls on one context are independent. The returned {@link StopFunc} stops the
     * association: it returns true if it prevented f from being run.
     */
    static StopFunc afterFunc(Context ctx, Runnable f) {
        return AfterFuncCtx.afterFunc(ctx, f);
    }
}
