package go4j.context;

/**
 * The two errors of Go's package context: {@link Context#Canceled} ({@code "context canceled"}) and
 * {@link Context#DeadlineExceeded} ({@code "context deadline exceeded"}, which reports {@link #timeout()} true, as
 * Go's {@code deadlineExceededError} implements {@code Timeout()} and {@code Temporary()}). They are singletons:
 * compare with {@code ==} ({@code errors.Is(err, context.Canceled)}). Stackless: they are values, not failures
 * of the code that reads them.
 */
public final class ContextError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final boolean timeout;

    ContextError(String message, boolean timeout) {
        super(message, null, false, false);
        this.timeout = timeout;
    }

    /** Go's {@code Timeout()}: true for DeadlineExceeded. */
    public boolean timeout() {
        return timeout;
    }

    /** Go's {@code Temporary()}: true for DeadlineExceeded. */
    public boolean temporary() {
        return timeout;
    }

    @Override
    public String toString() {
        return getMessage();
    }
}
