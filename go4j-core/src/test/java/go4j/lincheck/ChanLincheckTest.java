package go4j.lincheck;

import go4j.Chan;
import go4j.Received;
import go4j.RuntimeError;
import go4j.Select;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Linearizability of {@link Chan}'s non-blocking operations ({@code trySend}, {@code tryRecv}, {@code close},
 * {@code len}, and a send and a receive as a three-case select with a default, which goes through the general
 * select with its lock-free first pass) on capacities 0, 1 and 2, against a sequential model of a Go channel
 * ({@link Model}), in Lincheck's stress and model-checking modes.
 *
 * <p>Limitation: Lincheck's Java API cannot express blocking operations (only Kotlin {@code suspend} functions can
 * be suspendable operations), so the blocking {@code send}/{@code recv} are not in the scenarios; they are covered
 * by the conformance tests in {@code go4j} (GoRuntimeChanTest, GoTestChanTest, ChanInterruptTest). With only
 * non-blocking operations an unbuffered channel can never hand a value over, so for capacity 0 the test checks
 * the closed-state transitions and the lock-free fast paths' "would block" answers against close.
 *
 * <p>Options are bounded (see /work/shared/JVM-FACTS.md: default options take minutes on 2 cores).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
public class ChanLincheckTest {
    public ChanLincheckTest() {}

    @Test
    public void cap0ModelChecking() {
        modelCheck(Cap0.class, Model0.class);
    }

    @Test
    public void cap1ModelChecking() {
        modelCheck(Cap1.class, Model1.class);
    }

    @Test
    public void cap2ModelChecking() {
        modelCheck(Cap2.class, Model2.class);
    }

    @Test
    public void cap0Stress() {
        stress(Cap0.class, Model0.class);
    }

    @Test
    public void cap1Stress() {
        stress(Cap1.class, Model1.class);
    }

    @Test
    public void cap2Stress() {
        stress(Cap2.class, Model2.class);
    }

    /** The operations under test, on a channel of the subclass's capacity. */
    @Param(name = "v", gen = IntGen.class, conf = "1:3")
    public abstract static class ChanOps {
    private final Chan<Integer> c;
    /** Never ready: nothing ever sends or receives on it outside the selects. */
    private final Chan<Integer> dead = Chan.make();

    protected ChanOps(int cap) {
        c = Chan.make(cap);
    }

    @Operation
    public String trySend(@Param(name = "v") int v) {
        try {
            return c.trySend(v) ? "sent" : "would block";
        } catch (RuntimeError e) {
            return "panic: " + e.getMessage();
        }
    }

    @Operation
    public String tryRecv() {
        return describe(c.tryRecv());
    }

    @Operation
    public String close() {
        try {
            c.close();
            return "closed";
        } catch (RuntimeError e) {
            return "panic: " + e.getMessage();
        }
    }

    @Operation
    public int len() {
        return c.len();
    }

    /** {@code select { case c <- v: ; case <-dead: ; default: }}: a non-blocking send through the general select. */
    @Operation
    public String selectSend(@Param(name = "v") int v) {
        try {
            int i = Select.select(Select.send(c, v), Select.recv(dead), Select.defaultCase());
            return i == 0 ? "sent" : "would block";
        } catch (RuntimeError e) {
            return "panic: " + e.getMessage();
        }
    }

    /** {@code select { case v, ok := <-c: ; case <-dead: ; default: }}: a non-blocking receive, likewise. */
    @Operation
    public String selectRecv() {
        String[] got = {"would block"};
        Select.select(Select.recvOk(c, (v, ok) -> got[0] = ok ? "recv " + v : "recv closed"), Select.recv(dead),
                Select.defaultCase());
        return got[0];
    }

    static String describe(Received<Integer> r) {
        if (r == null) {
            return "would block";
        }
        return r.ok() ? "recv " + r.value() : "recv closed";
    }
    }

    public static final class Cap0 extends ChanOps {
        public Cap0() {
            super(0);
        }
    }

    public static final class Cap1 extends ChanOps {
        public Cap1() {
            super(1);
        }
    }

    public static final class Cap2 extends ChanOps {
        public Cap2() {
            super(2);
        }
    }

    /**
     * A sequential Go channel restricted to non-blocking operations: a FIFO buffer of {@code cap} slots and a
     * closed flag. (With no blocked goroutines, an unbuffered channel never completes a send or a receive.)
     */
    public abstract static class Model {
        private final int cap;
        private final ArrayDeque<Integer> buf = new ArrayDeque<>();
        private boolean closed;

        protected Model(int cap) {
            this.cap = cap;
        }

        public String trySend(int v) {
            if (closed) {
                return "panic: send on closed channel";
            }
            if (buf.size() == cap) {
                return "would block";
            }
            buf.addLast(v);
            return "sent";
        }

        public String tryRecv() {
            if (!buf.isEmpty()) {
                return "recv " + buf.removeFirst();
            }
            return closed ? "recv closed" : "would block";
        }

        public String close() {
            if (closed) {
                return "panic: close of closed channel";
            }
            closed = true;
            return "closed";
        }

        public int len() {
            return buf.size();
        }

        public String selectSend(int v) {
            return trySend(v);
        }

        public String selectRecv() {
            return tryRecv();
        }
    }

    public static final class Model0 extends Model {
        public Model0() {
            super(0);
        }
    }

    public static final class Model1 extends Model {
        public Model1() {
            super(1);
        }
    }

    public static final class Model2 extends Model {
        public Model2() {
            super(2);
        }
    }

    static void modelCheck(Class<?> test, Class<?> spec) {
        new ModelCheckingOptions()
                .iterations(8)
                .invocationsPerIteration(400)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(spec)
                .check(test);
    }

    static void stress(Class<?> test, Class<?> spec) {
        new StressOptions()
                .iterations(10)
                .invocationsPerIteration(1000)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(1)
                .actorsAfter(1)
                .sequentialSpecification(spec)
                .check(test);
    }
}
