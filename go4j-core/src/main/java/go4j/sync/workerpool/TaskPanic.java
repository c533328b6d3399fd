package go4j.sync.workerpool;

import go4j.Panic;
import go4j.internal.G;
import go4j.internal.Traceback;

import java.util.Arrays;

/**
 * The panic value {@link WorkerPool#await()} and {@link WorkerPool#close()} re-panic with when a task panicked: the
 * original panic value and the stack of the worker goroutine where it happened (as Go's
 * {@code sourcegraph/conc} pools re-panic with the recovered value and stack in {@code Wait}).
 *
 * <p>A caller sees it as {@code catch (Panic p)} with {@code p.value()} a {@code TaskPanic}; {@link #value()} is the
 * original panic value (for a thrown {@link Panic}, its {@link Panic#value()}; for any other throwable, the
 * throwable itself) and {@link #getCause()} the original throwable with its stack trace. {@link #getMessage()} is
 * the value, a blank line, and the worker's stack in Go's format.
 */
public final class TaskPanic extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Object value;

    TaskPanic(Throwable original) {
        super(Panic.describe(original) + "\n\n" + stackText(original), original, false, false);
        this.value = original instanceof Panic p ? p.value() : original;
    }

    /** The original panic value. */
    public Object value() {
        return value;
    }

    /** Printed as Go prints an error panic value: its text, without a Java class name. */
    @Override
    public String toString() {
        return getMessage();
    }

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
