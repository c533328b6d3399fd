package go4j.internal;

import go4j.Chan;

/**
 * The bridge from {@code go4j.Chan} to go4j's timers (a "shared secrets" hook: {@link Chan} installs the one
 * implementation in its static initializer; the package is not exported, so users cannot reach it).
 *
 * <p>A timer channel is Go 1.23's synchronous timer channel: one internal slot that only the timer fills
 * (non-blocking), while {@code len} and {@code cap} report 0; the timer's stop and reset drain the slot under the
 * timer's lock, so no value from before them can be received after they return. The channel refers to its
 * {@link ChanTimer} (Go's {@code c.timer}) and calls it around every receive, so that the timer is in a heap only
 * while a goroutine is blocked on the channel (Go 1.23's {@code blockTimerChan}/{@code unblockTimerChan}), and a
 * receive finds a value the timer owes it even though no heap ran the timer ({@code maybeRunChan}).
 */
public abstract class TimerChans {
    /**
     * The timer side of a timer channel. Chan calls these without holding any channel lock (lock order: timer,
     * then heap, then channel). Every {@link #blockTimerChan} is paired with exactly one {@link #unblockTimerChan}.
     */
    public interface ChanTimer {
        /**
         * Go's {@code maybeRunChan}: called first by every receive and select involving the channel; if the timer
         * is due and not in a heap, runs it now (its value goes into the channel's slot).
         */
        void maybeRunChan();

        /** Go's {@code blockTimerChan}: a goroutine is about to park receiving (or selecting) on the channel. */
        void blockTimerChan();

        /** Go's {@code unblockTimerChan}: that goroutine no longer waits (woken, by any case, or interrupted). */
        void unblockTimerChan();
    }

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

    /** A new timer channel served by {@code timer}. */
    public abstract <T> Chan<T> newTimerChan(ChanTimer timer);

    /** Removes a buffered value, if any; true if one was removed. Takes and releases the channel lock. */
    public abstract boolean drain(Chan<?> c);

    /**
     * A new unbuffered channel owned by {@code home} (null: made outside any run) rather than by the calling
     * goroutine's program, for objects that make their channel lazily: a context's done channel belongs to the run
     * that made the context, whichever goroutine asks for it first (see {@link Liveness}).
     */
    public abstract <T> Chan<T> newChanOf(Program home);
}
