package go4j.bench.sync;

import go4j.sync.SyncMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * sync.Map benchmarks: SyncMapLoad (the shared anchor: 1024 keys, parallel loads of i & 1023), Go's
 * map_bench_test.go LoadMostlyHits (1023 hits : 1 miss) and LoadOrStoreBalanced (128 hit keys, every miss stores a
 * fresh key), against {@link ConcurrentHashMap}. Keys are boxed Integers from a pre-built table (no boxing in the
 * measured loop except LoadOrStoreBalanced's fresh keys, as Go's interface conversions).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
@Threads(2)
public class SyncMapBench {
    static final Integer[] KEYS = new Integer[2048];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = i;
        }
    }

    @State(Scope.Benchmark)
    public static class Load {
        final SyncMap<Integer, Integer> sm = new SyncMap<>();
        final ConcurrentHashMap<Integer, Integer> chm = new ConcurrentHashMap<>();

        @Setup
        public void setup() {
            for (int i = 0; i < 1024; i++) {
                sm.store(KEYS[i], KEYS[i]);
                chm.put(KEYS[i], KEYS[i]);
            }
            for (int i = 0; i < 1024; i++) {
                sm.load(KEYS[i]); // promote: Go's loads reach the read map after misses, too
            }
            sm.range((k, v) -> true);
        }
    }

    @State(Scope.Thread)
    public static class Counter {
        int i;
    }

    @Benchmark
    public Integer SyncMapLoad(Load s, Counter c) {
        return s.sm.load(KEYS[c.i++ & 1023]);
    }

    @Benchmark
    public Integer SyncMapLoad_ConcurrentHashMap(Load s, Counter c) {
        return s.chm.get(KEYS[c.i++ & 1023]);
    }

    /** Go's hits=1023, misses=1 setup: keys 0..1022 stored, loads of i % 1024 (1023 misses). */
    @State(Scope.Benchmark)
    public static class Hits {
        final SyncMap<Integer, Integer> sm = new SyncMap<>();
        final ConcurrentHashMap<Integer, Integer> chm = new ConcurrentHashMap<>();

        @Setup
        public void setup() {
            for (int i = 0; i < 1023; i++) {
                sm.store(KEYS[i], KEYS[i]);
                chm.put(KEYS[i], KEYS[i]);
            }
            sm.range((k, v) -> true); // Go's setup also ends with the read map promoted after warm-up loads
        }
    }

    /** Go's BenchmarkLoadMostlyHits. */
    @Benchmark
    public Integer LoadMostlyHits(Hits s, Counter c) {
        return s.sm.load(KEYS[c.i++ & 1023]);
    }

    @Benchmark
    public Integer LoadMostlyHits_ConcurrentHashMap(Hits s, Counter c) {
        return s.chm.get(KEYS[c.i++ & 1023]);
    }

    @State(Scope.Benchmark)
    public static class Balanced {
        final SyncMap<Integer, Integer> sm = new SyncMap<>();
        final ConcurrentHashMap<Integer, Integer> chm = new ConcurrentHashMap<>();

        @Setup
        public void setup() {
            for (int i = 0; i < 128; i++) {
                sm.store(KEYS[i], KEYS[i]);
                chm.put(KEYS[i], KEYS[i]);
            }
        }
    }

    @State(Scope.Thread)
    public static class Fresh {
        int i;
        /** Fresh keys per thread: thread-distinct ranges, as Go's per-goroutine i (starting past the hit keys). */
        int next = 1 << 20;

        @Setup
        public void setup() {
            next = (1 << 20) + (int) (Thread.currentThread().threadId() << 24);
        }
    }

    /** Go's BenchmarkLoadOrStoreBalanced: hits=128, misses=128; a miss stores a key never seen before. */
    @Benchmark
    public Integer LoadOrStoreBalanced(Balanced s, Fresh f) {
        int j = f.i++ & 255;
        if (j < 128) {
            return s.sm.loadOrStore(KEYS[j], KEYS[j]).value();
        }
        Integer k = f.next++;
        return s.sm.loadOrStore(k, k).value();
    }

    @Benchmark
    public Integer LoadOrStoreBalanced_ConcurrentHashMap(Balanced s, Fresh f) {
        int j = f.i++ & 255;
        if (j < 128) {
            return s.chm.putIfAbsent(KEYS[j], KEYS[j]);
        }
        Integer k = f.next++;
        return s.chm.putIfAbsent(k, k);
    }
}
