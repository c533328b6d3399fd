package go4j.internal;

/**
 * Records where a goroutine was created (Go's {@code gopc}: the {@code go} statement).
 *
 * <p>On by default; {@code -Dgo4j.creationSite=false} turns it off to save the frame walk on every spawn (dumps
 * then name the goroutine's function class instead).
 */
public final class CallSite {
    private CallSite() {}

    public static final boolean ENABLED = !"false".equals(System.getProperty("go4j.creationSite"));

    private static final StackWalker WALKER = StackWalker.getInstance();

    /**
     * The frame {@code depth} levels above the caller of this method (depth 0 = the caller's caller), skipping
     * go4j's internal frames; null when disabled.
     */
    public static StackTraceElement caller(int depth) {
        if (!ENABLED) {
            return null;
        }
        return WALKER.walk(s -> s.skip(1 + depth)
                .filter(f -> !f.getClassName().startsWith("go4j.internal."))
                .findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement)
                .orElse(null));
    }
}
