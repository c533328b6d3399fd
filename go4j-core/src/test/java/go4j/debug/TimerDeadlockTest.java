package go4j.debug;

import go4j.Chan;
import go4j.FatalError;
import go4j.Go;
import go4j.RecvChan;
import go4j.internal.Liveness;
import go4j.time.Ticker;
import go4j.time.Time;
import go4j.time.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static go4j.Select.recv;
import static go4j.Select.select;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Go 1.23's deadlock rule for timers: Go's checkdead reports a deadlock unless some timer is in a P's heap, and a
 * channel timer is in a heap only while a goroutine is blocked on its channel (runtime/time.go needsAdd). So
 * timers and tickers nobody waits on no longer keep a program alive, while a goroutine blocked on a timer channel,
 * a sleeping goroutine and a pending AfterFunc do. (Before Go 1.23 any pending timer kept the program alive.)
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimerDeadlockTest {
    private static final String MSG = "all goroutines are asleep - deadlock!";
    private static final Duration HOUR = Duration.ofHours(1);

    private static String deadlockOf(Runnable main) {
        try (StderrCapture err = new StderrCapture()) {
            assertThatThrownBy(() -> Go.run(main)).isInstanceOf(FatalError.class).hasMessage(MSG);
            return err.text();
        }
    }

    /** Polls (gosched) until the run's pending-timer count reaches n. */
    private static void awaitCountedTimers(long n) {
        Liveness lv = Liveness.ofCurrent();
        while (lv.pendingTimers() != n) {
            Go.gosched();
        }
    }

    @Test
    void timersAndTickersNobodyWaitsOnDoNotKeepTheRunAlive() {
        AtomicReference<Timer> t = new AtomicReference<>();
        AtomicReference<Ticker> tk = new AtomicReference<>();
        String out = deadlockOf(() -> {
            t.set(Time.newTimer(HOUR));
            tk.set(Time.newTicker(Duration.ofMillis(1)));
            Time.after(Duration.ofMillis(1));
            Chan.make().recv();
        });
        assertThat(out).startsWith("fatal error: " + MSG + "\n\ngoroutine 1 [chan receive]:\n");
        assertThat(t.get().stop()).as("the timer was still pending").isTrue();
        assertThat(tk.get().C().recv()).as("the ticker still ticks for a receiver").isNotNull();
        tk.get().stop();
    }

    @Test
    void aGoroutineBlockedOnATimerChannelKeepsTheRunAlive() {
        Go.run(() -> {
            Chan<Integer> done = Chan.make();
            Timer t = Time.newTimer(Duration.ofMillis(40));
            Go.go(() -> {
                t.C().recv();
                done.send(1);
            });
            assertThat(done.recv()).isEqualTo(1);
        });
    }

    @Test
    void aGoroutineSelectingOnATickerKeepsTheRunAlive() {
        Go.run(() -> {
            Chan<Integer> done = Chan.make();
            Chan<Integer> never = Chan.make();
            Ticker tk = Time.newTicker(Duration.ofMillis(5));
            Go.go(() -> {
                for (int i = 0; i < 5; i++) {
                    assertThat(select(recv(never), recv(tk.C()))).isEqualTo(1);
                }
                done.send(1);
            });
            done.recv();
            tk.stop();
        });
    }

    @Test
    void aSleepingGoroutineKeepsTheRunAlive() {
        Go.run(() -> {
            Chan<Integer> done = Chan.make();
            Go.go(() -> {
                Time.sleep(Duration.ofMillis(40));
                done.send(1);
            });
            assertThat(done.recv()).isEqualTo(1);
        });
    }

    @Test
    void aPendingAfterFuncKeepsTheRunAlive() {
        Go.run(() -> {
            Chan<Integer> done = Chan.make();
            Time.afterFunc(Duration.ofMillis(40), () -> done.send(1));
            assertThat(done.recv()).isEqualTo(1);
        });
    }

    @Test
    void theTimerStopsCountingWhenItsLastWaiterLeaves() {
        // A goroutine blocked in a select on time.After(1h) and a channel; the channel wins: nobody waits on the
        // timer any more, so main's wait is a deadlock even though the timer is still pending.
        AtomicReference<RecvChan<Instant>> after = new AtomicReference<>();
        String out = deadlockOf(() -> {
            Chan<Integer> q = Chan.make();
            Chan<Integer> exited = Chan.make();
            after.set(Time.after(HOUR));
            Go.go(() -> {
                assertThat(select(recv(after.get()), recv(q))).isEqualTo(1);
                exited.send(1);
            });
            awaitCountedTimers(1);
            q.send(1);
            exited.recv();
            awaitCountedTimers(0);
            Chan.make().recv();
        });
        assertThat(out).contains("goroutine 1 [chan receive]:");
    }

    @Test
    void aGoroutineBlockedOnAStoppedTimerIsAsleep() {
        String out = deadlockOf(() -> {
            Timer t = Time.newTimer(HOUR);
            Chan<Integer> done = Chan.make();
            Go.go(() -> {
                t.C().recv();
                done.send(1);
            });
            awaitCountedTimers(1);
            assertThat(t.stop()).isTrue();
            done.recv();
        });
        assertThat(out).contains("goroutine 1 [chan receive]:").contains("[chan receive]:\n");
    }

    @Test
    void aTimerResetWhileWaitedOnKeepsCountingOnce() {
        Go.run(() -> {
            Timer t = Time.newTimer(HOUR);
            Chan<Instant> got = Chan.make();
            Go.go(() -> got.send(t.C().recv()));
            awaitCountedTimers(1);
            for (int i = 0; i < 100; i++) {
                assertThat(t.reset(HOUR)).isTrue();
            }
            assertThat(Liveness.ofCurrent().pendingTimers()).isEqualTo(1);
            t.reset(Duration.ofMillis(5));
            assertThat(got.recv()).isNotNull();
            awaitCountedTimers(0);
        });
    }
}
