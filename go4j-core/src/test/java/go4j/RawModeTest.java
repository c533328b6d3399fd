package go4j;

import go4j.internal.G;
import go4j.internal.Sched;
import go4j.internal.WaitReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * What the raw-continuation mode (ADR 0004) changes and must keep: goroutines that cannot yield (a monitor held, a
 * JDK blocking call) park or block their carrier and the others keep running; the thread object that stands for a
 * goroutine. The parts that are not raw-specific run under every scheduler.
 */
@Timeout(60)
class RawModeTest {

    /** A goroutine that blocks on a channel while it holds a monitor (pinned) is still woken by the sender. */
    @Test
    void goroutineHoldingAMonitorBlocksAndIsWoken() {
        Object monitor = new Object();
        Go.run(() -> {
            Chan<Integer> c = Chan.make();
            Chan<Integer> out = Chan.make(1);
            Go.go(() -> {
                synchronized (monitor) {
                    out.send(c.recv() + 1);
                }
            });
            c.send(41);
            assertThat(out.recv()).isEqualTo(42);
        });
    }

    /**
     * Every P's goroutine blocks in a JDK call (in the raw mode each blocks its M); a goroutine started afterwards
     * still runs, because sysmon hands the Ps of blocked Ms to new Ms (Go's syscall hand-off).
     */
    @Test
    void goroutinesBlockedInTheJdkDoNotStopTheOthers() throws InterruptedException {
        int procs = Go.gomaxprocs(0);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch blocked = new CountDownLatch(procs);
        CountDownLatch ran = new CountDownLatch(1);
        for (int i = 0; i < procs; i++) {
            Go.go(() -> {
                blocked.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Sched.selfInterrupt();
                }
            });
        }
        blocked.await();
        Go.go(() -> {
            ran.countDown();
            release.countDown();
        });
        ran.await();
        release.await();
    }

    /** The raw mode's stand-in thread: never started, reports the parked goroutine, interrupting it wakes it. */
    @Test
    void standInThreadReportsAndInterruptsTheGoroutine() throws InterruptedException {
        assumeThat(Sched.RAW).as("raw mode only").isTrue();
        AtomicReference<G> g = new AtomicReference<>();
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Chan<Integer> never = Chan.make();
        Go.go(() -> {
            g.set(G.current());
            try {
                never.recv();
            } catch (Throwable t) {
                outcome.set(t);
            }
            done.countDown();
        });
        while (g.get() == null || g.get().waitReason() != WaitReason.CHAN_RECEIVE) {
            Thread.onSpinWait();
        }
        Thread t = g.get().thread();
        assertThat(t.isVirtual()).isFalse();
        // The wait reason is published just before the continuation yields: the stand-in reports WAITING once the
        // goroutine has really parked (a moment later), not necessarily at once.
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (t.getState() != Thread.State.WAITING && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(t.getState()).isEqualTo(Thread.State.WAITING);
        assertThat(t.getStackTrace()).anySatisfy(f -> assertThat(f.getClassName()).isEqualTo(Chan.class.getName()));
        assertThatThrownBy(t::start).isInstanceOf(IllegalThreadStateException.class);
        t.interrupt();
        done.await();
        assertThat(outcome.get()).isInstanceOf(GoInterruptedException.class);
        assertThat(t.getState()).isIn(Thread.State.RUNNABLE, Thread.State.TERMINATED);
    }
}
