package go4j.jcstress;

import go4j.sync.Mutex;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Mutex: unlock happens before the next lock. The mutex starts locked; actor 1 writes plain data and unlocks;
 * actor 2 tries to lock: if it gets the lock it must see the data.
 */
@JCStressTest
@Outcome(id = "-1", expect = ACCEPTABLE, desc = "tryLock before the unlock")
@Outcome(id = "42", expect = ACCEPTABLE, desc = "locked after the unlock, saw the write")
@Outcome(id = "0", expect = FORBIDDEN, desc = "locked after the unlock but missed the write")
@State
public class MutexUnlockLock {
    final Mutex m = new Mutex();
    int x;

    public MutexUnlockLock() {
        m.lock();
    }

    @Actor
    public void writer() {
        x = 42;
        m.unlock();
    }

    @Actor
    public void reader(I_Result r) {
        if (m.tryLock()) {
            r.r1 = x;
        } else {
            r.r1 = -1;
        }
    }
}
