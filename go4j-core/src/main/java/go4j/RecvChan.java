package go4j;

/**
 * A receive-only view of a channel (Go's {@code <-chan T}). Iterating it is Go's {@code for v := range ch}.
 * See {@link Chan} for the semantics.
 */
public sealed interface RecvChan<T> extends Iterable<T> permits Chan {
    /** {@code <-ch}. See {@link Chan#recv}. */
    T recv();

    /** {@code v, ok := <-ch}. See {@link Chan#recvOk}. */
    Received<T> recvOk();

    /** Non-blocking receive. See {@link Chan#tryRecv}. */
    Received<T> tryRecv();

    /** {@code len(ch)}. */
    int len();

    /** {@code cap(ch)}. */
    int cap();
}
