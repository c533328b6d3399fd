package go4j.internal.sync;

import go4j.Go;
import go4j.internal.G;
import go4j.internal.WaitReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Go's runtime semaphore semantics (runtime/sema.go): tokens, FIFO wake-up, hand-off. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SemaTest {

    static void awaitParked(AtomicReference<G> g, WaitReason r) {
        while (g.get() == null || g.get().waitReason() != r) {
            Thread.onSpinWait();
        }
    }

    @Test
    void tokensWithoutWaiters() {
        Sema s = new Sema(1);
        assertThat(s.tryAcquire()).isTrue();
        assertThat(s.tryAcquire()).isFalse();
        s.release(false);
        assertThat(s.tokens()).isEqualTo(1);
        s.acquire(WaitReason.SEMACQUIRE, false, 0); // a token is there: no park
        assertThat(s.tokens()).isZero();
    }

    /** A hand-off release takes the token for the woken waiter: nobody else can get it (starving mutex). */
    @Test
    void handoffReservesTheToken() throws InterruptedException {
        Sema s = new Sema();
        AtomicReference<G> g = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Go.go(() -> {
            g.set(G.current());
            s.acquire(WaitReason.SEMACQUIRE, false, 0);
            done.countDown();
        });
        awaitParked(g, WaitReason.SEMACQUIRE);
        assertThat(g.get().stateText()).isEqualTo("semacquire");
        s.release(true);
        assertThat(s.tokens()).as("the token went to the queued waiter").isZero();
        assertThat(s.tryAcquire()).isFalse();
        done.await();
        assertThat(s.waiters()).isZero();
    }

    /** Waiters are woken in FIFO order; a LIFO acquirer jumps the queue. */
    @Test
    void fifoAndLifoOrder() throws InterruptedException {
        Sema s = new Sema();
        int n = 4;
        go4j.Chan<Integer> order = go4j.Chan.make(n + 1);
        for (int i = 0; i < n; i++) {
            int id = i;
            AtomicReference<G> g = new AtomicReference<>();
            Go.go(() -> {
                g.set(G.current());
                s.acquire(WaitReason.SEMACQUIRE, false, 0);
                order.send(id);
            });
            awaitParked(g, WaitReason.SEMACQUIRE);
        }
        AtomicReference<G> front = new AtomicReference<>();
        Go.go(() -> {
            front.set(G.current());
            s.acquire(WaitReason.SEMACQUIRE, true, 0);
            order.send(-1);
        });
        awaitParked(front, WaitReason.SEMACQUIRE);
        for (int i = 0; i <= n; i++) {
            s.release(true); // hand-off: exactly the queue head gets each token
            assertThat(order.recv()).isEqualTo(i == 0 ? -1 : i - 1);
        }
    }
}
