package go4j.bench.timectx;

import go4j.context.CancelContext;
import go4j.context.Context;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static go4j.Select.defaultCase;
import static go4j.Select.recv;
import static go4j.Select.select;

/**
 * go4j.context against Go's context benchmarks (Go numbers in docs/time-and-context.md):
 * {@code ContextCancel} is the anchor workload of /work/shared/anchors/go/bench_test.go; {@code CheckCanceled*}
 * and {@code DeepValue} are Go's {@code BenchmarkCheckCanceled} and {@code BenchmarkDeepValueSameGoRoutine}
 * (context/benchmark_test.go); {@code WithTimeoutCancel} creates and cancels a deadline context (timer create +
 * stop included).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Benchmark)
public class ContextBench {
    private CancelContext root;
    private CancelContext canceled;

    /** A chain of {@code depth} WithValue contexts (Go's DeepValue setup). */
    @State(Scope.Benchmark)
    public static class Deep {
        @Param({"10", "100"})
        public int depth;

        Context ctx;

        @Setup
        public void setup() {
            Context c = Context.background();
            for (int i = 0; i < depth; i++) {
                c = Context.withValue(c, i, i);
            }
            ctx = c;
        }
    }

    @Setup
    public void setup() {
        root = Context.withCancel(Context.background());
        canceled = Context.withCancel(Context.background());
        canceled.cancel();
    }

    @TearDown
    public void tearDown() {
        root.cancel();
    }

    /** Anchor ContextCancel: {@code _, cancel := context.WithCancel(root); cancel()}. */
    @Benchmark
    public void ContextCancel() {
        Context.withCancel(root).cancel();
    }

    /** Go's BenchmarkCheckCanceled/Err. */
    @Benchmark
    public Throwable CheckCanceledErr() {
        return canceled.err();
    }

    /** Go's BenchmarkCheckCanceled/Done: {@code select { case <-ctx.Done(): default: }}. */
    @Benchmark
    public int CheckCanceledDone() {
        return select(recv(canceled.done()), defaultCase());
    }

    /** Go's BenchmarkDeepValueSameGoRoutine/depth=N: a miss walks the whole chain. */
    @Benchmark
    public Object DeepValue(Deep deep) {
        return deep.ctx.value(-1);
    }

    /** WithTimeout + cancel: cancel context creation, timer arm and stop, child add and remove. */
    @Benchmark
    public void WithTimeoutCancel() {
        Context.withTimeout(root, Duration.ofHours(1)).cancel();
    }
}
