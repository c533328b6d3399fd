package go4j.internal;

import go4j.Chan;

/**
 * The bridge from {@code go4j.Chan} to go4j's timers (a "shared secrets" hook: {@link Chan} installs the one
 * implementation in its static initializer; the package is not exported, so users cannot reach it).
 *
 * <p>A timer channel is Go 1.23's synchronous timer channel: one internal slot that only the timer fills
 * (non-blocking), while {@code len} and {@code cap} report 0; the timer's stop and reset drain the slot under the
 * timer's lock, so no value from before them can be received after they return.
 */
public abstract class TimerChans {
    private static volatile TimerChans impl;

    /** Called once by Chan's static initializer. */
    public static void install(TimerChans t) {
        impl = t;
    }

    /** The implementation, initializing Chan first if needed. */
    public static TimerChans get() {
        TimerChans t = impl;
        if (t == null) {
            Chan.nil(); // runs Chan's static initializer, which installs the hook
            t = impl;
        }
        return t;
    }

    /** A new timer channel. */
    public abstract <T> Chan<T> newTimerChan();

    /** Removes a buffered value, if any; true if one was removed. Takes and releases the channel lock. */
    public abstract boolean drain(Chan<?> c);

    /**
     * A new unbuffered channel owned by {@code home} (null: made outside any run) rather than by the calling
     * goroutine's program, for objects that make their channel lazily: a context's done channel belongs to the run
     * that made the context, whichever goroutine asks for it first (see {@link Liveness}).
     */
    public abstract <T> Chan<T> newChanOf(Program home);
}
