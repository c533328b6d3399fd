package go4j.bench.sync;

import go4j.sync.RWMutex;
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

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Go's BenchmarkRWMutexWrite100 (sync/rwmutex_test.go, benchmarkRWMutex(b, 0, 100)): every thread read-locks,
 * and every 100th operation write-locks instead; against {@link ReentrantReadWriteLock}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
@Threads(2)
public class RWMutexBench {
    @State(Scope.Benchmark)
    public static class Shared {
        final RWMutex rw = new RWMutex();
        final ReentrantReadWriteLock rrw = new ReentrantReadWriteLock();
    }

    @State(Scope.Thread)
    public static class Local {
        int foo;
    }

    @Benchmark
    public int RWMutexWrite100(Shared s, Local l) {
        l.foo++;
        if (l.foo % 100 == 0) {
            s.rw.lock();
            s.rw.unlock();
        } else {
            s.rw.rLock();
            s.rw.rUnlock();
        }
        return l.foo;
    }

    @Benchmark
    public int RWMutexWrite100_ReentrantReadWriteLock(Shared s, Local l) {
        l.foo++;
        if (l.foo % 100 == 0) {
            s.rrw.writeLock().lock();
            s.rrw.writeLock().unlock();
        } else {
            s.rrw.readLock().lock();
            s.rrw.readLock().unlock();
        }
        return l.foo;
    }
}
