package go4j.time;

import go4j.Chan;
import go4j.Panic;
import go4j.RecvChan;
import go4j.internal.timer.RuntimeTimer;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Go's {@code time.Ticker}: delivers "ticks" of a clock at intervals on {@link #C()}.
 *
 * <ul>
 *   <li>Ticks are spaced by the period; a receiver that is too slow misses ticks (they are dropped, not queued),
 *       and the next tick is re-aligned on the period grid, as Go's.</li>
 *   <li>The channel is synchronous (Go 1.23): {@code len} and {@code cap} are 0; after {@link #stop} or
 *       {@link #reset} return, no tick from before the call can be received.</li>
 *   <li>An unreferenced ticker (neither the Ticker nor its channel reachable) can be garbage-collected even if it
 *       was never stopped.</li>
 * </ul>
 */
public final class Ticker {
    private final RuntimeTimer r;
    private final Chan<Instant> c;

    private Ticker(RuntimeTimer r, Chan<Instant> c) {
        this.r = r;
        this.c = c;
    }

    /**
     * {@code time.NewTicker(d)}: a ticker whose first tick comes after {@code d}.
     *
     * @throws Panic {@code non-positive interval for NewTicker} if d is not positive
     */
    public static Ticker newTicker(Duration d) {
        Objects.requireNonNull(d, "d");
        long ns = Time.nanos(d);
        if (ns <= 0) {
            throw new Panic("non-positive interval for NewTicker");
        }
        RuntimeTimer r = RuntimeTimer.newChanTimer();
        Ticker t = new Ticker(r, r.chan());
        t.r.reset(ns, ns);
        return t;
    }

    /** Go's {@code t.C}: the channel the ticks are delivered on. */
    public RecvChan<Instant> C() {
        return c;
    }

    /** {@code t.Stop()}: turns the ticker off; no more ticks are sent, and an undelivered one is discarded. */
    public void stop() {
        r.stop();
    }

    /**
     * {@code t.Reset(d)}: stops the ticker and resets its period to {@code d}; the next tick comes after {@code d}.
     *
     * @throws Panic {@code non-positive interval for Ticker.Reset} if d is not positive
     */
    public void reset(Duration d) {
        Objects.requireNonNull(d, "d");
        long ns = Time.nanos(d);
        if (ns <= 0) {
            throw new Panic("non-positive interval for Ticker.Reset");
        }
        r.reset(ns, ns);
    }

    @Override
    public String toString() {
        return "Ticker(" + (r.isPending() ? "active" : "stopped") + ")";
    }
}
