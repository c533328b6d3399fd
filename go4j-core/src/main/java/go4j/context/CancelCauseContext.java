package go4j.context;

/**
 * A context returned by {@link Context#withCancelCause} with its {@code CancelCauseFunc}: as {@link CancelContext},
 * and {@link #cancel(Throwable)} also records the cause that {@link Context#cause} reports.
 */
public interface CancelCauseContext extends CancelContext {
    /**
     * Go's {@code CancelCauseFunc}: cancels as {@link #cancel()} and sets the cause returned by
     * {@link Context#cause(Context)} — for this context and those derived from it — to {@code cause}; a null cause
     * gives {@link Context#Canceled}. Only the first cancellation of a context sets its cause.
     */
    void cancel(Throwable cause);

    /** {@code cancel(null)}. */
    @Override
    default void cancel() {
        cancel(null);
    }
}
