package go4j;

/**
 * The result of {@code v, ok := <-ch}: {@code ok} is true if the value was sent by a send, false if it is the zero
 * value ({@code null}) produced because the channel is closed and drained.
 */
public record Received<T>(T value, boolean ok) {
    private static final Received<?> CLOSED = new Received<>(null, false);

    /** The (null, false) result of a receive from a closed, drained channel. */
    @SuppressWarnings("unchecked")
    public static <T> Received<T> closed() {
        return (Received<T>) CLOSED;
    }
}
