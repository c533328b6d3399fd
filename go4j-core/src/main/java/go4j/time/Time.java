package go4j.time;

import go4j.Chan;
import go4j.GoInterruptedException;
import go4j.RecvChan;
import go4j.internal.WaitReason;
import go4j.internal.Waiter;
import go4j.internal.timer.RuntimeTimer;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * The functions of Go's package {@code time} that goroutines use: {@link #after}, {@link #tick}, {@link #sleep},
 * {@link #afterFunc}, {@link #newTimer}, {@link #newTicker}, plus Go's formatting of durations and times.
 *
 * <h2>Representation</h2>
 * Durations are {@link Duration}s (Go's {@code time.Duration}, 64-bit nanoseconds: longer durations saturate, as
 * Go's arithmetic does in {@code when}). Go's {@code time.Time} values delivered by timers are {@link Instant}s:
 * the JDK's immutable, nanosecond-precision point on the UTC time line, comparable with {@code Instant.now()} and
 * convertible to any zone. The value sent is the instant the timer was scheduled to fire (Go sends
 * {@code Now().Add(-lateness)}), computed from the monotonic clock at the moment of firing. Unlike Go's Time an
 * Instant carries no monotonic reading: measure elapsed time with {@link System#nanoTime()}.
 *
 * <h2>The timer engine</h2>
 * Timers live in go4j's own 4-ary min-heaps ordered by their fire time (one heap per processor), each serviced by
 * one go4j timer thread; there is no JDK scheduled-executor task or thread per timer, and a stopped timer leaves its
 * heap at once. As in Go 1.23 a channel timer is in a heap only while a goroutine is blocked on its channel (the
 * next receive runs a due timer no heap holds), so timers nobody waits on cost no heap entry, are garbage once
 * unreferenced, and do not keep a {@code Go.run} alive for deadlock detection. See
 * {@code docs/adr/0002-timers.md}.
 */
public final class Time {
    private Time() {}

    private static final Chan<Instant> NIL = Chan.nil();

    /** {@code time.NewTimer(d)}. See {@link Timer#newTimer}. */
    public static Timer newTimer(Duration d) {
        return Timer.newTimer(d);
    }

    /** {@code time.AfterFunc(d, f)}. See {@link Timer#afterFunc}. */
    public static Timer afterFunc(Duration d, Runnable f) {
        return Timer.afterFunc(d, f);
    }

    /** {@code time.NewTicker(d)}. See {@link Ticker#newTicker}. */
    public static Ticker newTicker(Duration d) {
        return Ticker.newTicker(d);
    }

    /**
     * {@code time.After(d)}: waits for {@code d} and then sends the time on the returned channel; the same as
     * {@code newTimer(d).C()}. The timer is garbage-collected if the channel is dropped before it fires (Go 1.23),
     * so {@code select(recv(after(d)), ...)} in a loop does not leak.
     */
    public static RecvChan<Instant> after(Duration d) {
        return Timer.newTimer(d).C();
    }

    /**
     * {@code time.Tick(d)}: {@code newTicker(d).C()}, or the nil channel if {@code d} is not positive. The ticker is
     * garbage-collected once the channel is unreachable.
     */
    public static RecvChan<Instant> tick(Duration d) {
        Objects.requireNonNull(d, "d");
        if (nanos(d) <= 0) {
            return NIL;
        }
        return Ticker.newTicker(d).C();
    }

    /**
     * {@code time.Sleep(d)}: pauses the calling goroutine (wait reason {@code sleep}) for at least {@code d};
     * returns at once if {@code d} is not positive. Uses go4j's timer engine, not the JDK's timed park.
     *
     * @throws GoInterruptedException if the thread is interrupted while sleeping (interrupt status cleared)
     */
    public static void sleep(Duration d) {
        Objects.requireNonNull(d, "d");
        long ns = nanos(d);
        if (ns <= 0) {
            return;
        }
        Waiter w = new Waiter();
        RuntimeTimer t = RuntimeTimer.newInlineTimer(() -> {
            if (w.tryClaim()) {
                w.wake();
            }
        });
        t.reset(ns, 0);
        if (w.await(WaitReason.SLEEP, 0, 0) != Waiter.WOKE) {
            t.stop();
            throw GoInterruptedException.clearAndCreate();
        }
    }

    /** {@code time.Now()}. */
    public static Instant now() {
        return Instant.now();
    }

    /** {@code time.Since(t)}. */
    public static Duration since(Instant t) {
        return Duration.between(t, Instant.now());
    }

    /** {@code time.Until(t)}. */
    public static Duration until(Instant t) {
        return Duration.between(Instant.now(), t);
    }

    /** d in nanoseconds, saturated to the long range (Go's Duration is an int64 of nanoseconds). */
    static long nanos(Duration d) {
        long s = d.getSeconds();
        if (s >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MAX_VALUE;
        }
        if (s <= Long.MIN_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        return s * 1_000_000_000L + d.getNano();
    }

    /**
     * Go's {@code Duration.String()}: {@code "72h3m0.5s"}, {@code "1.5ms"}, {@code "100µs"}, {@code "0s"}; the
     * duration is first saturated to Go's 64-bit nanosecond range.
     */
    public static String durationString(Duration d) {
        long n = nanos(d);
        boolean neg = n < 0;
        // Go formats the magnitude as an unsigned 64-bit value, so Long.MIN_VALUE works too.
        long u = neg ? -n : n;
        StringBuilder b = new StringBuilder(); // built backwards
        if (Long.compareUnsigned(u, 1_000_000_000L) < 0) {
            b.append('s');
            int prec;
            if (u == 0) {
                return "0s";
            } else if (u < 1_000L) {
                prec = 0;
                b.append('n');
            } else if (u < 1_000_000L) {
                prec = 3;
                b.append('µ');
            } else {
                prec = 6;
                b.append('m');
            }
            u = fmtFrac(b, u, prec);
            fmtInt(b, u);
        } else {
            b.append('s');
            u = fmtFrac(b, u, 9);
            fmtInt(b, Long.remainderUnsigned(u, 60));
            u = Long.divideUnsigned(u, 60);
            if (u > 0) {
                b.append('m');
                fmtInt(b, u % 60);
                u /= 60;
                if (u > 0) {
                    b.append('h');
                    fmtInt(b, u);
                }
            }
        }
        if (neg) {
            b.append('-');
        }
        return b.reverse().toString();
    }

    /** Appends (backwards) the fraction v/10^prec without trailing zeros, and the point if any digit; returns v/10^prec. */
    private static long fmtFrac(StringBuilder b, long v, int prec) {
        boolean print = false;
        for (int i = 0; i < prec; i++) {
            long digit = Long.remainderUnsigned(v, 10);
            print = print || digit != 0;
            if (print) {
                b.append((char) ('0' + digit));
            }
            v = Long.divideUnsigned(v, 10);
        }
        if (print) {
            b.append('.');
        }
        return v;
    }

    private static void fmtInt(StringBuilder b, long v) {
        if (v == 0) {
            b.append('0');
            return;
        }
        while (v != 0) {
            b.append((char) ('0' + Long.remainderUnsigned(v, 10)));
            v = Long.divideUnsigned(v, 10);
        }
    }

    private static final DateTimeFormatter GO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /**
     * Go's {@code Time.String()} for a UTC time: {@code "2009-11-10 23:00:00.5 +0000 UTC"} (fractional seconds
     * without trailing zeros, omitted when zero).
     */
    public static String timeString(Instant t) {
        StringBuilder b = new StringBuilder(GO_TIME.format(t));
        int nano = t.getNano();
        if (nano != 0) {
            String frac = String.format("%09d", nano);
            int end = frac.length();
            while (frac.charAt(end - 1) == '0') {
                end--;
            }
            b.append('.').append(frac, 0, end);
        }
        return b.append(" +0000 UTC").toString();
    }
}
