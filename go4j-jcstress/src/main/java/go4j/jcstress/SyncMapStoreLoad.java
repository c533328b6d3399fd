package go4j.jcstress;

import go4j.sync.SyncMap;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.I_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** SyncMap: a store happens before a load that observes it (the stored object's plain fields are visible). */
@JCStressTest
@Outcome(id = "-1", expect = ACCEPTABLE, desc = "not stored yet")
@Outcome(id = "42", expect = ACCEPTABLE, desc = "stored and fully visible")
@Outcome(id = "0", expect = FORBIDDEN, desc = "saw the object without its contents")
@State
public class SyncMapStoreLoad {
    static final class Box {
        int v;
    }

    final SyncMap<String, Box> m = new SyncMap<>();

    public SyncMapStoreLoad() {
        m.store("other", new Box()); // so that the tested key goes through the dirty map and misses
    }

    @Actor
    public void writer() {
        Box b = new Box();
        b.v = 42;
        m.store("k", b);
    }

    @Actor
    public void reader(I_Result r) {
        Box b = m.load("k");
        r.r1 = b == null ? -1 : b.v;
    }
}
