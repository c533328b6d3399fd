package go4j.bench.sync;

import go4j.sync.Once;
import go4j.sync.WaitGroup;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.Phaser;
import java.util.concurrent.TimeUnit;

/**
 * Go's BenchmarkWaitGroupAddDone (RunParallel: Add(1); Done() on one shared WaitGroup) against a {@link Phaser}
 * (register / arriveAndDeregister; CountDownLatch cannot count up), and Go's BenchmarkOnce (RunParallel:
 * once.Do(f) after the first call) against a double-checked volatile flag.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
@Threads(2)
public class WaitGroupOnceBench {
    @State(Scope.Benchmark)
    public static class Shared {
        final WaitGroup wg = new WaitGroup();
        final Phaser phaser = new Phaser(1); // one party never arrives: the phaser never advances or terminates
        final Once once = new Once();
        volatile boolean dclDone;
        final Object dclLock = new Object();
        int sink;
    }

    @Benchmark
    public void WaitGroupAddDone(Shared s) {
        s.wg.add(1);
        s.wg.done();
    }

    @Benchmark
    public void WaitGroupAddDone_Phaser(Shared s) {
        s.phaser.register();
        s.phaser.arriveAndDeregister();
    }

    @Benchmark
    public void Once(Shared s) {
        s.once.run(() -> s.sink++);
    }

    @Benchmark
    public void Once_DoubleCheckedVolatile(Shared s) {
        if (!s.dclDone) {
            synchronized (s.dclLock) {
                if (!s.dclDone) {
                    s.sink++;
                    s.dclDone = true;
                }
            }
        }
    }
}
