package go4j.context;

/**
 * A context returned together with its cancel function (Go's {@code ctx, cancel := context.WithCancel(parent)}):
 * the context <em>is</em> the handle. {@code defer cancel()} is try-with-resources:
 *
 * <pre>{@code
 * try (CancelContext ctx = Context.withTimeout(parent, Duration.ofSeconds(1))) {
 *     return slowOperation(ctx);
 * } // cancel()
 * }</pre>
 */
public interface CancelContext extends Context, AutoCloseable {
    /**
     * Go's {@code CancelFunc}: tells an operation to abandon its work. Closes {@link #done()}, sets {@link #err()}
     * to {@link Context#Canceled} (if not already cancelled), cancels every context derived from this one, removes
     * this context from its parent and stops its deadline timer. Idempotent: calls after the first do nothing. Does
     * not wait for the work to stop. Non-blocking apart from short internal locks.
     *
     * <p>Happens-before: the first cancel call happens-before every receive that observes {@code done()} closed and
     * every {@code err()} that returns non-null.
     */
    void cancel();

    /** {@link #cancel()}; for try-with-resources. */
    @Override
    default void close() {
        cancel();
    }
}
