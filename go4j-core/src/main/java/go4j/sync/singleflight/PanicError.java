package go4j.sync.singleflight;

import go4j.Panic;

import go4j.internal.G;
import go4j.internal.Traceback;

import java.util.Arrays;

/**
 * The panic value every caller of a {@link Group} call re-panics with when the function panicked (Go's unexported
 * {@code singleflight.panicError}): the original panic value and the stack of the goroutine that panicked, so that
 * the crash report of any caller shows where the function really failed.
 *
 * <p>A caller sees it as {@code catch (Panic p)} with {@code p.value()} a {@code PanicError}; {@link #value()} is
 * the original panic value (for a thrown {@link Panic}, its {@link Panic#value()}; for any other throwable, the
 * throwable itself) and {@link #getCause()} the original throwable, with its stack trace (Go's {@code Unwrap}
 * reaches the original error the same way). {@link #getMessage()} is Go's {@code Error()} text: the value, a blank
 * line, and the panicking goroutine's stack.
 */
public final class PanicError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Object value;

    PanicError(Throwable original) {
        super(Panic.describe(original) + "\n\n" + stackText(original), original, false, false);
        this.value = original instanceof Panic p ? p.value() : original;
    }

    /** The original panic value ({@code recover()}'s result in the goroutine that ran the function). */
    public Object value() {
        return value;
    }

    /** Go prints an error panic value by its {@code Error()} text: no Java class name in front. */
    @Override
    public String toString() {
        return getMessage();
    }

    /**
     * Go's {@code debug.Stack()} of the panicking goroutine minus its first line (singleflight trims the
     * {@code goroutine N [status]:} header, which would be stale by the time a caller re-panics): the throwable's
     * frames in Go's format, and the goroutine's {@code created by} trailer.
     */
    private static String stackText(Throwable t) {
        StringBuilder sb = new StringBuilder();
        Traceback.appendFrames(sb, Arrays.asList(t.getStackTrace()));
        G g = G.current();
        if (g != null) {
            Traceback.appendCreatedBy(sb, g);
        }
        return sb.toString();
    }
}
