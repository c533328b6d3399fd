package go4j.debug;

import go4j.Chan;
import go4j.FatalError;
import go4j.Go;
import go4j.RecvChan;
import go4j.Select;
import go4j.context.CancelContext;
import go4j.context.Context;
import go4j.internal.G;
import go4j.internal.Liveness;
import go4j.internal.Sched;
import go4j.internal.WaitReason;
import go4j.internal.Waiter;
import go4j.sync.WaitGroup;
import go4j.time.Ticker;
import go4j.time.Time;
import go4j.time.Timer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Go's "fatal error: all goroutines are asleep - deadlock!" (runtime.checkdead), and its absence whenever something
 * outside go4j's primitives can still wake the program. Classic cases follow Go's runtime/testdata/testprog
 * deadlock programs (crash_test.go TestSimpleDeadlock, TestInitDeadlock-style, TestMainGoroutineID...).
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DeadlockTest {
    private static final String MSG = "all goroutines are asleep - deadlock!";

    private static String deadlockOf(Runnable main) {
        try (StderrCapture err = new StderrCapture()) {
            assertThatThrownBy(() -> Go.run(main)).isInstanceOf(FatalError.class).hasMessage(MSG);
            return err.text();
        }
    }

    /** Waits until some live goroutine's status satisfies p (a polling loop, bounded by the test timeout). */
    static void awaitGoroutine(Predicate<GoroutineInfo> p) {
        while (Goroutines.all().stream().noneMatch(p)) {
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    // crash_test.go TestSimpleDeadlock: `select {}` in main.
    @Test
    void selectNoCasesInMain() {
        String out = deadlockOf(() -> Select.select());
        assertThat(out).startsWith("fatal error: " + MSG + "\n\ngoroutine 1 [select (no cases)]:\n");
    }

    @Test
    void unbufferedSendWithNoReceiverInMain() {
        String out = deadlockOf(() -> {
            Chan<Integer> c = Chan.make();
            c.send(1);
        });
        assertThat(out).startsWith("fatal error: " + MSG + "\n\ngoroutine 1 [chan send]:\n");
        assertThat(out).contains("go4j.debug.DeadlockTest.lambda$unbufferedSendWithNoReceiverInMain$");
        assertThat(out).doesNotContain("go4j.internal.", "LockSupport", "VirtualThread");
    }

    @Test
    void receiveFromNilChannel() {
        String out = deadlockOf(() -> Chan.<Integer>nil().recv());
        assertThat(out).contains("goroutine 1 [chan receive (nil chan)]:");
    }

    @Test
    void workersWaitingOnEachOther() {
        String out = deadlockOf(() -> {
            int n = 4;
            @SuppressWarnings("unchecked")
            Chan<Integer>[] ring = new Chan[n];
            for (int i = 0; i < n; i++) {
                ring[i] = Chan.make();
            }
            Chan<Integer> done = Chan.make();
            for (int i = 0; i < n; i++) {
                int k = i;
                Go.go(() -> { // each waits for its left neighbour before passing on: nobody starts
                    int v = ring[k].recv();
                    ring[(k + 1) % n].send(v + 1);
                });
            }
            Go.go(() -> Select.select(Select.recv(done), Select.recv(ring[0])));
            done.recv();
        });
        assertThat(out).contains("goroutine 1 [chan receive]:", "goroutine 2 [chan receive]:",
                "goroutine 5 [chan receive]:", "goroutine 6 [select]:", "created by go4j.debug.DeadlockTest");
        assertThat(out).contains(" in goroutine 1\n");
    }

    @Test
    void waitGroupNeverDone() {
        String out = deadlockOf(() -> {
            TestSync.WaitGroup wg = new TestSync.WaitGroup();
            wg.add(2);
            Go.go(wg::done);
            wg.await();
        });
        assertThat(out).startsWith("fatal error: " + MSG + "\n\ngoroutine 1 [sync.WaitGroup.Wait]:\n");
    }

    @Test
    void mutexLockedTwice() {
        String out = deadlockOf(() -> {
            TestSync.Mutex mu = new TestSync.Mutex();
            mu.lock();
            mu.lock();
        });
        assertThat(out).startsWith("fatal error: " + MSG + "\n\ngoroutine 1 [sync.Mutex.Lock]:\n");
    }

    @Test
    void channelTimerNobodyWaitsOnDoesNotKeepTheRunAlive() {
        // Go 1.23: a channel timer is in a heap only while a goroutine is blocked on its channel, so a pending
        // timer whose channel nobody waits on does not keep the run alive; its value is produced lazily, by the
        // next receive (here, after the run, from the test thread).
        AtomicReference<RecvChan<Instant>> keep = new AtomicReference<>();
        String out = deadlockOf(() -> {
            Chan<Integer> never = Chan.make();
            keep.set(Time.after(Duration.ofMillis(30)));
            never.recv();
        });
        assertThat(out).contains("goroutine 1 [chan receive]:");
        assertThat(keep.get().recv()).as("the timer still delivers to a later receiver").isNotNull();
    }

    @Test
    void stoppedTimerNoLongerKeepsTheRunAlive() {
        // A one-hour timer keeps the run alive until another goroutine stops it; then main's wait is a deadlock.
        AtomicInteger stopped = new AtomicInteger();
        String out = deadlockOf(() -> {
            Chan<Integer> never = Chan.make();
            Timer t = Time.newTimer(Duration.ofHours(1));
            Timer f = Time.afterFunc(Duration.ofHours(1), () -> never.send(1));
            Go.go(() -> {
                awaitGoroutine(g -> g.id() == 1 && g.status().equals("chan receive"));
                if (t.stop() && f.stop()) {
                    stopped.incrementAndGet();
                }
            });
            never.recv();
        });
        assertThat(out).contains("goroutine 1 [chan receive]:");
        assertThat(stopped).hasValue(1);
    }

    @Test
    void cancelledDeadlineContextNoLongerKeepsTheRunAlive() {
        String out = deadlockOf(() -> {
            CancelContext ctx = Context.withTimeout(Context.background(), Duration.ofHours(1));
            ctx.cancel(); // stops the deadline timer
            Chan.make().recv();
        });
        assertThat(out).contains("goroutine 1 [chan receive]:");
    }

    @Test
    void resetOfAPendingTimerCountsOnce() {
        // Re-arming a pending timer must not take a second count: after it fired and was received, the run is dead.
        String out = deadlockOf(() -> {
            Timer t = Time.newTimer(Duration.ofHours(1));
            assertThat(t.reset(Duration.ofMillis(10))).isTrue();
            t.C().recv();
            assertThat(t.stop()).isFalse();
            Chan.make().recv();
        });
        assertThat(out).contains("goroutine 1 [chan receive]:");
    }

    @Test
    void tickerKeepsTheRunAliveUntilStopped() {
        AtomicInteger ticks = new AtomicInteger();
        String out = deadlockOf(() -> {
            Ticker tk = Time.newTicker(Duration.ofMillis(5));
            Chan<Integer> done = Chan.make();
            Go.go(() -> { // blocked on the ticker while main is blocked on done: only the ticker can wake them
                for (int i = 0; i < 3; i++) {
                    tk.C().recv();
                    ticks.incrementAndGet();
                }
                done.send(1);
            });
            done.recv();
            tk.stop();
            tk.C().recv(); // stopped: never ticks again
        });
        assertThat(out).contains("goroutine 1 [chan receive]:");
        assertThat(ticks).hasValue(3);
    }

    @Test
    void deadlockAfterOtherGoroutinesExited() {
        String out = deadlockOf(() -> {
            Chan<Integer> c = Chan.make();
            Chan<Integer> d = Chan.make();
            for (int i = 0; i < 10; i++) {
                Go.go(() -> c.send(1));
            }
            for (int i = 0; i < 10; i++) {
                c.recv();
            }
            d.recv();
        });
        assertThat(out).contains("goroutine 1 [chan receive]:").doesNotContain("goroutine 2 ");
    }

    @Test
    void nestedRunDeadlocksAloneWhileTheOuterRunWaitsForIt() {
        Go.run(() -> {
            try (StderrCapture err = new StderrCapture()) {
                // the outer main is blocked in the inner Go.run (not a go4j wait): only the inner run is dead
                assertThatThrownBy(() -> Go.run(() -> Chan.make().recv())).isInstanceOf(FatalError.class).hasMessage(MSG);
                assertThat(err.text()).startsWith("fatal error: " + MSG + "\n\ngoroutine 1 [chan receive]:\n");
            }
        });
    }

    // ------------------------------------------------------------------ never a false positive

    @Test
    void notReportedWhileAGoroutineSleeps() {
        Go.run(() -> {
            Chan<Integer> c = Chan.make();
            Go.go(() -> {
                Waiter w = new Waiter(); // go4j.time's sleep: a timed wait with WaitReason.SLEEP
                w.await(WaitReason.SLEEP, 0, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200));
                c.send(42);
            });
            assertThat(c.recv()).isEqualTo(42);
        });
    }

    @Test
    void notReportedForATimedWaitEvenOnAChannelReason() {
        Go.run(() -> {
            Waiter w = new Waiter();
            assertThat(w.await(WaitReason.CHAN_RECEIVE, 0, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(100)))
                    .isEqualTo(Waiter.TIMED_OUT);
        });
    }

    @Test
    void notReportedWhileATimerIsPending() {
        // Main alone, blocked on <-time.After(d): the pending timer keeps the run alive until it delivers.
        Go.run(() -> assertThat(Time.after(Duration.ofMillis(50)).recv()).isNotNull());
    }

    @Test
    void notReportedForAGoroutineBlockedOnAfter() {
        Go.run(() -> {
            Chan<Integer> c = Chan.make();
            Go.go(() -> {
                Time.after(Duration.ofMillis(30)).recv();
                c.send(1);
            });
            assertThat(c.recv()).isEqualTo(1);
        });
    }

    @Test
    void notReportedWhileMainWaitsOnADeadlineContext() {
        Go.run(() -> {
            CancelContext ctx = Context.withTimeout(Context.background(), Duration.ofMillis(30));
            ctx.done().recv();
            assertThat(ctx.err()).isSameAs(Context.DeadlineExceeded);
            ctx.cancel();
        });
    }

    @Test
    void notReportedForASelectOnATimerAndAChannel() {
        Go.run(() -> {
            Chan<Integer> never = Chan.make();
            int k = Select.select(Select.recv(never), Select.recv(Time.after(Duration.ofMillis(30))));
            assertThat(k).isEqualTo(1);
        });
    }

    @Test
    void notReportedForAResetOfAFiredOrStoppedTimer() {
        Go.run(() -> {
            Timer t = Time.newTimer(Duration.ofMillis(5));
            t.C().recv();
            assertThat(t.reset(Duration.ofMillis(20))).isFalse(); // fired: arms it again
            t.C().recv();
            assertThat(t.stop()).isFalse();
            assertThat(t.reset(Duration.ofMillis(20))).isFalse(); // stopped: arms it again
            t.C().recv();
        });
    }

    @Test
    void afterFuncRunsInTheCreatorsRunAndKeepsItAlive() {
        Go.run(() -> {
            G main = G.current();
            Chan<Boolean> c = Chan.make();
            Time.afterFunc(Duration.ofMillis(30), () -> c.send(G.current().program == main.program));
            assertThat(c.recv()).as("the AfterFunc goroutine belongs to the run").isTrue();
        });
    }

    @Test
    void notReportedForATimerMadeOutsideTheRun() {
        RecvChan<Instant> outside = Time.after(Duration.ofMillis(30)); // counts in no run; the wait is not asleep
        Go.run(() -> assertThat(outside.recv()).isNotNull());
    }

    @Test
    void notReportedForADeadlineContextMadeOutsideTheRun() {
        // Its timer counts in no run; its done channel, though made lazily inside the run, belongs to no run.
        CancelContext ctx = Context.withTimeout(Context.background(), Duration.ofMillis(30));
        Go.run(() -> {
            ctx.done().recv();
            CancelContext child = Context.withCancel(ctx); // derived inside the run from a context made outside
            child.done().recv();
            assertThat(child.err()).isSameAs(Context.DeadlineExceeded);
        });
        CancelContext outer = Context.withTimeout(Context.background(), Duration.ofMillis(30));
        Go.run(() -> Context.withCancel(outer).done().recv()); // the child's done is asked for first, in the run
    }

    @Test
    void contextMadeInTheRunStillDeadlocks() {
        String out = deadlockOf(() -> Context.withCancel(Context.background()).done().recv());
        assertThat(out).contains("goroutine 1 [chan receive]:");
    }

    @Test
    void pendingTimerCountFollowsArmStopResetAndFire() {
        // Counted: pending AfterFunc timers, and pending channel timers while a goroutine is blocked on their
        // channel (Go 1.23's heap membership, which Go's checkdead looks at).
        Go.run(() -> {
            Liveness lv = Liveness.ofCurrent();
            assertThat(lv.pendingTimers()).isZero();
            Timer a = Time.newTimer(Duration.ofHours(1));
            Timer b = Time.afterFunc(Duration.ofHours(1), () -> { });
            Ticker tk = Time.newTicker(Duration.ofHours(1));
            assertThat(lv.pendingTimers()).as("only the AfterFunc: nobody waits on a or tk").isEqualTo(1);
            assertThat(a.reset(Duration.ofHours(2))).isTrue();
            assertThat(lv.pendingTimers()).isEqualTo(1);
            Chan<Instant> got = Chan.make(1);
            Go.go(() -> got.send(a.C().recv()));
            while (lv.pendingTimers() != 2) { // a counts once a goroutine is blocked on its channel
                Go.gosched();
            }
            assertThat(a.reset(Duration.ofHours(3))).isTrue(); // pending and waited on: no second count
            assertThat(lv.pendingTimers()).isEqualTo(2);
            assertThat(a.reset(Duration.ofMillis(1))).isTrue();
            assertThat(got.recv()).isNotNull();
            while (lv.pendingTimers() != 1) { // fired and delivered; the receiver left
                Go.gosched();
            }
            assertThat(a.stop()).isFalse();
            assertThat(b.stop()).isTrue();
            assertThat(lv.pendingTimers()).isZero();
            tk.reset(Duration.ofHours(2));
            tk.stop();
            tk.stop();
            assertThat(lv.pendingTimers()).isZero();
            a.reset(Duration.ZERO); // due at once, but nobody waits: the receive below runs it
            assertThat(lv.pendingTimers()).isZero();
            a.C().recv();
            Chan<Integer> ran = Chan.make(1);
            Time.afterFunc(Duration.ofMillis(1), () -> ran.send(1));
            ran.recv();
            while (lv.pendingTimers() != 0) { // retired by the service thread right after the goroutine started
                Go.gosched();
            }
            Time.newTimer(Duration.ofMillis(1)).C().recv();
            while (lv.pendingTimers() != 0) {
                Go.gosched();
            }
        });
    }

    @Test
    void notReportedWhileAGoroutineIsBlockedInIo() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread client = Thread.ofPlatform().start(() -> {
                try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
                    awaitGoroutine(g -> g.id() == 1 && g.status().equals("chan receive"));
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
                    OutputStream o = s.getOutputStream();
                    o.write(5);
                    o.flush();
                    s.getInputStream().read();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            Go.run(() -> {
                Chan<Integer> c = Chan.make();
                Go.go(() -> {
                    try (Socket s = server.accept()) {
                        InputStream in = s.getInputStream();
                        int b = in.read(); // blocked in I/O: go4j sees a running goroutine
                        s.getOutputStream().write(1);
                        c.send(b);
                    } catch (Exception e) {
                        throw new RuntimeException(e);
                    }
                });
                assertThat(c.recv()).isEqualTo(5);
            });
            client.join();
        }
    }

    @Test
    void notReportedWhileAGoroutineWaitsForAJdkLock() throws Exception {
        ReentrantLock held = new ReentrantLock();
        CountDownLatch locked = new CountDownLatch(1);
        Thread owner = Thread.ofPlatform().start(() -> {
            held.lock();
            locked.countDown();
            awaitGoroutine(g -> g.status().equals("syscall"));
            awaitGoroutine(g -> g.id() == 1 && g.status().equals("chan receive"));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            held.unlock();
        });
        locked.await();
        Go.run(() -> {
            Chan<Integer> c = Chan.make();
            Go.go(() -> {
                held.lock(); // blocked in the JDK: go4j sees a running goroutine
                held.unlock();
                c.send(1);
            });
            assertThat(c.recv()).isEqualTo(1);
        });
        owner.join();
    }

    @Test
    void notReportedForAChannelMadeOutsideTheRun() {
        Chan<String> external = Chan.make(); // a plain thread will feed it: the run cannot see that
        Thread feeder = Thread.ofPlatform().start(() -> {
            awaitGoroutine(g -> g.id() == 1 && g.status().equals("chan receive"));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            external.send("from outside");
        });
        Go.run(() -> assertThat(external.recv()).isEqualTo("from outside"));
        try {
            feeder.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void notReportedForASelectOnAChannelMadeOutsideTheRun() {
        Chan<String> external = Chan.make();
        Thread feeder = Thread.ofPlatform().start(() -> {
            awaitGoroutine(g -> g.id() == 1 && g.status().equals("select"));
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            external.send("x");
        });
        Go.run(() -> {
            Chan<String> internal = Chan.make();
            assertThat(Select.select(Select.recv(internal), Select.recv(external))).isEqualTo(1);
        });
        try {
            feeder.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void notReportedAfterMainReturns() {
        Go.run(() -> {
            Chan<Integer> c = Chan.make();
            for (int i = 0; i < 5; i++) {
                Go.go(c::recv); // left blocked: main returns, the run ends normally, as in Go
            }
        });
    }

    @Test
    void noFalsePositiveUnderPingPongChurn() {
        // Hand-offs make the awake count touch zero transiently (a goroutine woken between its count update and its
        // park): the confirming scan must reject those.
        for (int round = 0; round < 5; round++) {
            Go.run(() -> {
                Chan<Integer> ping = Chan.make();
                Chan<Integer> pong = Chan.make();
                for (int k = 0; k < 3; k++) {
                    Go.go(() -> {
                        for (Integer v : ping) {
                            pong.send(v);
                        }
                    });
                }
                for (int i = 0; i < 30_000; i++) {
                    ping.send(i);
                    pong.recv();
                }
                ping.close();
            });
        }
    }

    @Test
    void noFalsePositiveInAWorkerPoolWithSelectAndWaitGroup() {
        for (int round = 0; round < 20; round++) {
            Go.run(() -> {
                Chan<Integer> jobs = Chan.make(4);
                Chan<Integer> results = Chan.make();
                Chan<Boolean> quit = Chan.make();
                TestSync.WaitGroup wg = new TestSync.WaitGroup();
                TestSync.Mutex mu = new TestSync.Mutex();
                int[] sum = {0};
                for (int w = 0; w < 4; w++) {
                    wg.add(1);
                    Go.go(() -> {
                        while (true) {
                            int[] got = {-1};
                            int k = Select.select(Select.recv(jobs, v -> got[0] = v == null ? -1 : v), Select.recv(quit));
                            if (k == 1 || got[0] < 0) {
                                break;
                            }
                            mu.lock();
                            sum[0] += got[0];
                            mu.unlock();
                            results.send(got[0]);
                        }
                        wg.done();
                    });
                }
                Go.go(() -> {
                    for (int j = 1; j <= 2_000; j++) {
                        jobs.send(j);
                    }
                });
                for (int j = 1; j <= 2_000; j++) {
                    results.recv();
                }
                quit.close();
                wg.await();
                assertThat(sum[0]).isEqualTo(2_000 * 2_001 / 2);
            });
        }
    }

    // The awake count is striped per carrier (Liveness): a goroutine that goes to sleep on one M and is woken on
    // another leaves one cell below and one above what it started with. The sum must stay exact, or a later
    // deadlock is missed (too high) or reported falsely (too low).
    @Test
    void awakeCountStaysExactWhenGoroutinesSleepAndWakeOnDifferentCarriers() {
        Go.run(() -> {
            Liveness lv = Liveness.ofCurrent();
            WaitGroup wg = new WaitGroup();
            for (int p = 0; p < 4; p++) {
                Chan<Integer> ping = Chan.make();
                Chan<Integer> pong = Chan.make();
                wg.add(2);
                Go.go(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        ping.send(i);
                        pong.recv();
                    }
                    wg.done();
                });
                Go.go(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        pong.send(ping.recv());
                    }
                    wg.done();
                });
            }
            wg.await();
            while (Go.numGoroutine() > 1 || lv.awakeCount() != 1) { // the 8 are exiting (bounded by @Timeout)
                Go.gosched();
            }
            for (int i = 0; i < 100; i++) {
                Go.gosched();
                assertThat(lv.awakeCount()).isEqualTo(1);
            }
        });
    }

    // Under go4j's scheduler the last goroutine to fall asleep usually does so on an M, and only sysmon's poll (or
    // an M going idle) looks at the count then; here no M goes idle: another run keeps every P busy. (Not on the
    // JDK's scheduler, whose carriers keep re-running yielding virtual threads ahead of new submissions, so the
    // deadlocking run would never start; there every transition is checked at once anyway.)
    @Test
    void deadlockIsFoundWhileAnotherRunKeepsEveryProcessorBusy() throws InterruptedException {
        assumeTrue(Sched.isGmp(), "go4j's scheduler only");
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch busy = new CountDownLatch(1);
        Thread other = Thread.ofPlatform().start(() -> Go.run(() -> {
            for (int i = 0; i < Go.gomaxprocs(0); i++) {
                Go.go(() -> {
                    while (!stop.get()) {
                        Go.gosched();
                    }
                });
            }
            busy.countDown();
            while (!stop.get()) {
                Go.gosched();
            }
        }));
        try {
            assertThat(busy.await(20, TimeUnit.SECONDS)).isTrue();
            String out = deadlockOf(() -> {
                Chan<Integer> c = Chan.make();
                Go.go(() -> c.send(1));
                c.recv();
                c.recv();
            });
            assertThat(out).startsWith("fatal error: " + MSG + "\n\ngoroutine 1 [chan receive]:\n");
        } finally {
            stop.set(true);
            other.join();
        }
    }
}
