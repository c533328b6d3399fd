package go4j.debug;

import go4j.internal.Traceback;

/**
 * Go's {@code runtime/debug} for go4j: the traceback level of panic reports, and goroutine dumps.
 */
public final class Debug {
    private Debug() {}

    /**
     * {@code debug.SetTraceback}: how much an unrecovered panic report prints — {@code none}, {@code single} (the
     * default: the panicking goroutine), {@code all} (every goroutine of the program), {@code system} (every
     * goroutine, with go4j's and the JDK's frames). The initial level comes from {@code -Dgo4j.traceback}, else the
     * {@code GOTRACEBACK} environment variable.
     *
     * @throws IllegalArgumentException for an unknown level
     */
    public static void setTraceback(String level) {
        Traceback.setLevel(level);
    }

    /** The current traceback level's name. */
    public static String traceback() {
        return switch (Traceback.level()) {
            case Traceback.NONE -> "none";
            case Traceback.SINGLE -> "single";
            case Traceback.ALL -> "all";
            default -> "system";
        };
    }

    /** {@code debug.Stack}: the calling goroutine's stack in Go's format. */
    public static String stack() {
        return Traceback.stack(false);
    }

    /**
     * Every goroutine of the process in Go's format ({@code debug=2}): each run's goroutines, then the detached
     * ones; see {@link Goroutines#dump()}.
     */
    public static String dumpAll() {
        return Traceback.dumpAll();
    }
}
