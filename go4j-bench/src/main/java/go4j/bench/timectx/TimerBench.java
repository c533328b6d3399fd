package go4j.bench.timectx;

import go4j.time.Time;
import go4j.time.Timer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * go4j.time against Go's time benchmarks (sleep_test.go). As Go's {@code benchmark} helper, the heaps are first
 * filled with 2 x 32,768 garbage AfterFunc(1h) timers, so operations work on deep heaps. Go reports each of its
 * benchmarks per 1000 operations; divide Go's ns/op by 1000 to compare.
 * <ul>
 *   <li>{@code TimerCreateStop}: {@code NewTimer(1s).Stop()} (Go's BenchmarkStop).</li>
 *   <li>{@code AfterFuncStartStop}: {@code AfterFunc(1h, f).Stop()} (Go's BenchmarkStartStop, one at a time).</li>
 *   <li>{@code TimerReset}: {@code t.Reset(1h)} on one timer (Go's BenchmarkReset).</li>
 *   <li>{@code After1ns}: {@code <-After(1)}: arm, service, hand-off to a blocked receiver (Go's BenchmarkAfter).</li>
 *   <li>{@code Sleep1ns}: {@code Sleep(1)} through the timer engine.</li>
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Benchmark)
public class TimerBench {
    private static final Duration HOUR = Duration.ofHours(1);
    private static final Duration SECOND = Duration.ofSeconds(1);
    private static final Duration NS = Duration.ofNanos(1);
    private static final Runnable NOOP = () -> {};

    private final List<Timer> garbage = new ArrayList<>();
    private Timer resetTimer;

    @Setup
    public void setup() {
        for (int i = 0; i < 2 * 32_768; i++) {
            garbage.add(Time.afterFunc(HOUR, NOOP));
        }
        resetTimer = Time.newTimer(HOUR);
    }

    @TearDown
    public void tearDown() {
        for (Timer t : garbage) {
            t.stop();
        }
        garbage.clear();
        resetTimer.stop();
    }

    @Benchmark
    public boolean TimerCreateStop() {
        return Time.newTimer(SECOND).stop();
    }

    @Benchmark
    @Threads(2)
    public boolean TimerCreateStopParallel() {
        return Time.newTimer(SECOND).stop();
    }

    @Benchmark
    public boolean AfterFuncStartStop() {
        return Time.afterFunc(HOUR, NOOP).stop();
    }

    @Benchmark
    public boolean TimerReset() {
        return resetTimer.reset(HOUR);
    }

    @Benchmark
    public Object After1ns() {
        return Time.after(NS).recv();
    }

    @Benchmark
    public void Sleep1ns() {
        Time.sleep(NS);
    }
}
