package go4j.jcstress;

import go4j.sync.atomic.Int32;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** sync/atomic is sequentially consistent: store-then-load on two variables cannot miss both (Go's StoreLoadSeqCst). */
@JCStressTest
@Outcome(id = {"0, 1", "1, 0", "1, 1"}, expect = ACCEPTABLE, desc = "at least one side saw the other's store")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "both missed: not sequentially consistent")
@State
public class AtomicDekker {
    final Int32 a = new Int32();
    final Int32 b = new Int32();

    @Actor
    public void t1(II_Result r) {
        a.store(1);
        r.r1 = b.load();
    }

    @Actor
    public void t2(II_Result r) {
        b.store(1);
        r.r2 = a.load();
    }
}
