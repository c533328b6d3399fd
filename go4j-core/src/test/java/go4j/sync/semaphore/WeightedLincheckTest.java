package go4j.sync.semaphore;

import go4j.Panic;
import go4j.context.Context;
import org.jetbrains.lincheck.datastructures.LongGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Linearizability of Weighted's non-blocking operations — the lock-free fast paths on the packed state word:
 * tryAcquire, an acquire that must not block (it is only called when it fits or fails at once), and release
 * (including the "released more than held" panic, which leaves the state unchanged). Sequential spec: the
 * semaphore itself, run one operation at a time. Model checking only (it explores the interleavings of the CASes;
 * it fails on a non-atomic tryAcquire); real-hardware stress is WeightedTest's cancellation stress.
 */
@Param(name = "n", gen = LongGen.class, conf = "1:3")
public class WeightedLincheckTest {
    private final Weighted sem = new Weighted(3);

    @Operation
    public boolean tryAcquire(@Param(name = "n") long n) {
        return sem.tryAcquire(n);
    }

    /** release(n), or "panic" if more than held is released. */
    @Operation
    public String release(@Param(name = "n") long n) {
        try {
            sem.release(n);
            return "ok";
        } catch (Panic p) {
            return String.valueOf(p.value());
        }
    }

    @Operation
    public long held() {
        return sem.held();
    }

    /** An acquire with an already-cancelled context: fails at once, whatever the state (x/sync v0.16). */
    @Operation
    public boolean acquireDone(@Param(name = "n") long n) {
        return sem.acquire(DONE, n) == null;
    }

    private static final Context DONE;

    static {
        var c = Context.withCancel(Context.background());
        c.cancel();
        DONE = c;
    }

    @Test
    @Timeout(120)
    public void modelChecking() {
        new ModelCheckingOptions().iterations(5).invocationsPerIteration(300).check(WeightedLincheckTest.class);
    }
}
