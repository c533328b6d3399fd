package go4j.jcstress;

import go4j.sync.WaitGroup;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * WaitGroup: the done that brings the counter to zero happens before the await it releases returns; the waiter
 * parks on the WaitGroup's semaphore or returns on the fast path, depending on the interleaving. Two actors
 * (jcstress runs tests with more actors than CPUs not at all on a 2-core machine): the worker does both dones.
 */
@JCStressTest
@Outcome(id = "1, 2", expect = ACCEPTABLE, desc = "await saw both workers' writes")
@Outcome(id = {"0, 0", "0, 2", "1, 0"}, expect = FORBIDDEN, desc = "await returned without a worker's write")
@State
public class WaitGroupDoneAwait {
    final WaitGroup wg = new WaitGroup();
    int a;
    int b;

    public WaitGroupDoneAwait() {
        wg.add(2);
    }

    @Actor
    public void worker() {
        a = 1;
        wg.done();
        b = 2;
        wg.done();
    }

    @Actor
    public void waiter(II_Result r) {
        wg.await();
        r.r1 = a;
        r.r2 = b;
    }
}
