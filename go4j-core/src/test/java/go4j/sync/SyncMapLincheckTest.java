package go4j.sync;

import go4j.internal.sync.HashTrieMap;
import go4j.internal.sync.SyncMapImpl;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

/**
 * Lincheck model checking of the SyncMap mechanisms against a sequential map ({@link SyncLincheckTest.MapModel}),
 * all eight operations plus clear on three keys, bounded options: the hash-trie (SyncLincheckTest checks the
 * default, read/dirty, with the same {@link Ops}), also with Go's bad hash (every key collides: one
 * overflow chain) and a truncated hash (keys differ in the last digit only: 16-level expansion and pruning of
 * emptied nodes, the {@code dead} flag's races).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
public class SyncMapLincheckTest {
    public SyncMapLincheckTest() {}

    @Test
    public void hashTrieCollidingKeys() {
        SyncLincheckTest.modelCheck(BadHashOps.class, ClearModel.class, 200);
    }

    @Test
    public void hashTrieDeepTrie() {
        SyncLincheckTest.modelCheck(TruncHashOps.class, ClearModel.class, 200);
    }

    @Test
    public void hashTrie() {
        SyncLincheckTest.modelCheck(HashTrieOps.class, ClearModel.class, 200);
    }

    /** The sequential specification, with clear. */
    public static class ClearModel extends SyncLincheckTest.MapModel {
        public ClearModel() {}

        public void clear() {
            for (int k = 0; k <= 3; k++) {
                delete(k);
            }
        }
    }

    /** All nine operations on one map; subclasses choose the mechanism (SyncLincheckTest's: the default). */
    @Param(name = "k", gen = IntGen.class, conf = "1:3")
    @Param(name = "v", gen = IntGen.class, conf = "1:3")
    public abstract static class Ops {
        private final SyncMap<Integer, Integer> m;

        Ops(SyncMap<Integer, Integer> m) {
            this.m = m;
        }

        Ops(SyncMapImpl<Integer, Integer> impl) {
            this(new SyncMap<>(impl));
        }

        @Operation
        public String load(@Param(name = "k") int k) {
            return m.loadOk(k).toString();
        }

        @Operation
        public void store(@Param(name = "k") int k, @Param(name = "v") int v) {
            m.store(k, v);
        }

        @Operation
        public String loadOrStore(@Param(name = "k") int k, @Param(name = "v") int v) {
            return m.loadOrStore(k, v).toString();
        }

        @Operation
        public String loadAndDelete(@Param(name = "k") int k) {
            return m.loadAndDelete(k).toString();
        }

        @Operation
        public void delete(@Param(name = "k") int k) {
            m.delete(k);
        }

        @Operation
        public String swap(@Param(name = "k") int k, @Param(name = "v") int v) {
            return m.swap(k, v).toString();
        }

        @Operation
        public boolean compareAndSwap(@Param(name = "k") int k, @Param(name = "v") int old, @Param(name = "v") int neu) {
            return m.compareAndSwap(k, old, neu);
        }

        @Operation
        public boolean compareAndDelete(@Param(name = "k") int k, @Param(name = "v") int old) {
            return m.compareAndDelete(k, old);
        }

        @Operation
        public void clear() {
            m.clear();
        }
    }

    public static class BadHashOps extends Ops {
        public BadHashOps() {
            super(HashTrieMap.withHashFunction(k -> 0L));
        }
    }

    public static class TruncHashOps extends Ops {
        public TruncHashOps() {
            super(HashTrieMap.withHashFunction(k -> ((Integer) k) & 0xFL));
        }
    }

    public static class HashTrieOps extends Ops {
        public HashTrieOps() {
            super(new HashTrieMap<>());
        }
    }
}
