package go4j.internal.timer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How a heap's servicer treats a due timer whose lock is held. A P's heap is serviced by carrier-side threads (its
 * M, sysmon), which must never wait for a lock a goroutine may hold: a run of the test suite hung with an M
 * blocked on a timer's monitor while the JDK had handed that monitor to a virtual thread that needed a carrier.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TimerHeapServiceTest {

    private static final long FAR = 3_600_000_000_000L; // an hour: never due on its own during the test

    @Test
    void aCarrierSideServicerLeavesATimerWhoseLockIsBusyForItsNextRound() throws Exception {
        TimerHeap h = new TimerHeap(4242, when -> { });
        AtomicInteger runs = new AtomicInteger();
        RuntimeTimer t = RuntimeTimer.newInlineTimer(runs::incrementAndGet, h);
        t.reset(FAR, 0);
        assertThat(h.size()).isEqualTo(1);
        long later = RuntimeTimer.nanotime() + 2 * FAR;

        t.lock(); // as a goroutine in stop/reset or a channel receive would
        try {
            // From another thread, as an M would: it must come back at once, having run nothing.
            int ran = CompletableFuture.supplyAsync(() -> h.runDue(later)).get(10, TimeUnit.SECONDS);
            assertThat(ran).isZero();
            assertThat(runs).hasValue(0);
            assertThat(h.size()).as("the timer stays in the heap").isEqualTo(1);
            assertThat(h.first()).isLessThanOrEqualTo(later);
        } finally {
            t.unlock();
        }

        assertThat(h.runDue(later)).isEqualTo(1);
        assertThat(runs).hasValue(1);
        assertThat(h.size()).isZero();
        assertThat(t.isPending()).isFalse();
    }

    @Test
    void aServiceThreadHeapWaitsForTheTimersLockAndThenRunsIt() throws Exception {
        TimerHeap h = new TimerHeap(4243);
        AtomicInteger runs = new AtomicInteger();
        RuntimeTimer t = RuntimeTimer.newInlineTimer(runs::incrementAndGet, h);
        t.reset(FAR, 0);
        long later = RuntimeTimer.nanotime() + 2 * FAR;
        CompletableFuture<Integer> ran;
        t.lock();
        try {
            ran = CompletableFuture.supplyAsync(() -> h.runDue(later));
            // It waits for the lock (it is no carrier): nothing can have run while we hold it.
            assertThat(runs).hasValue(0);
        } finally {
            t.unlock();
        }
        assertThat(ran.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(runs).hasValue(1);
    }

    @Test
    void aStoppedTimerIsNotRunByAServicerThatPeekedIt() {
        TimerHeap h = new TimerHeap(4244, when -> { });
        AtomicInteger runs = new AtomicInteger();
        RuntimeTimer t = RuntimeTimer.newInlineTimer(runs::incrementAndGet, h);
        t.reset(FAR, 0);
        assertThat(t.stop()).isTrue();
        assertThat(h.runDue(RuntimeTimer.nanotime() + 2 * FAR)).isZero();
        assertThat(runs).hasValue(0);
        assertThat(h.size()).isZero();
    }
}
