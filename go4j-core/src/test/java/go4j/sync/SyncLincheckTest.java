package go4j.sync;

import go4j.Panic;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Lincheck model checking (and a short stress run) for {@link Mutex}, {@link RWMutex}, {@link WaitGroup} and {@link SyncMap}
 * against sequential models. Bounded options (JVM-FACTS: default options take minutes on 2 cores).
 *
 * <p>Mutex and RWMutex: a non-atomic counter updated under the (write) lock and read under the (read) lock; a broken mutual exclusion or a lost wake-up shows as a
 * non-linearizable result or a deadlock. WaitGroup: Lincheck's Java API cannot express an operation that blocks
 * until another one runs, so {@code await} is not an operation; add/done/panics are. SyncMap: all operations on
 * three keys.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
public class SyncLincheckTest {
    public SyncLincheckTest() {}

    static void modelCheck(Class<?> test, Class<?> spec) {
        modelCheck(test, spec, 500);
    }

    static void modelCheck(Class<?> test, Class<?> spec, int invocations) {
        new ModelCheckingOptions()
                .iterations(10)
                .invocationsPerIteration(invocations)
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
                .sequentialSpecification(spec)
                .check(test);
    }

    @Test
    public void mutexModelChecking() {
        modelCheck(MutexOps.class, CounterModel.class);
    }

    @Test
    public void mutexStress() {
        stress(MutexOps.class, CounterModel.class);
    }

    @Test
    public void rwMutexModelChecking() {
        modelCheck(RWMutexOps.class, CounterModel.class);
    }

    @Test
    public void waitGroupModelChecking() {
        modelCheck(WaitGroupOps.class, WaitGroupModel.class);
    }

    @Test
    public void syncMapModelChecking() {
        modelCheck(SyncMapOps.class, SyncMapLincheckTest.ClearModel.class, 300); // nine operations: the costliest scenario space
    }

    @Test
    public void syncMapStress() {
        stress(SyncMapOps.class, SyncMapLincheckTest.ClearModel.class);
    }

    // ------------------------------------------------------------------------------------------ Mutex

    public static class MutexOps {
        private final Mutex m = new Mutex();
        private int counter;

        public MutexOps() {}

        @Operation
        public int increment() {
            m.lock();
            try {
                int c = counter;
                counter = c + 1; // non-atomic read-modify-write: needs the mutex
                return c + 1;
            } finally {
                m.unlock();
            }
        }

        @Operation
        public int get() {
            try (var held = m.locked()) {
                return counter;
            }
        }
    }

    /** RWMutex: writers increment a plain counter under the write lock, readers read it under the read lock. */
    public static class RWMutexOps {
        private final RWMutex rw = new RWMutex();
        private int counter;

        public RWMutexOps() {}

        @Operation
        public int increment() {
            rw.lock();
            try {
                int c = counter;
                counter = c + 1;
                return c + 1;
            } finally {
                rw.unlock();
            }
        }

        @Operation
        public int get() {
            try (var r = rw.rLocked()) {
                return counter;
            }
        }
    }

    public static class CounterModel {
        private int counter;

        public CounterModel() {}

        public int increment() {
            return ++counter;
        }

        public int get() {
            return counter;
        }
    }

    // ------------------------------------------------------------------------------------------ WaitGroup

    @Param(name = "d", gen = IntGen.class, conf = "1:2")
    public static class WaitGroupOps {
        private final WaitGroup wg = new WaitGroup();

        public WaitGroupOps() {}

        @Operation
        public String add(@Param(name = "d") int d) {
            try {
                wg.add(d);
                return "ok";
            } catch (Panic p) {
                return "panic: " + p.getMessage();
            }
        }

        @Operation
        public String done() {
            try {
                wg.done();
                return "ok";
            } catch (Panic p) {
                return "panic: " + p.getMessage();
            }
        }

        @Operation
        public int count() {
            return wg.count();
        }

        /** Wait on a zero counter returns at once; otherwise not attempted (it would block). */
        @Operation
        public boolean waitIfZero() {
            if (wg.count() == 0) {
                // Racy by design: a concurrent add may make await block, so only report whether it was zero.
                return true;
            }
            return false;
        }
    }

    public static class WaitGroupModel {
        private long counter;

        public WaitGroupModel() {}

        public String add(int d) {
            counter += d;
            return counter < 0 ? "panic: sync: negative WaitGroup counter" : "ok";
        }

        public String done() {
            return add(-1);
        }

        public int count() {
            return (int) counter;
        }

        public boolean waitIfZero() {
            return counter == 0;
        }
    }

    // ------------------------------------------------------------------------------------------ SyncMap

    /** The default SyncMap (read/dirty unless -Dgo4j.syncmap says otherwise) under all nine operations. */
    public static class SyncMapOps extends SyncMapLincheckTest.Ops {
        public SyncMapOps() {
            super(new SyncMap<>());
        }
    }

    public static class MapModel {
        private final HashMap<Integer, Integer> m = new HashMap<>();

        public MapModel() {}

        private static String loaded(Integer v, boolean ok) {
            return new SyncMap.Loaded<>(v, ok).toString();
        }

        public String load(int k) {
            return m.containsKey(k) ? loaded(m.get(k), true) : loaded(null, false);
        }

        public void store(int k, int v) {
            m.put(k, v);
        }

        public String loadOrStore(int k, int v) {
            if (m.containsKey(k)) {
                return loaded(m.get(k), true);
            }
            m.put(k, v);
            return loaded(v, false);
        }

        public String loadAndDelete(int k) {
            return m.containsKey(k) ? loaded(m.remove(k), true) : loaded(null, false);
        }

        public void delete(int k) {
            m.remove(k);
        }

        public String swap(int k, int v) {
            boolean had = m.containsKey(k);
            Integer prev = m.put(k, v);
            return had ? loaded(prev, true) : loaded(null, false);
        }

        public boolean compareAndSwap(int k, int old, int neu) {
            if (m.containsKey(k) && Objects.equals(m.get(k), old)) {
                m.put(k, neu);
                return true;
            }
            return false;
        }

        public boolean compareAndDelete(int k, int old) {
            if (m.containsKey(k) && Objects.equals(m.get(k), old)) {
                m.remove(k);
                return true;
            }
            return false;
        }
    }
}
