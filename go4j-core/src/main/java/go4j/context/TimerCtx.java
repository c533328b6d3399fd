package go4j.context;

import go4j.time.Time;
import go4j.time.Timer;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Go's {@code timerCtx}: a {@link CancelCtx} with a deadline and a go4j timer that cancels it with
 * {@link Context#DeadlineExceeded} when due. Cancelling the context first stops the timer (its lock guards
 * {@link #timer}), so neither an early cancel nor a forgotten context leaves a timer or a child entry behind.
 */
final class TimerCtx extends CancelCtx {
    private final Instant deadline;
    /** Guarded by this; null once cancelled. */
    private Timer timer;
    /** The deadline had passed at creation: the returned cancel does not remove from the parent (Go's quirk). */
    private boolean expiredAtCreation;

    private TimerCtx(Instant deadline) {
        this.deadline = deadline;
    }

    static CancelContext withTimeout(Context parent, Duration timeout, Throwable cause) {
        Objects.requireNonNull(timeout, "timeout");
        CancelCtx.requireParent(parent);
        Instant d;
        try {
            d = Instant.now().plus(timeout);
        } catch (java.time.DateTimeException | ArithmeticException e) {
            d = timeout.isNegative() ? Instant.MIN : Instant.MAX;
        }
        return withDeadline(parent, d, timeout, cause);
    }

    /** Go's {@code WithDeadlineCause}; {@code dur} is the timer's delay when the caller knows it (WithTimeout). */
    static CancelContext withDeadline(Context parent, Instant d, Duration dur, Throwable cause) {
        CancelCtx.requireParent(parent);
        Objects.requireNonNull(d, "d");
        Optional<Instant> cur = parent.deadline();
        if (cur.isPresent() && cur.get().isBefore(d)) {
            // The current deadline is already sooner than the new one.
            return CancelCtx.withCancel(parent);
        }
        TimerCtx c = new TimerCtx(d);
        c.propagateCancel(parent, c);
        if (dur == null) {
            dur = Time.until(d);
        }
        if (dur.isNegative() || dur.isZero()) {
            c.cancel(true, DeadlineExceeded, cause); // the deadline has already passed
            synchronized (c) {
                c.expiredAtCreation = true;
            }
            return c;
        }
        synchronized (c) {
            if (c.err() == null) {
                c.timer = Timer.afterFunc(dur, () -> c.cancel(true, DeadlineExceeded, cause));
            }
        }
        return c;
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.of(deadline);
    }

    @Override
    public void cancel(Throwable cause) {
        // The handle of WithDeadline/WithTimeout: Go's cancel func passes no cause.
        boolean remove;
        synchronized (this) {
            remove = !expiredAtCreation;
        }
        cancel(remove, Canceled, null);
    }

    @Override
    void cancel(boolean removeFromParent, Throwable err, Throwable cause) {
        super.cancel(false, err, cause);
        if (removeFromParent) {
            // Remove this TimerCtx from its parent CancelCtx's children.
            removeChild(parent, this);
        }
        synchronized (this) {
            if (timer != null) {
                timer.stop();
                timer = null;
            }
        }
    }

    /** Whether the deadline timer is still held (for tests). */
    synchronized boolean hasTimer() {
        return timer != null;
    }

    @Override
    public String toString() {
        return contextName(parent) + ".WithDeadline(" + Time.timeString(deadline) + " ["
                + Time.durationString(Time.until(deadline)) + "])";
    }
}
