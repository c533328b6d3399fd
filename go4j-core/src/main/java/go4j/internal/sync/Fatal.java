package go4j.internal.sync;

import go4j.FatalError;
import go4j.internal.G;

/**
 * Go's {@code fatal(msg)} for the sync package: an unrecoverable error of the program, not a panic.
 *
 * <p>Inside a {@link go4j.Go#run} program the failure is recorded with {@link go4j.internal.Program#fail} before the
 * {@link FatalError} is thrown, so the program ends (with Go's {@code fatal error: ...} report) even if user code
 * catches the error on its way up; outside a run the error is simply thrown.
 */
public final class Fatal {
    private Fatal() {}

    /** Records the fatal error with the current goroutine's program (if any) and returns it for throwing. */
    public static FatalError fatal(String message) {
        FatalError e = new FatalError(message);
        G g = G.current();
        if (g != null && !g.program.isDetached()) {
            g.program.fail(g, e);
        }
        return e;
    }
}
