package go4j.internal;

/**
 * Records where a goroutine was created (Go's {@code gopc}: the {@code go} statement).
 *
 * <p>A stack walk costs about a microsecond, several times the rest of a spawn, so the frame is cached per
 * function class when that class is a lambda or other hidden class: a lambda expression sits at one place in the
 * source, and the {@code go} call that starts it is almost always the same one (the exception, one lambda object
 * passed to {@code Go.go} from two places, reports the first). Other function classes are walked every time.
 * On by default; {@code -Dgo4j.creationSite=false} turns it off (dumps then name the function class instead).
 */
public final class CallSite {
    private CallSite() {}

    public static final boolean ENABLED = !"false".equals(System.getProperty("go4j.creationSite"));

    private static final StackWalker WALKER = StackWalker.getInstance();

    /** Go-call frame per hidden function class; Optional.empty() when the walk found none. */
    private static final ClassValue<java.util.concurrent.atomic.AtomicReference<StackTraceElement>> CACHE =
            new ClassValue<>() {
                @Override
                protected java.util.concurrent.atomic.AtomicReference<StackTraceElement> computeValue(Class<?> type) {
                    return new java.util.concurrent.atomic.AtomicReference<>();
                }
            };

    /**
     * The creation site of a goroutine running {@code fn}, whose {@code go} call is {@code depth} levels above the
     * caller of this method; cached per hidden class of fn (see the class comment); null when disabled.
     */
    public static StackTraceElement goSite(int depth, Object fn) {
        if (!ENABLED) {
            return null;
        }
        Class<?> type = fn.getClass();
        if (!type.isHidden()) {
            return caller(depth + 1);
        }
        java.util.concurrent.atomic.AtomicReference<StackTraceElement> ref = CACHE.get(type);
        StackTraceElement at = ref.get();
        if (at == null) {
            at = caller(depth + 1);
            ref.set(at);
        }
        return at;
    }

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
