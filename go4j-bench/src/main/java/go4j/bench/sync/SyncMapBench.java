package go4j.bench.sync;

import go4j.internal.sync.HashTrieMap;
import go4j.internal.sync.ReadDirtyMap;
import go4j.internal.sync.SyncMapImpl;
import go4j.sync.SyncMap;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * sync.Map benchmarks: the shared anchor SyncMapLoad (1024 keys, parallel loads of {@code i & 1023}) and Go's
 * {@code sync/map_bench_test.go}, each over the three maps a go4j user can pick: {@code impl=hashtrie} (Go 1.24's
 * design, {@code -Dgo4j.syncmap=hashtrie}), {@code impl=readdirty} (SyncMap's default: the read/dirty design of Go
 * up to 1.23, and of the Go 1.19 installed here) and {@code impl=chm} ({@link ConcurrentHashMap}, Go's operations mapped to {@code get},
 * {@code putIfAbsent}, {@code remove}, {@code put}, {@code replace}, {@code forEach}).
 *
 * <p>How Go's harness is reproduced. Go's {@code benchMap} builds a fresh map and runs {@code setup} for every
 * {@code b.N} run, then {@code b.RunParallel} with GOMAXPROCS goroutines (2 here, as {@code @Threads(2)}); goroutine
 * {@code id} counts {@code i} from {@code id*b.N} upward, so the "unique" keys of different goroutines never meet,
 * and the map grows only by what one ~1 s run stores. Here the map state is rebuilt (with Go's setup) before every
 * JMH iteration ({@link Level#Iteration}), and each thread's {@code i} restarts at {@code threadIndex << 40}
 * (disjoint per thread, like {@code id*b.N}) — so LoadOrStoreBalanced, for example, sees Go's exact key
 * distribution: {@code j = i % 256}; {@code j < 128} is LoadOrStore of the hit key {@code j} (must load), else
 * LoadOrStore of the never-seen key {@code i} (must store), and the map grows by half the operations of one
 * iteration, not of the whole run. Keys are {@link Long}s: hit keys come from a pre-boxed table (Go's small-int
 * interface conversions do not allocate), unique keys are boxed fresh (Go allocates those too).
 *
 * <p>The anchor rows keep Go's names: {@code SyncMapLoad} is {@code new SyncMap<>()} (the default design,
 * read/dirty), with {@code _HashTrie} and {@code _ConcurrentHashMap} beside it. The parameterised rows appear under "other
 * benchmarks" in bench/README.md, one per {@code impl}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-opens", "java.base/java.lang=ALL-UNNAMED"})
@Threads(2)
public class SyncMapBench {
    static final Long[] KEYS = new Long[2048];

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEYS[i] = (long) i;
        }
    }

    /** Go's mapInterface, over the three maps. */
    interface Ops {
        Object load(Long k);

        /** Go's {@code loaded} result. */
        boolean loadOrStore(Long k, Long v);

        Object loadAndDelete(Long k);

        void delete(Long k);

        void store(Long k, Long v);

        Object swap(Long k, Long v);

        boolean compareAndSwap(Long k, Long old, Long neu);

        /** Range over everything (Go's BenchmarkRange callback returns true). */
        void rangeAll();

        /** Range that stops at the first key and returns it (BenchmarkAdversarialDelete). */
        Object firstKey();
    }

    /** A SyncMap mechanism (hash-trie or read/dirty), called as SyncMap calls it. */
    static final class SyncMapOps implements Ops {
        final SyncMapImpl<Long, Long> m;

        SyncMapOps(SyncMapImpl<Long, Long> m) {
            this.m = m;
        }

        @Override
        public Object load(Long k) {
            return m.load(k);
        }

        @Override
        public boolean loadOrStore(Long k, Long v) {
            return m.loadOrStore(k, v).loaded();
        }

        @Override
        public Object loadAndDelete(Long k) {
            return m.loadAndDelete(k).value();
        }

        @Override
        public void delete(Long k) {
            m.delete(k);
        }

        @Override
        public void store(Long k, Long v) {
            m.store(k, v);
        }

        @Override
        public Object swap(Long k, Long v) {
            return m.swap(k, v).value();
        }

        @Override
        public boolean compareAndSwap(Long k, Long old, Long neu) {
            return m.compareAndSwap(k, old, neu);
        }

        @Override
        public void rangeAll() {
            m.range((k, v) -> true);
        }

        @Override
        public Object firstKey() {
            Object[] key = {null};
            m.range((k, v) -> {
                key[0] = k;
                return false;
            });
            return key[0];
        }
    }

    static final class ChmOps implements Ops {
        final ConcurrentHashMap<Long, Long> m = new ConcurrentHashMap<>();

        @Override
        public Object load(Long k) {
            return m.get(k);
        }

        @Override
        public boolean loadOrStore(Long k, Long v) {
            return m.putIfAbsent(k, v) != null;
        }

        @Override
        public Object loadAndDelete(Long k) {
            return m.remove(k);
        }

        @Override
        public void delete(Long k) {
            m.remove(k);
        }

        @Override
        public void store(Long k, Long v) {
            m.put(k, v);
        }

        @Override
        public Object swap(Long k, Long v) {
            return m.put(k, v);
        }

        @Override
        public boolean compareAndSwap(Long k, Long old, Long neu) {
            return m.replace(k, old, neu);
        }

        @Override
        public void rangeAll() {
            m.forEach((k, v) -> {});
        }

        @Override
        public Object firstKey() {
            Iterator<Long> it = m.keySet().iterator();
            return it.hasNext() ? it.next() : null;
        }
    }

    static Ops newOps(String impl) {
        return switch (impl) {
            case "hashtrie" -> new SyncMapOps(new HashTrieMap<>());
            case "readdirty" -> new SyncMapOps(new ReadDirtyMap<>());
            case "chm" -> new ChmOps();
            default -> throw new IllegalArgumentException("impl=" + impl);
        };
    }

    /** Each thread's {@code i}: Go's per-goroutine counter starting at {@code id*b.N}. */
    @State(Scope.Thread)
    public static class Counter {
        long i;

        @Setup(Level.Iteration)
        public void setup(ThreadParams tp) {
            i = (long) tp.getThreadIndex() << 40;
        }
    }

    static Long key(long i) {
        return i < KEYS.length ? KEYS[(int) i] : Long.valueOf(i);
    }

    // ------------------------------------------------------------------------------------------ anchor

    @State(Scope.Benchmark)
    public static class Anchor {
        final SyncMap<Long, Long> sm = new SyncMap<>();
        final HashTrieMap<Long, Long> ht = new HashTrieMap<>();
        final ConcurrentHashMap<Long, Long> chm = new ConcurrentHashMap<>();

        @Setup
        public void setup() {
            for (int i = 0; i < 1024; i++) {
                sm.store(KEYS[i], KEYS[i]);
                ht.store(KEYS[i], KEYS[i]);
                chm.put(KEYS[i], KEYS[i]);
            }
            for (int i = 0; i < 2048; i++) { // Go's loads reach the read map after misses, too
                sm.load(KEYS[i & 1023]);
                ht.load(KEYS[i & 1023]);
            }
        }
    }

    /** The anchor: {@code new SyncMap<>()}, i.e. the default design (read/dirty). */
    @Benchmark
    public Long SyncMapLoad(Anchor s, Counter c) {
        return s.sm.load(KEYS[(int) (c.i++ & 1023)]);
    }

    @Benchmark
    public Long SyncMapLoad_HashTrie(Anchor s, Counter c) {
        return s.ht.load(KEYS[(int) (c.i++ & 1023)]);
    }

    @Benchmark
    public Long SyncMapLoad_ConcurrentHashMap(Anchor s, Counter c) {
        return s.chm.get(KEYS[(int) (c.i++ & 1023)]);
    }

    // ------------------------------------------------------------------------------------------ Go's map_bench_test

    /** One fresh map per iteration, filled by the benchmark's setup (Go's benchMap). */
    @State(Scope.Benchmark)
    public abstract static class Fresh {
        @Param({"hashtrie", "readdirty", "chm"})
        public String impl;

        Ops m;

        @Setup(Level.Iteration)
        public void fresh() {
            m = newOps(impl);
            setup(m);
        }

        abstract void setup(Ops m);

        /** Go's setup of the Load* and LoadOrStoreBalanced benchmarks: store hits keys, then prime with loads. */
        static void prime(Ops m, int hits) {
            for (int i = 0; i < hits; i++) {
                m.loadOrStore(KEYS[i], KEYS[i]);
            }
            for (int i = 0; i < hits * 2; i++) {
                m.load(KEYS[i % hits]);
            }
        }
    }

    public static class Hits1023 extends Fresh {
        @Override
        void setup(Ops m) {
            prime(m, 1023);
        }
    }

    public static class Hits1 extends Fresh {
        @Override
        void setup(Ops m) {
            prime(m, 1);
        }
    }

    public static class Hits128 extends Fresh {
        @Override
        void setup(Ops m) {
            prime(m, 128);
        }
    }

    public static class Empty extends Fresh {
        @Override
        void setup(Ops m) {}
    }

    /** Key 0 stored (the *Collision benchmarks). */
    public static class Zero extends Fresh {
        @Override
        void setup(Ops m) {
            m.loadOrStore(KEYS[0], KEYS[0]);
        }
    }

    /** 1024 keys stored (Range, AdversarialDelete). */
    public static class Size1024 extends Fresh {
        @Override
        void setup(Ops m) {
            for (int i = 0; i < 1024; i++) {
                m.store(KEYS[i], KEYS[i]);
            }
        }
    }

    /** Go's BenchmarkLoadMostlyHits: hits=1023, misses=1; Load(i % 1024). */
    @Benchmark
    public Object LoadMostlyHits(Hits1023 s, Counter c) {
        return s.m.load(KEYS[(int) (c.i++ & 1023)]);
    }

    /** Go's BenchmarkLoadMostlyMisses: hits=1, misses=1023; Load(i % 1024). */
    @Benchmark
    public Object LoadMostlyMisses(Hits1 s, Counter c) {
        return s.m.load(KEYS[(int) (c.i++ & 1023)]);
    }

    /**
     * Go's BenchmarkLoadOrStoreBalanced: hits=128, misses=128; {@code j = i % 256}: {@code j < 128} loads hit key j
     * (value i), else stores the fresh key i. Go's b.Fatalf checks become exceptions.
     */
    @Benchmark
    public boolean LoadOrStoreBalanced(Hits128 s, Counter c) {
        long i = c.i++;
        int j = (int) (i & 255);
        if (j < 128) {
            if (!s.m.loadOrStore(KEYS[j], i)) {
                throw new AssertionError("unexpected miss for " + j);
            }
            return true;
        }
        if (s.m.loadOrStore(i, i)) {
            throw new AssertionError("failed to store " + i);
        }
        return false;
    }

    /** Go's BenchmarkLoadOrStoreUnique: LoadOrStore(i, i) of fresh keys into an initially empty map. */
    @Benchmark
    public boolean LoadOrStoreUnique(Empty s, Counter c) {
        long i = c.i++;
        Long k = key(i);
        return s.m.loadOrStore(k, k);
    }

    /** Go's BenchmarkLoadOrStoreCollision: LoadOrStore(0, 0) with 0 present. */
    @Benchmark
    public boolean LoadOrStoreCollision(Zero s) {
        return s.m.loadOrStore(KEYS[0], KEYS[0]);
    }

    /** Go's BenchmarkLoadAndDeleteBalanced: hits=128, misses=128; LoadAndDelete(j) if j < 128, else LoadAndDelete(i). */
    @Benchmark
    public Object LoadAndDeleteBalanced(Hits128 s, Counter c) {
        long i = c.i++;
        int j = (int) (i & 255);
        return j < 128 ? s.m.loadAndDelete(KEYS[j]) : s.m.loadAndDelete(key(i));
    }

    /** Go's BenchmarkLoadAndDeleteUnique: LoadAndDelete(i) of keys never stored. */
    @Benchmark
    public Object LoadAndDeleteUnique(Empty s, Counter c) {
        return s.m.loadAndDelete(key(c.i++));
    }

    /** Go's BenchmarkLoadAndDeleteCollision: LoadAndDelete(0) with 0 stored once. */
    @Benchmark
    public Object LoadAndDeleteCollision(Zero s) {
        return s.m.loadAndDelete(KEYS[0]);
    }

    /** Go's BenchmarkRange: a full Range over 1024 keys per operation. */
    @Benchmark
    public void Range(Size1024 s) {
        s.m.rangeAll();
    }

    /** Go's per-goroutine locals of BenchmarkAdversarialAlloc. */
    @State(Scope.Thread)
    public static class AllocCounters {
        long stores;
        long loadsSinceStore;

        @Setup(Level.Iteration)
        public void reset() {
            stores = 0;
            loadsSinceStore = 0;
        }
    }

    /**
     * Go's BenchmarkAdversarialAlloc: Load of a unique missing key; after {@code stores} loads, LoadOrStore of one
     * (so the read/dirty map's loads keep taking the mutex).
     */
    @Benchmark
    public Object AdversarialAlloc(Empty s, Counter c, AllocCounters a) {
        long i = c.i++;
        Long k = key(i);
        Object v = s.m.load(k);
        if (++a.loadsSinceStore > a.stores) {
            s.m.loadOrStore(k, a.stores);
            a.loadsSinceStore = 0;
            a.stores++;
        }
        return v;
    }

    /**
     * Go's BenchmarkAdversarialDelete: Load(i) on a 1024-key map; every 1024th i, Range to the first key, Delete it
     * and Store(i, i).
     */
    @Benchmark
    public Object AdversarialDelete(Size1024 s, Counter c) {
        long i = c.i++;
        Long k = key(i);
        Object v = s.m.load(k);
        if ((i & 1023) == 0) {
            Object first = s.m.firstKey();
            s.m.delete((Long) first);
            s.m.store(k, k);
        }
        return v;
    }

    /** Go's BenchmarkDeleteCollision: Delete(0) with 0 stored once. */
    @Benchmark
    public void DeleteCollision(Zero s) {
        s.m.delete(KEYS[0]);
    }

    /** Go 1.20's BenchmarkSwapCollision: Swap(0, 0). */
    @Benchmark
    public Object SwapCollision(Zero s) {
        return s.m.swap(KEYS[0], KEYS[0]);
    }

    /** Go 1.20's BenchmarkCompareAndSwapCollision: if CompareAndSwap(0, 0, 42) then CompareAndSwap(0, 42, 0). */
    @Benchmark
    public boolean CompareAndSwapCollision(Zero s) {
        if (s.m.compareAndSwap(KEYS[0], KEYS[0], KEYS[42])) {
            return s.m.compareAndSwap(KEYS[0], KEYS[42], KEYS[0]);
        }
        return false;
    }
}
