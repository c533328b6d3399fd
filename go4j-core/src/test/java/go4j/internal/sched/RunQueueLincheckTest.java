package go4j.internal.sched;

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Linearizability of a P's run queue consumers (Go's runqget/runqgrab/runqsteal): the owner gets (runnext first,
 * then the ring) while a thief P steals half the ring, or runnext once the ring is empty, into its own ring. The
 * sequential specification is the queue itself run sequentially.
 *
 * <p>Producers are left out on purpose: as in Go, a steal racing with the owner's put can fail spuriously (it saw
 * the ring empty, then runnext emptied by a get that followed a put), and a thief can take a new runnext while the
 * displaced occupant is between runnext and the ring. Neither loses or duplicates a task, but no sequential order
 * explains them. {@link RunQueueTest} covers producers against thieves (every task taken exactly once) and the
 * owner's put/get order.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public class RunQueueLincheckTest {
    private final P owner = new P(0);
    private final P thief = new P(1);
    private final RunQueueTest.Global global = new RunQueueTest.Global();

    /** Five tasks in the ring, one in runnext. */
    public RunQueueLincheckTest() {
        for (int i = 1; i <= 5; i++) {
            owner.put(new RunQueueTest.T(i), false, global);
        }
        owner.put(new RunQueueTest.T(6), true, global);
    }

    @Operation(nonParallelGroup = "owner")
    public int get() {
        Runnable r = owner.get();
        return r == null ? -1 : ((RunQueueTest.T) r).id();
    }

    /** Steals into the thief's ring and returns everything stolen (the thief's queue drained, then the returned one). */
    @Operation(nonParallelGroup = "thief")
    public List<Integer> steal() {
        List<Integer> out = new ArrayList<>();
        Runnable first = thief.steal(owner, true);
        if (first == null) {
            return out;
        }
        Runnable r;
        while ((r = thief.get()) != null) {
            out.add(((RunQueueTest.T) r).id());
        }
        out.add(((RunQueueTest.T) first).id());
        return out;
    }

    @Operation(nonParallelGroup = "thief")
    public boolean isEmpty() {
        return owner.isEmpty();
    }

    @Test
    void modelChecking() {
        new ModelCheckingOptions()
                .iterations(6)
                .invocationsPerIteration(300)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .check(getClass());
    }

    @Test
    void stress() {
        new StressOptions()
                .iterations(5)
                .invocationsPerIteration(1000)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .check(getClass());
    }
}
