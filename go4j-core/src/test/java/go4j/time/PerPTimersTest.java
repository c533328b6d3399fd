package go4j.time;

import go4j.Chan;
import go4j.Go;
import go4j.internal.Sched;
import go4j.internal.timer.RuntimeTimer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Per-P timer heaps (Go's {@code pp.timers}) on go4j's G-M-P scheduler: a goroutine's timers go to its P's heap, and
 * the scheduler runs them — the Ms in their scheduling loop, sysmon also while every P is idle.
 */
@Timeout(60)
class PerPTimersTest {

    @Test
    void aGoroutinesTimerGoesToItsPsHeap() {
        assumeThat(Sched.isGmp()).as("G-M-P scheduler only").isTrue();
        Go.run(() -> {
            int before = RuntimeTimer.pendingInPHeaps();
            Timer t = Time.afterFunc(Duration.ofHours(1), () -> { });
            assertThat(RuntimeTimer.pendingInPHeaps()).isEqualTo(before + 1);
            assertThat(t.stop()).isTrue();
            assertThat(RuntimeTimer.pendingInPHeaps()).isEqualTo(before);
        });
    }

    /** Every goroutine sleeps or waits on a timer, so every P is idle: only sysmon can run the timers. */
    @Test
    void timersFireWhileEveryPIsIdle() {
        AtomicInteger fired = new AtomicInteger();
        Go.run(() -> {
            Chan<Integer> done = Chan.make(4);
            for (int i = 0; i < 3; i++) {
                final int ms = 5 + 7 * i;
                Go.go(() -> {
                    Time.sleep(Duration.ofMillis(ms));
                    fired.incrementAndGet();
                    done.send(ms);
                });
            }
            Time.afterFunc(Duration.ofMillis(3), () -> {
                fired.incrementAndGet();
                done.send(3);
            });
            Time.after(Duration.ofMillis(30)).recv();
            for (int i = 0; i < 4; i++) {
                done.recv();
            }
        });
        assertThat(fired.get()).isEqualTo(4);
    }

    /** A timer made on one P and reset from a plain thread still fires (servicers are not tied to the maker). */
    @Test
    void timerResetFromOutsideTheSchedulerFires() throws InterruptedException {
        Chan<Timer> made = Chan.make(1);
        Go.go(() -> made.send(Time.newTimer(Duration.ofHours(1))));
        Timer t = made.recv();
        assertThat(t.reset(Duration.ofMillis(2))).isTrue();
        t.C().recv();
    }
}
