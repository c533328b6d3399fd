package go4j.time;

import go4j.Chan;
import go4j.Go;
import go4j.GoInterruptedException;
import go4j.Received;
import go4j.RecvChan;
import go4j.internal.G;
import go4j.internal.Sched;
import go4j.internal.timer.RuntimeTimer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static go4j.Select.defaultCase;
import static go4j.Select.recv;
import static go4j.Select.select;
import static org.assertj.core.api.Assertions.assertThat;

/** Timers with Go 1.23 semantics: ports of time/sleep_test.go and tick_test.go's testTimerChan behaviours. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TimerTest {
    static final Duration LONG = Duration.ofSeconds(10_000);
    static final Duration NS = Duration.ofNanos(1);

    /** Long enough for a due timer to be serviced on a loaded machine (Go's tests use 100ms too). */
    static void settle() {
        Time.sleep(Duration.ofMillis(100));
    }

    static void assertNoTick(RecvChan<Instant> c) {
        assertThat(c.len()).isZero();
        assertThat(c.tryRecv()).as("extra tick").isNull();
    }

    static void assertTick(RecvChan<Instant> c) {
        assertThat(c.len()).isZero(); // synchronous channel: len stays 0 even with a value ready
        Received<Instant> r = c.tryRecv();
        assertThat(r).as("missing tick").isNotNull();
        assertThat(r.ok()).isTrue();
        assertThat(r.value()).isNotNull();
    }

    // testTimerChan (tick_test.go): len = cap = 0, stop/reset discard undelivered values and report them.
    @Test
    void timerChanSemantics() {
        Timer t = Timer.newTimer(LONG);
        assertThat(t.C().cap()).isZero();
        assertNoTick(t.C());
        assertThat(t.stop()).isTrue();
        assertThat(t.stop()).isFalse();
        settle();
        assertNoTick(t.C());

        assertThat(t.reset(NS)).isFalse(); // was stopped
        settle();
        assertTick(t.C());
        assertNoTick(t.C());
        assertThat(t.stop()).as("value delivered: nothing to stop").isFalse();

        // Fired but not received: stop discards the value and reports that it stopped the timer.
        t.reset(NS);
        settle();
        assertThat(t.C().len()).isZero();
        assertThat(t.stop()).isTrue();
        assertNoTick(t.C());

        // Fired but not received: reset discards the stale value and reports it was active.
        t.reset(NS);
        settle();
        assertThat(t.reset(LONG)).isTrue();
        assertNoTick(t.C());
        settle();
        assertNoTick(t.C());
        assertThat(t.reset(NS)).isTrue(); // still pending for LONG
        settle();
        assertTick(t.C());
    }

    // testTimerChan (tick_test.go, Go 1.23), the part with goroutines blocked on the channel: stop, a far reset and
    // an imminent reset while the timer is in a heap; two select waiters; waiters on a stopped timer.
    @Test
    void timerChanWithBlockedReceivers() {
        for (boolean ticker : new boolean[] {false, true}) {
            Go.run(() -> {
                Ticker tk = ticker ? Time.newTicker(LONG) : null;
                Timer tm = ticker ? null : Time.newTimer(LONG);
                RecvChan<Instant> c = ticker ? tk.C() : tm.C();
                Runnable stop = ticker ? tk::stop : tm::stop;
                java.util.function.Consumer<Duration> reset = ticker ? tk::reset : tm::reset;

                Chan<Boolean> done = Chan.make();
                Go.go(() -> {
                    c.recv();
                    done.close();
                });
                awaitWaiting("chan receive");
                assertThat(done.tryRecv()).as("early done").isNull();
                reset.accept(LONG.multipliedBy(2)); // far reset while in the heap
                settle();
                assertThat(done.tryRecv()).as("early done").isNull();
                reset.accept(NS); // imminent reset while in the heap
                done.recv();
                if (ticker) {
                    assertTickEventually(c); // 1ns apart: another tick is owed already
                } else {
                    assertNoTick(c);
                }
                stop.run();
                assertNoTick(c);

                // Again with select and two goroutines waiting.
                reset.accept(LONG);
                Chan<Boolean> got = Chan.make(2);
                Chan<Boolean> quit = Chan.make();
                Chan<Boolean> exited = Chan.make(2);
                for (int i = 0; i < 2; i++) {
                    Go.go(() -> {
                        select(recv(c, v -> got.send(true)), recv(quit));
                        exited.send(true);
                    });
                }
                awaitWaiting("select");
                assertThat(got.tryRecv()).isNull();
                reset.accept(Duration.ofMillis(5));
                got.recv();
                stop.run();
                quit.close();
                exited.recv();
                exited.recv();
                got.tryRecv(); // a ticker may have fed the second waiter too
                assertNoTick(c);

                // Waiters on a stopped timer get nothing.
                Chan<Boolean> quit2 = Chan.make();
                for (int i = 0; i < 2; i++) {
                    Go.go(() -> {
                        assertThat(select(recv(c), recv(quit2))).as("unexpected data").isEqualTo(1);
                        exited.send(true);
                    });
                }
                awaitWaiting("select");
                settle();
                quit2.close();
                exited.recv();
                exited.recv();
            });
        }
    }

    static void assertTickEventually(RecvChan<Instant> c) {
        for (int i = 0; i < 100; i++) {
            if (c.tryRecv() != null) {
                return;
            }
            Time.sleep(Duration.ofMillis(10));
        }
        throw new AssertionError("missing tick");
    }

    // TestAfterTimes / TestTickTimes (tick_test.go): a value read late still carries the scheduled time, also when
    // the receive itself runs the timer (nobody was blocked on it, so no heap held it).
    @Test
    void lateReceiveGetsTheScheduledTime() {
        Instant start = Instant.now();
        RecvChan<Instant> after = Time.after(Duration.ofMillis(10));
        RecvChan<Instant> tick = Time.tick(Duration.ofMillis(10));
        Time.sleep(Duration.ofMillis(300));
        assertThat(Duration.between(start, after.recv())).isLessThan(Duration.ofMillis(150));
        assertThat(Duration.between(start, tick.recv())).isLessThan(Duration.ofMillis(150));
        Instant next = tick.recv(); // the next tick is re-aligned after the late receive, not before
        assertThat(Duration.between(start, next)).isGreaterThanOrEqualTo(Duration.ofMillis(299));
    }

    // TestAfterStop (sleep_test.go)
    @Test
    void afterStop() {
        Time.afterFunc(Duration.ofMillis(100), () -> {});
        Timer t0 = Timer.newTimer(Duration.ofMillis(50));
        Chan<Boolean> c1 = Chan.make(1);
        Timer t1 = Timer.afterFunc(Duration.ofMillis(150), () -> c1.send(true));
        RecvChan<Instant> c2 = Time.after(Duration.ofMillis(200));
        assertThat(t0.stop()).as("stop event 0").isTrue();
        assertThat(t1.stop()).as("stop event 1").isTrue();
        c2.recv();
        int chosen = select(recv(t0.C()), recv(c1), defaultCase());
        assertThat(chosen).as("no stopped event fired").isEqualTo(2);
        assertThat(t1.stop()).as("Stop returned true twice").isFalse();
    }

    // testReset (sleep_test.go)
    @Test
    void resetResults() {
        Duration d = Duration.ofMillis(100);
        Timer t0 = Timer.newTimer(d.multipliedBy(20));
        Time.sleep(d);
        assertThat(t0.reset(d.multipliedBy(3))).as("resetting unfired timer").isTrue();
        AtomicReference<Instant> got = new AtomicReference<>();
        got.set(t0.C().recv());
        assertThat(t0.reset(Duration.ofMillis(50))).as("resetting expired timer").isFalse();
        assertThat(t0.C().recv()).isAfter(got.get());
    }

    // TestAfter: the value is the scheduled fire time, no earlier than start + delay.
    @Test
    void afterSendsScheduledTime() {
        Duration delay = Duration.ofMillis(100);
        Instant start = Instant.now();
        long t0 = System.nanoTime();
        Instant end = Time.after(delay).recv();
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(delay.toNanos());
        // The instant is derived from the monotonic clock at firing; allow 1ms of wall/monotonic skew.
        assertThat(end).isAfterOrEqualTo(start.plus(delay).minusMillis(1));
        assertThat(end).isBeforeOrEqualTo(Instant.now().plusMillis(1));
    }

    // TestAfterQueuing: values arrive in fire order.
    @Test
    void afterQueuing() {
        int[] slots = {5, 3, 6, 6, 6, 1, 1, 2, 7, 9, 4, 8, 0};
        Go.run(() -> {
            for (int attempt = 0; ; attempt++) {
                Duration delta = Duration.ofMillis(20 + attempt * 50L);
                Chan<long[]> result = Chan.make(slots.length);
                for (int slot : slots) {
                    RecvChan<Instant> ac = Time.after(delta.multipliedBy(slot));
                    Go.go(() -> result.send(new long[] {slot, ac.recv().toEpochMilli()}));
                }
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < slots.length; i++) {
                    order.add((int) result.recv()[0]);
                }
                boolean sorted = true;
                for (int i = 1; i < order.size(); i++) {
                    sorted &= order.get(i) >= order.get(i - 1);
                }
                if (sorted) {
                    return;
                }
                assertThat(attempt).as("After calls returned out of order: " + order).isLessThan(4);
            }
        });
    }

    // TestAfterFunc: recursive AfterFunc(0, f) ten times; f runs in its own goroutine of the program.
    @Test
    void afterFuncRecursive() {
        Go.run(() -> {
            Chan<Boolean> c = Chan.make();
            AtomicInteger i = new AtomicInteger(10);
            AtomicReference<Runnable> f = new AtomicReference<>();
            long mainId = Go.goid();
            f.set(() -> {
                assertThat(Go.goid()).isNotEqualTo(0).isNotEqualTo(mainId);
                if (i.decrementAndGet() >= 0) {
                    Time.afterFunc(Duration.ZERO, f.get());
                } else {
                    c.send(true);
                }
            });
            Time.afterFunc(Duration.ZERO, f.get());
            assertThat(c.recv()).isTrue();
        });
    }

    @Test
    void afterFuncStopAndReset() {
        Chan<String> c = Chan.make(4);
        Timer t = Time.afterFunc(LONG, () -> c.send("ran"));
        assertThat(t.C()).isSameAs(Chan.nil());
        assertThat(t.reset(Duration.ofMillis(1))).isTrue();
        assertThat(c.recv()).isEqualTo("ran");
        assertThat(t.stop()).as("already ran").isFalse();
        assertThat(t.reset(Duration.ofMillis(1))).isFalse();
        assertThat(c.recv()).isEqualTo("ran");
        t.reset(LONG);
        assertThat(t.stop()).isTrue();
    }

    // An AfterFunc panic is a panic of the program that created the timer.
    @Test
    void afterFuncPanicEndsProgram() {
        Throwable thrown = null;
        try {
            Go.run(() -> {
                Time.afterFunc(Duration.ZERO, () -> {
                    throw new go4j.Panic("boom");
                });
                Chan.make().recv(); // blocks until the program ends
            });
        } catch (go4j.Panic p) {
            thrown = p;
        }
        assertThat(thrown).isNotNull().hasMessage("boom");
    }

    // A receiver blocked on the channel gets the value directly, and waits with reason "chan receive".
    @Test
    void blockedReceiverWaitReasonAndHandOff() {
        Go.run(() -> {
            Timer t = Timer.newTimer(LONG);
            Chan<Instant> got = Chan.make(1);
            Go.go(() -> got.send(t.C().recv()));
            G g = awaitWaiting("chan receive");
            assertThat(g.stateText()).isEqualTo("chan receive");
            assertThat(t.reset(NS)).isTrue();
            assertThat(got.recv()).isNotNull();
            assertThat(t.stop()).isFalse(); // delivered
        });
    }

    /** Polls (with gosched) until another goroutine of this program waits with the given reason. */
    static G awaitWaiting(String reason) {
        G self = G.current();
        while (true) {
            for (G g : self.program.goroutines()) {
                if (g != self && reason.equals(g.stateText())) {
                    return g;
                }
            }
            Go.gosched();
        }
    }

    @Test
    void sleepWaitReasonAndInterrupt() {
        Go.run(() -> {
            Chan<String> out = Chan.make(1);
            Go.go(() -> {
                try {
                    Time.sleep(LONG);
                    out.send("woke");
                } catch (GoInterruptedException e) {
                    out.send("interrupted " + Sched.isInterrupted());
                }
            });
            G g = awaitWaiting("sleep");
            assertThat(g.waitReason().text()).isEqualTo("sleep");
            g.thread().interrupt();
            assertThat(out.recv()).isEqualTo("interrupted false");
        });
    }

    @Test
    void sleepDurations() {
        Time.sleep(Duration.ZERO);
        Time.sleep(Duration.ofSeconds(-5));
        long t0 = System.nanoTime();
        Time.sleep(Duration.ofMillis(30));
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(30_000_000L);
        // TestSleepZeroDeadlock: many zero sleeps interleaved with channel ops
        for (int i = 0; i < 100; i++) {
            Time.sleep(Duration.ZERO);
            Chan<Boolean> tmp = Chan.make(1);
            tmp.send(true);
            tmp.recv();
        }
    }

    // TestOverflowSleep
    @Test
    void overflowDurations() {
        Duration big = Duration.ofSeconds(Long.MAX_VALUE);
        assertThat(select(recv(Time.after(big)), recv(Time.after(Duration.ofMillis(25))))).isEqualTo(1);
        Duration huge = Duration.ofNanos(Long.MAX_VALUE);
        assertThat(select(recv(Time.after(huge)), recv(Time.after(Duration.ofMillis(25))))).isEqualTo(1);
        Duration neg = Duration.ofSeconds(Long.MIN_VALUE);
        assertThat(select(recv(Time.after(neg)), recv(Time.after(Duration.ofSeconds(10))))).isEqualTo(0);
    }

    // Go 1.23: stop and a racing receiver agree — exactly one of "stop returned true" and "value received".
    @Test
    void stopRacesReceiveExactlyOnce() {
        Go.run(() -> {
            ThreadLocalRandom rnd = ThreadLocalRandom.current();
            for (int i = 0; i < 2000; i++) {
                Timer t = Timer.newTimer(Duration.ofNanos(rnd.nextInt(50_000)));
                Chan<Boolean> quit = Chan.make();
                Chan<Boolean> got = Chan.make(1);
                Go.go(() -> {
                    int k = select(recv(t.C()), recv(quit));
                    got.send(k == 0);
                });
                for (int s = rnd.nextInt(2000); s > 0; s--) {
                    Thread.onSpinWait();
                }
                boolean stopped = t.stop();
                quit.close();
                boolean received = got.recv();
                assertThat(stopped).as("iteration " + i + ": stop=" + stopped + " received=" + received)
                        .isNotEqualTo(received);
                assertThat(t.C().tryRecv()).isNull();
            }
        });
    }

    // Without any receiver a channel timer's value is never delivered, so stop always reports true.
    @Test
    void stopWithoutReceiverAlwaysTrue() {
        for (int i = 0; i < 2000; i++) {
            Timer t = Timer.newTimer(Duration.ofNanos(i % 3 == 0 ? 0 : ThreadLocalRandom.current().nextInt(20_000)));
            for (int s = ThreadLocalRandom.current().nextInt(3000); s > 0; s--) {
                Thread.onSpinWait();
            }
            assertThat(t.stop()).isTrue();
            assertThat(t.C().tryRecv()).isNull();
            assertThat(t.stop()).isFalse();
        }
    }

    @Test
    void selectTimeout() {
        Chan<Integer> never = Chan.make();
        AtomicReference<Instant> at = new AtomicReference<>();
        int k = select(recv(never), recv(Time.after(Duration.ofMillis(20)), at::set));
        assertThat(k).isEqualTo(1);
        assertThat(at.get()).isNotNull();
    }

    // Reset/stop churn leaves nothing behind: heaps hold exactly the armed timers and shrink again.
    @Test
    void churnDoesNotGrowHeaps() {
        int base = RuntimeTimer.pendingCount();
        Timer t = Timer.newTimer(LONG);
        for (int i = 0; i < 200_000; i++) {
            t.reset(Duration.ofSeconds(1000 + (i % 100)));
        }
        assertThat(RuntimeTimer.pendingCount()).isLessThanOrEqualTo(base + 1);
        t.stop();
        // The same with a goroutine blocked on the channel, so that every reset re-positions a heap entry.
        Go.run(() -> {
            Timer w = Timer.newTimer(LONG);
            Chan<Boolean> done = Chan.make();
            Go.go(() -> {
                w.C().recv();
                done.close();
            });
            awaitWaiting("chan receive");
            for (int i = 0; i < 100_000; i++) {
                w.reset(Duration.ofSeconds(1000 + (i % 100)));
            }
            assertThat(RuntimeTimer.pendingCount()).isLessThanOrEqualTo(base + 1);
            w.reset(NS);
            done.recv();
        });
        List<Timer> many = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            many.add(Timer.afterFunc(Duration.ofSeconds(1000 + i % 1000), () -> {}));
        }
        assertThat(RuntimeTimer.pendingCount()).isGreaterThanOrEqualTo(base + 200_000);
        for (Timer x : many) {
            assertThat(x.stop()).isTrue();
        }
        assertThat(RuntimeTimer.pendingCount()).isLessThanOrEqualTo(base);
        assertThat(RuntimeTimer.heapCapacity()).isLessThan(200_000 / 2);
    }

    // TestTimerGC (tick_test.go, Go 1.23): After, Tick, NewTimer, NewTicker, with and without Stop, that the
    // program drops are garbage even if never stopped; so are timers of an abandoned select, including one that
    // blocked on the timer and was woken by another case (its heap entry leaves with the last waiter).
    @Test
    void unreferencedTimersAreCollected() {
        int base = RuntimeTimer.pendingCount();
        String[] kinds = {"After", "Tick", "NewTimer", "NewTicker", "NewTimerStop", "NewTickerStop",
                "AbandonedSelect", "BlockedSelect"};
        for (String kind : kinds) {
            List<WeakReference<Object>> refs = makeGarbageTimers(kind, 2_000);
            assertThat(RuntimeTimer.pendingCount()).as(kind + ": heap entries").isLessThanOrEqualTo(base);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int live;
            do {
                System.gc();
                Time.sleep(Duration.ofMillis(5));
                live = 0;
                for (WeakReference<Object> r : refs) {
                    if (r.get() != null) {
                        live++;
                    }
                }
            } while (live > 10 && System.nanoTime() < deadline);
            assertThat(live).as(kind + " did not get GC'ed").isLessThanOrEqualTo(10);
        }
    }

    /** Makes n timers of the given kind and drops them; returns weak references to their channels. */
    private static List<WeakReference<Object>> makeGarbageTimers(String kind, int n) {
        List<WeakReference<Object>> refs = new ArrayList<>();
        Chan<Integer> ready = Chan.make(1);
        for (int i = 0; i < n; i++) {
            Object c = switch (kind) {
                case "After" -> Time.after(Duration.ofHours(1));
                case "Tick" -> Time.tick(Duration.ofHours(1));
                case "NewTimer" -> Time.newTimer(Duration.ofHours(1)).C();
                case "NewTicker" -> Time.newTicker(Duration.ofHours(1)).C();
                case "NewTimerStop" -> {
                    Timer t = Time.newTimer(Duration.ofHours(1));
                    t.stop();
                    yield t.C();
                }
                case "NewTickerStop" -> {
                    Ticker t = Time.newTicker(Duration.ofHours(1));
                    t.stop();
                    yield t.C();
                }
                case "AbandonedSelect" -> {
                    RecvChan<Instant> after = Time.after(Duration.ofHours(1));
                    select(recv(after), defaultCase());
                    yield after;
                }
                default -> { // blocks on the timer, then another case wins
                    RecvChan<Instant> after = Time.after(Duration.ofHours(1));
                    Time.afterFunc(Duration.ofNanos(1), () -> ready.send(1));
                    assertThat(select(recv(after), recv(ready))).isEqualTo(1);
                    yield after;
                }
            };
            refs.add(new WeakReference<>(c));
        }
        return refs;
    }

    // Misuse Go rejects at compile time: closing a timer's receive-only channel through a cast. The engine retires
    // that timer and keeps serving the others.
    @Test
    @SuppressWarnings("unchecked")
    void closedTimerChannelDoesNotBreakTheEngine() {
        Timer t = Timer.newTimer(Duration.ofMillis(5));
        ((Chan<Instant>) t.C()).close();
        Ticker tk = Time.newTicker(Duration.ofMillis(1));
        ((Chan<Instant>) tk.C()).close();
        assertThat(Time.after(Duration.ofMillis(30)).recv()).isNotNull();
        assertThat(t.C().recvOk().ok()).isFalse();
        assertThat(t.stop()).isFalse();
        tk.stop();
        Timer zero = Timer.newTimer(Duration.ZERO);
        ((Chan<Instant>) zero.C()).close(); // its value is made by the receive (nobody waited): too late now
        assertThat(zero.C().recvOk().ok()).isFalse();
        assertThat(zero.stop()).as("retired when it could not deliver").isFalse();
    }

    // An already-due timer (zero delay) runs at once in the arming thread: its value is ready immediately.
    @Test
    void zeroDelayIsReadyAtOnce() {
        for (int i = 0; i < 1000; i++) {
            Timer t = Timer.newTimer(Duration.ZERO);
            assertThat(t.C().tryRecv()).isNotNull();
            assertThat(t.reset(Duration.ofSeconds(-1))).isFalse();
            assertThat(t.C().tryRecv()).isNotNull();
        }
        Chan<Integer> ran = Chan.make(1);
        Timer f = Timer.afterFunc(Duration.ZERO, () -> ran.send(1));
        assertThat(ran.recv()).isEqualTo(1);
        assertThat(f.stop()).isFalse();
    }

    @Test
    void worksFromPlatformThread() throws Exception {
        AtomicReference<Instant> v = new AtomicReference<>();
        Thread th = Thread.ofPlatform().start(() -> {
            Time.sleep(Duration.ofMillis(5));
            v.set(Timer.newTimer(Duration.ofMillis(5)).C().recv());
        });
        th.join();
        assertThat(v.get()).isNotNull();
    }
}
