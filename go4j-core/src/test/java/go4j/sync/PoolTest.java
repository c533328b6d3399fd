package go4j.sync;

import go4j.Go;
import go4j.internal.sync.PoolCleanup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PoolTest {

    /** Go's pool tests run with the GC off (SetGCPercent(-1)); here: no GC-driven rotation unless a test asks. */
    @org.junit.jupiter.api.BeforeEach
    void noGcRotation() {
        PoolCleanup.setGcRotation(false);
    }

    @org.junit.jupiter.api.AfterEach
    void restoreGcRotation() {
        PoolCleanup.setGcRotation(true);
    }

    /** Go's TestPool: private then shared order on one P; the victim cache keeps items for one GC, not two. */
    @Test
    void poolAndVictimCache() {
        Pool<String> p = new Pool<>();
        assertThat(p.get()).as("expected empty").isNull();
        p.put("a");
        p.put("b");
        assertThat(p.get()).isEqualTo("a");
        assertThat(p.get()).isEqualTo("b");
        assertThat(p.get()).isNull();
        // Put in a large number of objects so they spill into stealable space.
        for (int i = 0; i < 100; i++) {
            p.put("c");
        }
        // After one GC, the victim cache should keep them alive.
        PoolCleanup.cleanup();
        assertThat(p.get()).as("want c after GC").isEqualTo("c");
        // A second GC should drop the victim cache.
        PoolCleanup.cleanup();
        assertThat(p.get()).as("want nil after second GC").isNull();
    }

    /** Go's TestPoolNew: New is called when the pool is empty. */
    @Test
    void poolNew() {
        AtomicInteger i = new AtomicInteger();
        Pool<Integer> p = new Pool<>(i::incrementAndGet);
        assertThat(p.get()).isEqualTo(1);
        assertThat(p.get()).isEqualTo(2);
        p.put(42);
        assertThat(p.get()).isEqualTo(42);
        assertThat(p.get()).isEqualTo(3);
        p.put(null); // ignored
        assertThat(p.get()).isEqualTo(4);
    }

    /** A real JVM garbage collection rotates the caches (GC notifications are received). */
    @Test
    void realGcRotates() {
        assertThat(PoolCleanup.listening()).isTrue();
        PoolCleanup.setGcRotation(true);
        Pool<Object> p = new Pool<>();
        p.put(new Object()); // registers the pool and the listener
        long before = PoolCleanup.cycles();
        while (PoolCleanup.cycles() < before + 2) {
            System.gc();
            Thread.onSpinWait();
            Go.gosched();
        }
        assertThat(p.get()).isNull();
    }

    /** Go's TestPoolRelease: pooled objects become garbage after the cleanups (two GCs). */
    @Test
    void poolRelease() {
        PoolCleanup.setGcRotation(true);
        Pool<Object> p = new Pool<>();
        List<WeakReference<Object>> refs = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            Object v = new byte[16];
            refs.add(new WeakReference<>(v));
            p.put(v);
        }
        long start = PoolCleanup.cycles();
        while (true) {
            System.gc();
            Go.gosched();
            long freed = refs.stream().filter(r -> r.get() == null).count();
            if (PoolCleanup.cycles() >= start + 3 && freed == refs.size()) {
                break; // all released; the test's timeout catches a pool that retains them
            }
        }
        assertThat(p.get()).isNull();
    }

    /** Go's TestPoolStress: concurrent Put/Get of distinct values never yields a foreign or duplicate value. */
    @Test
    void stress() {
        Pool<Integer> p = new Pool<>();
        int goroutines = 8;
        int per = 20_000;
        Go.run(() -> {
            WaitGroup wg = new WaitGroup();
            for (int g = 0; g < goroutines; g++) {
                int base = g * per;
                wg.go(() -> {
                    Integer v = base;
                    for (int j = 0; j < per; j++) {
                        p.put(v);
                        Integer got = p.get();
                        assertThat(got).as("expect nil or an int put by a goroutine").isNotNull();
                        v = got;
                    }
                });
            }
            wg.await();
        });
        // Every value taken out was put in, and nothing is duplicated: drain and check uniqueness.
        Set<Integer> drained = new HashSet<>();
        for (Integer x; (x = p.get()) != null; ) {
            assertThat(drained.add(x)).as("duplicate %d", x).isTrue();
        }
        assertThat(drained.size()).isLessThanOrEqualTo(goroutines);
    }

    /** Stealing: items put by platform threads are found by another thread's get. */
    @Test
    void stealsFromOtherShards() throws InterruptedException {
        Pool<Integer> p = new Pool<>();
        Thread[] ts = new Thread[Pool.shardCount()];
        for (int i = 0; i < ts.length; i++) {
            int id = i;
            ts[i] = Thread.ofPlatform().start(() -> {
                for (int k = 0; k < 50; k++) {
                    p.put(id * 1000 + k);
                }
            });
        }
        for (Thread t : ts) {
            t.join();
        }
        Set<Integer> got = new HashSet<>();
        for (Integer x; (x = p.get()) != null; ) {
            got.add(x);
        }
        assertThat(got).hasSize(ts.length * 50);
    }
}
