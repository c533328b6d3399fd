package go4j;

/**
 * A panic raised by the go4j runtime for a misuse, Go's {@code runtime.Error}: the message is Go's, verbatim
 * (for example {@code send on closed channel}, {@code close of nil channel}, {@code makechan: size out of range}).
 */
public class RuntimeError extends Panic {
    private static final long serialVersionUID = 1L;

    public RuntimeError(String message) {
        super(message);
    }
}
