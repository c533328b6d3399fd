package go4j.context;

/**
 * The function returned by {@link Context#afterFunc} (Go's {@code stop func() bool}): stops the association of the
 * function with its context.
 */
@FunctionalInterface
public interface StopFunc {
    /**
     * Returns true if this call stopped the function from being run; false if the function has already been
     * started in its own goroutine or was stopped already. Does not wait for a started function to complete.
     */
    boolean stop();
}
