package go4j.jcstress;

import go4j.sync.atomic.Int32;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** sync/atomic: a store happens before a load that observes it (message passing over plain data). */
@JCStressTest
@Outcome(id = "0, 0", expect = ACCEPTABLE, desc = "flag not seen yet")
@Outcome(id = "0, 42", expect = ACCEPTABLE, desc = "flag not seen, data seen early")
@Outcome(id = "1, 42", expect = ACCEPTABLE, desc = "flag and data seen")
@Outcome(id = "1, 0", expect = FORBIDDEN, desc = "flag seen without the data written before it")
@State
public class AtomicStoreLoad {
    final Int32 flag = new Int32();
    int data;

    @Actor
    public void writer() {
        data = 42;
        flag.store(1);
    }

    @Actor
    public void reader(II_Result r) {
        r.r1 = flag.load();
        r.r2 = data;
    }
}
