package go4j.time;

import go4j.Chan;
import go4j.Panic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import static go4j.Select.recv;
import static go4j.Select.select;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tickers: ports of time/tick_test.go behaviours. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TickerTest {

    // TestTicker: ticks are spaced by the period (lower bound only: never assert on speed).
    @Test
    void tickTimes() {
        Duration delta = Duration.ofMillis(20);
        int count = 10;
        Ticker ticker = Time.newTicker(delta);
        long t0 = System.nanoTime();
        Instant prev = null;
        for (int i = 0; i < count; i++) {
            Instant v = ticker.C().recv();
            if (prev != null) {
                // tick values are scheduled times on the period grid: consecutive ones are >= one period apart
                assertThat(Duration.between(prev, v)).isGreaterThanOrEqualTo(delta.minusMillis(1));
            }
            prev = v;
        }
        ticker.stop();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(delta.multipliedBy(count).toNanos() * 9 / 10);
        TimerTest.settle();
        TimerTest.assertNoTick(ticker.C());

        // Reset changes the period; stop discards an undelivered tick.
        ticker.reset(delta.multipliedBy(2));
        Instant a = ticker.C().recv();
        Instant b = ticker.C().recv();
        assertThat(Duration.between(a, b)).isGreaterThanOrEqualTo(delta.multipliedBy(2).minusMillis(1));
        TimerTest.settle();
        ticker.stop();
        TimerTest.assertNoTick(ticker.C());
    }

    // Slow receivers lose ticks: the channel never holds more than the one undelivered tick, and the next tick
    // is re-aligned on the period grid after the receive.
    @Test
    void ticksAreDroppedForSlowReceivers() {
        Duration period = Duration.ofMillis(50);
        Ticker t = Time.newTicker(period);
        Time.sleep(Duration.ofMillis(400));
        Instant first = t.C().recv(); // the first tick, held while the others were dropped
        Instant second = t.C().recv();
        t.stop();
        assertThat(Duration.between(first, second)).as("ticks were queued, not dropped")
                .isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(t.C().len()).isZero();
        assertThat(t.C().cap()).isZero();
    }

    // TestNewTickerLtZeroDuration, TestTickerResetLtZeroDuration, TestTick (d <= 0 gives nil)
    @Test
    void misuse() {
        assertThatThrownBy(() -> Time.newTicker(Duration.ZERO)).isInstanceOf(Panic.class)
                .hasMessage("non-positive interval for NewTicker");
        assertThatThrownBy(() -> Time.newTicker(Duration.ofSeconds(-1))).isInstanceOf(Panic.class)
                .hasMessage("non-positive interval for NewTicker");
        Ticker t = Time.newTicker(Duration.ofSeconds(1));
        assertThatThrownBy(() -> t.reset(Duration.ZERO)).isInstanceOf(Panic.class)
                .hasMessage("non-positive interval for Ticker.Reset");
        t.stop();
        t.stop(); // idempotent
        assertThat(Time.tick(Duration.ZERO)).isSameAs(Chan.nil());
        assertThat(Time.tick(Duration.ofSeconds(-1))).isSameAs(Chan.nil());
        // the nil channel is never ready in a select
        assertThat(select(recv(Time.tick(Duration.ZERO)), recv(Time.after(Duration.ofMillis(10))))).isEqualTo(1);
        assertThat(Time.tick(Duration.ofMillis(1)).recv()).isNotNull();
    }

    // TestAfterStress: a ticker with a 1ns period keeps delivering.
    @Test
    void nanosecondTicker() {
        Ticker t = Time.newTicker(Duration.ofNanos(1));
        for (int i = 0; i < 100; i++) {
            t.C().recv();
        }
        t.stop();
    }

    // Iterating the channel is Go's `for range ticker.C`.
    @Test
    void rangeOverTicker() {
        Ticker t = Time.newTicker(Duration.ofMillis(2));
        int n = 0;
        for (Instant ignored : t.C()) {
            if (++n == 5) {
                break;
            }
        }
        t.stop();
        assertThat(n).isEqualTo(5);
    }
}
