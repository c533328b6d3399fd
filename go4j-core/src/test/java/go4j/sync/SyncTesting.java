package go4j.sync;

import go4j.internal.G;
import go4j.internal.WaitReason;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/** Test helpers: polling waits (no sleeps) for goroutine states. */
final class SyncTesting {
    private SyncTesting() {}

    /** Polls until cond holds (the enclosing test's @Timeout bounds it). */
    static void awaitCondition(BooleanSupplier cond) {
        for (int i = 0; !cond.getAsBoolean(); i++) {
            if (i < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /** Polls until the goroutine published in ref is parked with the given wait reason. */
    static void awaitParked(AtomicReference<G> ref, WaitReason reason) {
        awaitCondition(() -> {
            G g = ref.get();
            return g != null && g.waitReason() == reason;
        });
    }

    /** Busy-waits for the given number of nanoseconds (simulated work, not synchronisation). */
    static void work(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
