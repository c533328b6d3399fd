package go4j.jcstress;

import go4j.sync.Mutex;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** Mutex: two blocking lock/increment/unlock sections never lose an update (exclusion plus both edges). */
@JCStressTest
@Outcome(id = "2", expect = ACCEPTABLE, desc = "both increments visible")
@Outcome(id = "1", expect = FORBIDDEN, desc = "lost update: exclusion or visibility broken")
@State
public class MutexExclusion {
    final Mutex m = new Mutex();
    int x;

    @Actor
    public void a1() {
        m.lock();
        x++;
        m.unlock();
    }

    @Actor
    public void a2() {
        m.lock();
        x++;
        m.unlock();
    }

    @Arbiter
    public void arbiter(I_Result r) {
        r.r1 = x;
    }
}
