package go4j.internal.sched;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The G-M-P scheduler with virtual threads on private scheduler instances (independent of the one goroutines
 * use): runnext order, global-queue fairness, sysmon's hand-off of a stuck carrier's P, GOMAXPROCS at run time.
 * Needs {@code --add-opens java.base/java.lang=ALL-UNNAMED} (the build passes it).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SchedulerTest {

    @BeforeAll
    static void available() {
        assumeTrue(Scheduler.unavailable() == null, "needs --add-opens java.base/java.lang=ALL-UNNAMED");
    }

    /** Parks until the flag is set (a virtual thread parks: its carrier runs others). */
    private static void parkUntil(AtomicBoolean flag) {
        while (!flag.get()) {
            LockSupport.park();
        }
    }

    @Test
    void aReadiedGoroutineRunsNextAndTheDisplacedOneAfterIt() throws Exception {
        // Go's runnext: the last goroutine readied by the running one runs next (LIFO for the slot); the one it
        // displaced goes to the tail of the local queue (Go's TestSchedLocalQueue semantics through the scheduler).
        Scheduler s = new Scheduler(1, 0);
        ThreadFactory f = s.factory();
        List<String> order = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean goX = new AtomicBoolean();
        AtomicBoolean goY = new AtomicBoolean();
        CountDownLatch parked = new CountDownLatch(2);
        CountDownLatch done = new CountDownLatch(3);
        Thread x = f.newThread(() -> {
            parked.countDown();
            parkUntil(goX);
            order.add("x");
            done.countDown();
        });
        Thread y = f.newThread(() -> {
            parked.countDown();
            parkUntil(goY);
            order.add("y");
            done.countDown();
        });
        x.start();
        y.start();
        parked.await();
        while (x.getState() != Thread.State.WAITING || y.getState() != Thread.State.WAITING) {
            Thread.onSpinWait();
        }
        f.newThread(() -> {
            goX.set(true);
            LockSupport.unpark(x); // to runnext
            goY.set(true);
            LockSupport.unpark(y); // to runnext; x moves to the tail
            order.add("readier");
            done.countDown();
        }).start();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(order).containsExactly("readier", "y", "x");
    }

    @Test
    void aGoroutineInTheGlobalQueueRunsWithinBoundedTicksWhileLocalQueuesStayFull() throws Exception {
        // Go's fairness rule (schedule: every 61st schedtick takes from the global queue first): 8 goroutines
        // yielding in a loop keep the only P's local queue non-empty forever.
        Scheduler s = new Scheduler(1, 0);
        ThreadFactory f = s.factory();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch spinning = new CountDownLatch(8);
        List<Thread> yielders = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Thread t = f.newThread(() -> {
                spinning.countDown();
                while (!stop.get()) {
                    Thread.yield();
                }
            });
            yielders.add(t);
            t.start();
        }
        spinning.await();
        P p = s.allp[0];
        int conclusive = 0;
        for (int round = 0; round < 50 && conclusive < 5; round++) {
            AtomicLong ranAt = new AtomicLong(-1);
            // Tasks already in the global queue run first (FIFO). A sysmon hand-off during the round (a carrier
            // descheduled by the OS for 10 ms on a loaded machine) changes the tick arithmetic: such rounds do not
            // count.
            long ahead = s.stats().globalRunqueue();
            long handoffs = s.stats().handoffs();
            Thread g = f.newThread(() -> ranAt.set(p.taskTick)); // started from a platform thread: global queue
            g.start();
            // Read after start returned, i.e. after g was queued: the test thread may be descheduled for a while
            // inside start, before it queues g, and the P's ticks keep going meanwhile.
            long before = p.taskTick;
            g.join();
            if (s.stats().handoffs() != handoffs) {
                continue;
            }
            conclusive++;
            long ticks = ranAt.get() - before;
            assertThat(ticks).as("ticks until the global goroutine ran (%d queued ahead)", ahead)
                    .isLessThanOrEqualTo(2L * M.GLOBAL_CHECK_TICKS * (ahead + 1));
        }
        assertThat(conclusive).as("rounds without a hand-off").isEqualTo(5);
        stop.set(true);
        for (Thread t : yielders) {
            t.join();
        }
    }

    @Test
    void aCpuBoundGoroutineCannotStarveTheOthersOnceSysmonHandsItsPOff() throws Exception {
        // One P; the running goroutine readies another and then spins waiting for it without ever blocking.
        // Only sysmon's retake (its P handed to another carrier after 10 ms) lets the other one run.
        Scheduler s = new Scheduler(1, 0);
        ThreadFactory f = s.factory();
        AtomicBoolean flag = new AtomicBoolean();
        AtomicInteger carriersSeen = new AtomicInteger();
        Thread hog = f.newThread(() -> {
            Thread helper = s.factory().newThread(() -> flag.set(true));
            helper.start(); // runnext of our P
            while (!flag.get()) {
                Thread.onSpinWait();
            }
            carriersSeen.incrementAndGet();
        });
        hog.start();
        hog.join();
        assertThat(flag.get()).isTrue();
        assertThat(s.stats().handoffs()).isGreaterThanOrEqualTo(1);
        assertThat(s.stats().threads()).isGreaterThanOrEqualTo(2);
    }

    /** Opened by the goroutines queued behind the pinned one. */
    static final CountDownLatch RELEASE = new CountDownLatch(100);

    /** Parks in its class initializer until {@link #RELEASE} opens: parking there pins the carrier. */
    static final class PinnedInit {
        static {
            try {
                RELEASE.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }

        static void touch() {}
    }

    @Test
    void aGoroutinePinnedInABlockingCallHasItsPHandedOff() throws Exception {
        // Go's syscall hand-off: one P; a goroutine readies 100 goroutines into that P's queue and then blocks
        // in a call that pins its carrier (a park inside a class initializer) until those 100 have run. Only
        // sysmon handing the P to another carrier lets them run.
        Scheduler s = new Scheduler(1, 0);
        ThreadFactory f = s.factory();
        Thread blocker = f.newThread(() -> {
            for (int i = 0; i < 100; i++) {
                f.newThread(RELEASE::countDown).start();
            }
            PinnedInit.touch();
        });
        blocker.start();
        blocker.join();
        assertThat(RELEASE.getCount()).isZero();
        assertThat(s.stats().handoffs()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void gomaxprocsGrowsAndShrinksAtRunTime() throws Exception {
        Scheduler s = new Scheduler(1, 0);
        ThreadFactory f = s.factory();
        assertThat(s.gomaxprocs(3)).isEqualTo(1);
        assertThat(s.gomaxprocs()).isEqualTo(3);
        assertThat(s.stats().localRunqueues()).hasSize(3);
        // Work keeps flowing across a shrink.
        int n = 2000;
        CountDownLatch done = new CountDownLatch(n);
        AtomicInteger seq = new AtomicInteger();
        Thread spawner = f.newThread(() -> {
            for (int i = 0; i < n; i++) {
                f.newThread(() -> {
                    seq.incrementAndGet();
                    Thread.yield();
                    done.countDown();
                }).start();
                if (i == n / 2) {
                    s.gomaxprocs(1);
                }
            }
        });
        spawner.start();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        spawner.join();
        assertThat(s.gomaxprocs()).isEqualTo(1);
        assertThat(s.stats().localRunqueues()).hasSize(1);
        assertThat(s.gomaxprocs(0)).as("n < 1 only queries").isEqualTo(1);
    }

    @Test
    void idleSchedulerParksItsThreads() throws Exception {
        Scheduler s = new Scheduler(2, 0);
        ThreadFactory f = s.factory();
        CountDownLatch done = new CountDownLatch(50);
        for (int i = 0; i < 50; i++) {
            f.newThread(done::countDown).start();
        }
        done.await();
        // All Ps go idle and every M parks (no busy loop): poll for it.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        Scheduler.Stats st = s.stats();
        while (!(st.idleProcs() == 2 && st.idleThreads() == st.threads() && st.spinningThreads() == 0)) {
            assertThat(System.nanoTime() - deadline).as("idle within 20 s: " + st).isNegative();
            Thread.onSpinWait();
            st = s.stats();
        }
    }

    @Test
    void spinningOnlyWhenThePartnerCanBeRunningOnAnotherP() throws Exception {
        // Go's sync_runtime_canSpin: never with work queued on our own P (the partner is waiting for our
        // carrier), never when no other P runs; a thread outside the scheduler has its own core.
        for (int attempt = 0; ; attempt++) {
            Scheduler s = new Scheduler(2, 0);
            List<Boolean> seen = canSpinScenario(s);
            if (s.stats().handoffs() != 0 && attempt < 5) {
                continue; // a carrier was descheduled for 10 ms (loaded machine): the scenario did not happen
            }
            assertThat(seen).containsExactly(false, true, false);
            return;
        }
    }

    @Test
    void waitingForThePartnerItJustReadiedAGoroutineWakesAnIdlePToTakeIt() throws Exception {
        // go4j's pair splitting (canSpin): our runnext holds only the goroutine we just readied and the other P is
        // idle, so canSpin wakes that P (unless an M is spinning already: sysmon wakes one for a runnext that waits
        // a whole sysmon period), and the woken M takes the partner from our runnext and runs it on its carrier
        // while we keep ours (this goroutine never parks nor yields after the wake). Go wakes nobody here: the
        // partner waits for our carrier. canSpin says spin only while an M polls in its idle spin (Scheduler.nmhot,
        // so an M is spinning then): a spin for an M still being woken, tens of µs away, would be over first.
        // (That such Ms split a pair is SchedTest.aPingPongPairSplitsOverTwoCarriers.)
        for (int attempt = 0; ; attempt++) {
            Scheduler s = new Scheduler(2, 0);
            ThreadFactory f = s.factory();
            AtomicBoolean go = new AtomicBoolean();
            AtomicBoolean answered = new AtomicBoolean();
            AtomicReference<Thread> partnerCarrier = new AtomicReference<>();
            AtomicReference<Thread> ownCarrier = new AtomicReference<>();
            AtomicBoolean spin = new AtomicBoolean();
            AtomicInteger spinningAround = new AtomicInteger();
            AtomicInteger idleAfter = new AtomicInteger(-1);
            AtomicBoolean answeredBeforeLook = new AtomicBoolean();
            AtomicBoolean buffered = new AtomicBoolean(true);
            CountDownLatch done = new CountDownLatch(1);
            f.newThread(() -> {
                Thread partner = f.newThread(() -> {
                    parkUntil(go);
                    partnerCarrier.set(Scheduler.currentCarrier());
                    answered.set(true);
                });
                partner.start();
                while (partner.getState() != Thread.State.WAITING) {
                    Thread.yield();
                }
                while (true) {
                    // The other P's M ends its idle spin, gives its P up, re-checks every queue and parks in the
                    // idle-M list (~50 µs). Until it is there it may still take our runnext itself (its re-check
                    // sees it) or count as spinning (then wakep wakes nobody): wait for the list.
                    Scheduler.Stats st = s.stats();
                    if (st.idleProcs() == 1 && st.idleThreads() == 1) {
                        break;
                    }
                    Thread.onSpinWait();
                }
                go.set(true);
                LockSupport.unpark(partner); // into our runnext
                buffered.set(s.canSpin(false)); // a buffered channel's wait: the pair batches here instead
                int spinningBefore = s.stats().spinningThreads();
                spin.set(s.canSpin(true));
                Scheduler.Stats after = s.stats();
                spinningAround.set(spinningBefore + after.spinningThreads());
                idleAfter.set(after.idleProcs());
                answeredBeforeLook.set(answered.get());
                while (!answered.get()) {
                    Thread.onSpinWait();
                }
                ownCarrier.set(Scheduler.currentCarrier());
                done.countDown();
            }).start();
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            if (s.stats().handoffs() != 0 && attempt < 5) {
                continue; // a carrier was descheduled for 10 ms (loaded machine): sysmon moved Ps around
            }
            if (!spin.get() && idleAfter.get() != 0 && answeredBeforeLook.get() && attempt < 5) {
                // The woken M took the P, ran the partner, found nothing more and gave the P back (50 µs of idle
                // spin) before we looked at the idle count: our carrier was descheduled in between.
                continue;
            }
            assertThat(buffered.get()).as("canSpin for a wait that is not turn-taking").isFalse();
            if (spin.get()) {
                assertThat(spinningAround.get()).as("canSpin said spin: an M was in its idle spin").isPositive();
            } else {
                // It handed the idle P to an M it is waking (startm takes the P before it unparks the M, which
                // needs tens of µs before it could give the P back).
                assertThat(idleAfter.get()).as("canSpin said park: it woke the idle P").isZero();
            }
            assertThat(partnerCarrier.get()).isNotNull().isNotSameAs(ownCarrier.get());
            return;
        }
    }

    @Test
    void slowCrossCoreHandOffsTurnPairSplittingOffForAWhile() throws Exception {
        // The governor: a run of sampled wake latencies above 200 ns and above four times the fastest sample seen
        // (a slow cache-line transfer between the two cores) turns pair splitting off for 100 ms; isolated slow
        // samples (a preempted owner) do not, nor do the slow samples of cold code before any fast one.
        Scheduler s = new Scheduler(2, 0);
        assertThat(s.splitting()).isTrue();
        for (int i = 0; i < 20; i++) {
            s.handoffSample(800 + 50 * i); // cold code: every hand-off slow, and so is taking turns
        }
        assertThat(s.splitting()).as("twenty slow samples, none faster yet").isTrue();
        for (int i = 0; i < 100; i++) {
            s.handoffSample(i % 2 == 0 ? 5_000 : 80); // every other sample slow: never a run
        }
        assertThat(s.splitting()).as("alternating slow and fast samples").isTrue();
        for (int i = 0; i < 20; i++) {
            s.handoffSample(300); // above 200 ns, but within four times the fastest (80 ns)
        }
        assertThat(s.splitting()).as("samples within four times the fastest").isTrue();
        for (int i = 0; i < 7; i++) {
            s.handoffSample(450);
        }
        assertThat(s.splitting()).as("seven slow samples in a row").isTrue();
        assertThat(s.stats().splitOffs()).as("no slow run yet").isZero();
        s.handoffSample(450);
        assertThat(s.splitting()).as("eight slow samples in a row").isFalse();
        assertThat(s.stats().splitOffs()).as("counted").isOne();
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean pairSpin = new AtomicBoolean(true);
        s.factory().newThread(() -> {
            pairSpin.set(s.canSpin(true));
            done.countDown();
        }).start();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(pairSpin.get()).as("a turn-taking wait while splitting is off").isFalse();
        // The off-period is measured on the coarse clock, which sysmon and Ps leaving the idle list stamp: stamp it
        // as they will once the period is over, instead of waiting 100 ms (retried: sysmon may stamp the present
        // in between).
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!s.splitting() && System.nanoTime() < deadline) {
            s.stampClock(System.nanoTime() + Scheduler.NO_SPLIT_NANOS);
        }
        assertThat(s.splitting()).as("back on after the off-period").isTrue();
    }

    private static List<Boolean> canSpinScenario(Scheduler s) throws InterruptedException {
        ThreadFactory f = s.factory();
        assertThat(s.canSpin(false)).as("platform thread").isTrue();
        AtomicBoolean otherRunning = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<Boolean> seen = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        Thread busy = f.newThread(() -> {
            otherRunning.set(true);
            while (!stop.get()) {
                Thread.onSpinWait();
            }
        });
        f.newThread(() -> {
            seen.add(s.canSpin(false)); // [0] alone: the other P is idle
            busy.start(); // a new goroutine: to our runnext, and an idle P is woken to steal it
            while (!otherRunning.get()) {
                Thread.onSpinWait();
            }
            seen.add(s.canSpin(false)); // [1] the other P runs `busy`, our queue is empty
            AtomicBoolean flag = new AtomicBoolean();
            Thread parked = f.newThread(() -> parkUntil(flag));
            parked.start();
            while (parked.getState() != Thread.State.WAITING) {
                Thread.yield();
            }
            flag.set(true);
            LockSupport.unpark(parked); // readied into our runnext
            seen.add(s.canSpin(true)); // [2] our runnext holds the goroutine we just readied, and no P is free to take it
            stop.set(true);
            done.countDown();
        }).start();
        assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
        return seen;
    }
}
