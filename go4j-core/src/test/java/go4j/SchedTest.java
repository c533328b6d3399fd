package go4j;

import go4j.internal.Sched;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The scheduler goroutines run on, as chosen by {@code -Dgo4j.scheduler} (the build runs the suite with
 * {@code auto}; {@code -Dgo4j.scheduler=jdk} or {@code gmp} selects one), {@code Go.gomaxprocs},
 * {@code Go.schedStats}, and a 100,000-goroutine stress run.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SchedTest {

    @Test
    void theRequestedSchedulerIsInUse() {
        String mode = System.getProperty("go4j.scheduler", "auto");
        boolean opens = go4j.internal.sched.Scheduler.unavailable() == null;
        boolean raw = go4j.internal.sched.Coroutine.unavailable() == null;
        String expected = mode.equals("jdk") || !opens ? "jdk" : mode.equals("raw") && raw ? "raw" : "gmp";
        assertThat(Go.runtimeInfo()).startsWith("go4j scheduler: " + expected);
        assertThat(Sched.isGmp()).isEqualTo(!expected.equals("jdk"));
        assertThat(Sched.RAW).isEqualTo(expected.equals("raw"));
        assertThat(Go.schedStats().scheduler()).isEqualTo(expected);
    }

    @Test
    void gomaxprocsQueriesAndSets() {
        int initial = Go.gomaxprocs(0);
        assertThat(initial).isPositive();
        try {
            assertThat(Go.gomaxprocs(initial + 1)).isEqualTo(initial);
            assertThat(Go.gomaxprocs(0)).isEqualTo(initial + 1);
            assertThat(Go.schedStats().gomaxprocs()).isEqualTo(initial + 1);
            if (Sched.isGmp()) {
                assertThat(Go.schedStats().localRunqueues()).hasSize(initial + 1);
            }
            // goroutines keep running while Ps come and go
            Go.run(() -> {
                Chan<Integer> c = Chan.make();
                Go.go(() -> {
                    for (int i = 0; i < 1000; i++) {
                        c.send(i);
                        if (i == 500) {
                            Go.gomaxprocs(1);
                        }
                    }
                    c.close();
                });
                int sum = 0;
                for (int v : c) {
                    sum += v;
                }
                assertThat(sum).isEqualTo(999 * 1000 / 2);
            });
        } finally {
            Go.gomaxprocs(initial);
        }
        assertThat(Go.gomaxprocs(0)).isEqualTo(initial);
    }

    @Test
    void schedStatsPrintsGosSchedtraceLine() {
        SchedStats s = Go.schedStats();
        assertThat(s.toString()).startsWith("SCHED " + s.scheduler() + ": gomaxprocs=" + s.gomaxprocs()
                + " idleprocs=").contains(" runqueue=").contains(" steals=").contains(" handoffs=")
                .endsWith(" splitoffs=" + s.splitOffs());
        assertThat(s.localRunqueues()).allSatisfy(n -> assertThat(n).isNotNegative());
    }

    @Test
    void hundredThousandGoroutines() {
        // Each goroutine receives a token from its predecessor's channel, adds to a sum and sends on: a 100,000
        // long hand-off chain plus 100,000 goroutines alive at once, blocked in channel receives.
        int n = 100_000;
        AtomicLong sum = new AtomicLong();
        Go.run(() -> {
            Chan<Integer> first = Chan.make();
            Chan<Integer> in = first;
            for (int i = 0; i < n; i++) {
                Chan<Integer> src = in;
                Chan<Integer> dst = Chan.make(1);
                int k = i;
                Go.go(() -> {
                    int v = src.recv();
                    sum.addAndGet(k);
                    dst.send(v + 1);
                });
                in = dst;
            }
            assertThat(Go.numGoroutine()).isGreaterThanOrEqualTo(n);
            first.send(0);
            assertThat(in.recv()).isEqualTo(n);
        });
        assertThat(sum.get()).isEqualTo((long) n * (n - 1) / 2);
    }

    @Test
    void hundredThousandIndependentGoroutinesAllRun() {
        int n = 100_000;
        Go.run(() -> {
            Chan<Integer> done = Chan.make(64);
            for (int i = 0; i < n; i++) {
                int k = i;
                Go.go(() -> done.send(k & 1));
            }
            int ones = 0;
            for (int i = 0; i < n; i++) {
                ones += done.recv();
            }
            assertThat(ones).isEqualTo(n / 2);
        });
    }

    @Test
    void pingPongPairsKeepEveryWakeUpWhileGomaxprocsChangesFromAGoroutine() {
        // Goroutines about to park on a channel wake idle Ps (pair splitting) while Ms park and unpark and a
        // goroutine resizes GOMAXPROCS: the idle lists' lock is taken from goroutines, carriers and sysmon at once.
        // A wake-up lost there leaves a goroutine runnable with no M to run it (a hang, caught by the timeout).
        int initial = Go.gomaxprocs(0);
        try {
            Go.run(() -> {
                int pairs = 4;
                int rounds = 20_000;
                Chan<Long> sums = Chan.make(pairs);
                Chan<Object> stop = Chan.make();
                Go.go(() -> {
                    for (int i = 0; ; i++) {
                        Go.gomaxprocs(1 + i % 3);
                        if (Select.select(Select.recv(stop), Select.defaultCase()) == 0) {
                            return;
                        }
                        Go.gosched();
                    }
                });
                for (int p = 0; p < pairs; p++) {
                    Go.go(() -> {
                        Chan<Integer> ping = Chan.make(), pong = Chan.make();
                        Go.go(() -> {
                            for (Integer v : ping) {
                                pong.send(v + 1);
                            }
                        });
                        long sum = 0;
                        for (int i = 0; i < rounds; i++) {
                            ping.send(i);
                            sum += pong.recv();
                        }
                        ping.close();
                        sums.send(sum);
                    });
                }
                long want = (long) rounds * (rounds + 1) / 2;
                for (int p = 0; p < pairs; p++) {
                    assertThat(sums.recv()).isEqualTo(want);
                }
                stop.close();
            });
        } finally {
            Go.gomaxprocs(initial);
        }
    }

    @Test
    void aPingPongPairSplitsOverTwoCarriers() {
        // go4j's pair splitting (Scheduler.canSpin, ADR 0003): with a second P idle, the two goroutines of a
        // ping-pong end up on two carriers and hand values over while spinning, instead of taking turns on one
        // carrier through runnext (Go's placement, and go4j's before). Many round trips then see the partner on
        // another carrier (most, once warm); with runnext placement alone almost none do.
        assumeTrue(Sched.isGmp() && Go.gomaxprocs(0) >= 2 && Runtime.getRuntime().availableProcessors() >= 2,
                "needs go4j's scheduler and two processors");
        int rounds = 200_000;
        double best = 0;
        int counted = 0;
        long offsBefore = Go.schedStats().splitOffs(); // at the start of the previous attempt
        for (int attempt = 0; attempt < 10 && best < 0.1; attempt++) {
            long offsNow = Go.schedStats().splitOffs();
            long[] apart = new long[1];
            Go.run(() -> {
                Chan<Thread> ping = Chan.make(), pong = Chan.make();
                Go.go(() -> {
                    for (Thread t : ping) {
                        pong.send(go4j.internal.sched.Scheduler.currentCarrier());
                    }
                });
                for (int i = 0; i < rounds; i++) {
                    ping.send(go4j.internal.sched.Scheduler.currentCarrier());
                    Thread theirs = pong.recv();
                    if (theirs != go4j.internal.sched.Scheduler.currentCarrier()) {
                        apart[0]++;
                    }
                }
                ping.close();
            });
            boolean fair = Go.schedStats().splitOffs() == offsBefore;
            offsBefore = offsNow;
            if (!fair) {
                // The governor judged hand-offs between carriers slow during this attempt or the one before (its
                // sampled wake latencies, e.g. of not yet compiled code in a fresh JVM, or a slow phase of the
                // host) and turned splitting off for 100 ms: the pair took turns on one P by design.
                continue;
            }
            counted++;
            best = Math.max(best, apart[0] / (double) rounds);
        }
        assumeTrue(counted > 0, "the governor turned pair splitting off in every attempt (slow cross-core hand-offs)");
        // Measured on 2 cores: 0.2-0.99 split, below 0.001 with runnext placement alone.
        assertThat(best).as("share of round trips with the partner on another carrier").isGreaterThan(0.1);
    }
}
