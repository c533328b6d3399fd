package go4j.jcstress;

import go4j.sync.Once;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** Once: f's writes happen before every run() returns, and f runs once (calls == 1). */
@JCStressTest
@Outcome(id = "12, 12, 1", expect = ACCEPTABLE, desc = "both callers see the initialised state; one call")
@Outcome(expect = FORBIDDEN, desc = "a caller saw partial state or f ran twice")
@State
public class OnceInit {
    final Once once = new Once();
    int x;
    int y;
    int calls;

    void init() {
        calls++;
        x = 1;
        y = 2;
    }

    @Actor
    public void a1(III_Result r) {
        once.run(this::init);
        r.r1 = x * 10 + y;
    }

    @Actor
    public void a2(III_Result r) {
        once.run(this::init);
        r.r2 = x * 10 + y;
        r.r3 = calls;
    }
}
