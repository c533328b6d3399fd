package go4j.jcstress;

import go4j.sync.RWMutex;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** RWMutex: a reader sees either none or all of a writer's critical section, never half of it. */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "read before the write")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "read after the write")
@Outcome(id = {"1, 0", "0, 1"}, expect = FORBIDDEN, desc = "torn: read lock overlapped the write lock")
@State
public class RWMutexWriterReader {
    final RWMutex rw = new RWMutex();
    int x;
    int y;

    @Actor
    public void writer() {
        rw.lock();
        x = 1;
        y = 1;
        rw.unlock();
    }

    @Actor
    public void reader(II_Result r) {
        rw.rLock();
        r.r1 = y;
        r.r2 = x;
        rw.rUnlock();
    }
}
