package go4j.time;

import go4j.Chan;
import go4j.RecvChan;
import go4j.internal.timer.RuntimeTimer;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Go's {@code time.Timer}: a single event. A timer made by {@link #newTimer} sends the time it fired on {@link #C()};
 * one made by {@link #afterFunc} runs a function in its own goroutine instead.
 *
 * <h2>Semantics (Go 1.23 and later)</h2>
 * <ul>
 *   <li>The channel is synchronous: {@code len} and {@code cap} are 0, and the value is handed over only when a
 *       receiver takes it. The value is the instant the timer was scheduled to fire.</li>
 *   <li>{@link #stop} and {@link #reset} return whether the call stopped (or re-armed) a timer that had not yet
 *       delivered its value (or started its function). After either returns, no value from before the call can be
 *       received from {@code C()}: there is no need to drain the channel.</li>
 *   <li>A timer that nothing refers to any more — neither the Timer nor its channel — can be garbage-collected
 *       even if it was never stopped; stopping is needed only to prevent the event.</li>
 *   <li>Non-positive durations fire at once; durations too large for 64-bit nanoseconds never fire.</li>
 * </ul>
 *
 * <p>Waiting on {@code C()} shows the wait reason {@code chan receive} (or {@code select}). Every method works
 * from any Java thread. Happens-before: a call to {@code reset}/{@code newTimer} happens-before the send of the
 * value it armed (and before the start of the {@code afterFunc} goroutine).
 */
public final class Timer {
    private final RuntimeTimer r;
    private final RecvChan<Instant> c;

    private Timer(RuntimeTimer r, RecvChan<Instant> c) {
        this.r = r;
        this.c = c;
    }

    /** {@code time.NewTimer(d)}: a timer that sends the current time on its channel after at least {@code d}. */
    public static Timer newTimer(Duration d) {
        Objects.requireNonNull(d, "d");
        RuntimeTimer r = RuntimeTimer.newChanTimer();
        Timer t = new Timer(r, r.chan());
        t.r.reset(Time.nanos(d), 0);
        return t;
    }

    /**
     * {@code time.AfterFunc(d, f)}: waits for {@code d}, then calls {@code f} in its own goroutine (of the calling
     * goroutine's program; a detached goroutine if the caller is not a goroutine). {@link #C()} is the nil channel.
     *
     * @throws go4j.RuntimeError {@code invalid memory address or nil pointer dereference} if f is null (Go
     *         panics when the timer fires; go4j reports it at once)
     */
    public static Timer afterFunc(Duration d, Runnable f) {
        Objects.requireNonNull(d, "d");
        if (f == null) {
            throw new go4j.RuntimeError("invalid memory address or nil pointer dereference");
        }
        Timer t = new Timer(RuntimeTimer.newFuncTimer(f), Chan.nil());
        t.r.reset(Time.nanos(d), 0);
        return t;
    }

    /** Go's {@code t.C}: the channel the time is delivered on; the nil channel for an {@link #afterFunc} timer. */
    public RecvChan<Instant> C() {
        return c;
    }

    /**
     * {@code t.Stop()}: prevents the timer from firing. Returns true if the call stops the timer, false if it had
     * already expired (and its value was received, or its function started) or been stopped. For an
     * {@link #afterFunc} timer, false means f has been started in its own goroutine; stop does not wait for it.
     */
    public boolean stop() {
        return r.stop();
    }

    /**
     * {@code t.Reset(d)}: changes the timer to expire after {@code d}. Returns true if the timer had been active
     * (had not yet delivered its value or started its function), false if it had expired or been stopped. Any
     * value from before the call is discarded.
     */
    public boolean reset(Duration d) {
        Objects.requireNonNull(d, "d");
        return r.reset(Time.nanos(d), 0);
    }

    @Override
    public String toString() {
        return "Timer(" + (r.isPending() ? "active" : "inactive") + ")";
    }
}
