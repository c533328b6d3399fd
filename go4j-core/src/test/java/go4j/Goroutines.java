package go4j;

import go4j.internal.G;
import go4j.internal.WaitReason;

import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Test helpers that replace Go tests' {@code time.Sleep} "let it block" idiom with an observation: a goroutine is
 * blocked when go4j shows it WAITING with a wait reason (set only after its spin phase, right before it parks).
 */
final class Goroutines {
    private Goroutines() {}

    /** {@code go f()}, returning the new goroutine's G once it has started. */
    static G spawn(Runnable f) {
        AtomicReference<G> ref = new AtomicReference<>();
        Go.go(() -> {
            ref.set(G.current());
            f.run();
        });
        G g;
        while ((g = ref.get()) == null) {
            Thread.yield();
        }
        return g;
    }

    /** Waits until g is parked in a go4j primitive; returns its wait reason. */
    static WaitReason awaitParked(G g) {
        while (true) {
            WaitReason r = g.waitReason();
            if (r != null) {
                return r;
            }
            assertThat(g.state()).as("%s exited instead of blocking", g).isNotEqualTo(G.DEAD);
            Thread.yield();
        }
    }

    /**
     * Asserts that g blocks with the given reason: it parks, and stays parked while others run for a while
     * (Go's select3 testBlock(always)).
     */
    static void assertBlocks(G g, WaitReason reason) {
        assertThat(awaitParked(g)).isEqualTo(reason);
        for (int i = 0; i < 200; i++) {
            Thread.yield();
        }
        assertThat(g.waitReason()).as("%s stays blocked", g).isEqualTo(reason);
    }

    /** Waits until the channel has a blocked receiver queued. */
    static void awaitRecvWaiter(Chan<?> c) {
        while (c.recvq.isEmptyAcquire()) {
            Thread.yield();
        }
    }

    /** Waits until the channel has a blocked sender queued. */
    static void awaitSendWaiter(Chan<?> c) {
        while (c.sendq.isEmptyAcquire()) {
            Thread.yield();
        }
    }
}
