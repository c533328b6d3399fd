package go4j;

/**
 * A send-only view of a channel (Go's {@code chan<- T}). See {@link Chan} for the semantics.
 */
public sealed interface SendChan<T> permits Chan {
    /** {@code ch <- v}. See {@link Chan#send}. */
    void send(T v);

    /** {@code select { case ch <- v: return true; default: return false }}. See {@link Chan#trySend}. */
    boolean trySend(T v);

    /** {@code close(ch)}. See {@link Chan#close}. */
    void close();

    /** {@code len(ch)}. */
    int len();

    /** {@code cap(ch)}. */
    int cap();
}
