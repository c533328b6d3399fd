package go4j.internal.sync;

import go4j.Go;
import go4j.sync.SyncMap.Loaded;
import go4j.sync.WaitGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ports of Go's {@code internal/sync/hashtriemap_test.go} (testHashTrieMap's subtests, each run with a good hash,
 * Go's BadHash — every key collides — and TruncHash — only the low 4 bits survive, so the trie is 16 levels deep),
 * plus checks of the trie's shape: expansion, pruning of emptied nodes, clear.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SyncMapHashTrieTest {
    /** Go's testData: the binary representations of 0..127. */
    static final String[] TEST_DATA = new String[128];

    static {
        for (int i = 0; i < TEST_DATA.length; i++) {
            TEST_DATA[i] = Integer.toBinaryString(i);
        }
    }

    static final int GOROUTINES = 4;

    enum Hash {
        GOOD,
        BAD,
        TRUNC;

        HashTrieMap<String, Integer> make() {
            return switch (this) {
                case GOOD -> new HashTrieMap<>();
                case BAD -> HashTrieMap.withHashFunction(k -> 0L);
                case TRUNC -> HashTrieMap.withHashFunction(k -> HashTrieMap.mix(Objects.hashCode(k)) & 0xFL);
            };
        }
    }

    static void expectPresent(HashTrieMap<String, Integer> m, String key, int want) {
        assertThat(m.loadOk(key)).as("key %s present", key).isEqualTo(new Loaded<>(want, true));
        assertThat(m.load(key)).isEqualTo(want);
    }

    static void expectMissing(HashTrieMap<String, Integer> m, String key) {
        assertThat(m.loadOk(key)).as("key %s missing", key).isEqualTo(new Loaded<>(null, false));
    }

    static void expectStored(Loaded<Integer> r, String key, int want) {
        assertThat(r).as("inserted key %s stored, not loaded", key).isEqualTo(new Loaded<>(want, false));
    }

    static void expectLoaded(Loaded<Integer> r, String key, int want) {
        assertThat(r).as("key %s loaded, not stored", key).isEqualTo(new Loaded<>(want, true));
    }

    /** Stores every test key (as i), checking Load / LoadOrStore around it (the opening of most Go subtests). */
    static void fill(HashTrieMap<String, Integer> m) {
        for (int i = 0; i < TEST_DATA.length; i++) {
            String s = TEST_DATA[i];
            expectMissing(m, s);
            expectStored(m.loadOrStore(s, i), s, i);
            expectPresent(m, s, i);
            expectLoaded(m.loadOrStore(s, 0), s, i);
        }
    }

    /** Runs body(id) in GOROUTINES goroutines and waits for them. */
    static void parallel(IntConsumer body) {
        Go.run(() -> {
            WaitGroup wg = new WaitGroup();
            for (int g = 0; g < GOROUTINES; g++) {
                int id = g;
                wg.go(() -> body.accept(id));
            }
            wg.await();
        });
    }

    /** Go's testAll: All visits exactly the stored pairs, each once. */
    static void testAll(HashTrieMap<String, Integer> m, java.util.function.BiPredicate<String, Integer> yield) {
        for (int i = 0; i < TEST_DATA.length; i++) {
            expectStored(m.loadOrStore(TEST_DATA[i], i), TEST_DATA[i], i);
        }
        Map<String, Integer> visited = new HashMap<>();
        m.range((k, v) -> {
            int want = List.of(TEST_DATA).indexOf(k);
            assertThat(want).as("unexpected key %s in map", k).isNotNegative();
            assertThat(v).isEqualTo(want);
            assertThat(visited.merge(k, 1, Integer::sum)).as("visited key %s more than once", k).isOne();
            return yield.test(k, v);
        });
    }

    @ParameterizedTest
    @EnumSource(Hash.class)
    void loadEmptyAndLoadOrStore(Hash h) {
        HashTrieMap<String, Integer> m = h.make();
        for (String s : TEST_DATA) {
            expectMissing(m, s);
        }
        fill(m);
        for (int i = 0; i < TEST_DATA.length; i++) {
            expectPresent(m, TEST_DATA[i], i);
            expectLoaded(m.loadOrStore(TEST_DATA[i], 0), TEST_DATA[i], i);
        }
    }

    @ParameterizedTest
    @EnumSource(Hash.class)
    void all(Hash h) {
        HashTrieMap<String, Integer> m = h.make();
        int[] n = {0};
        testAll(m, (k, v) -> ++n[0] > 0);
        assertThat(n[0]).isEqualTo(TEST_DATA.length);
    }

    /** CompareAndDelete/All, One, Multiple, Iterate. */
    @ParameterizedTest
    @EnumSource(Hash.class)
    void compareAndDelete(Hash h) {
        HashTrieMap<String, Integer> m = h.make();
        for (int round = 0; round < 3; round++) {
            fill(m);
            for (int i = 0; i < TEST_DATA.length; i++) {
                String s = TEST_DATA[i];
                expectPresent(m, s, i);
                assertThat(m.compareAndDelete(s, Integer.MAX_VALUE)).isFalse();
                assertThat(m.compareAndDelete(s, i)).isTrue();
                assertThat(m.compareAndDelete(s, i)).isFalse();
                expectMissing(m, s);
            }
            for (String s : TEST_DATA) {
                expectMissing(m, s);
            }
        }
        // One and Multiple
        m = h.make();
        fill(m);
        Set<Integer> deleted = Set.of(15, 1, 105, 6, 85);
        for (int i : deleted) {
            assertThat(m.compareAndDelete(TEST_DATA[i], Integer.MAX_VALUE)).isFalse();
            assertThat(m.compareAndDelete(TEST_DATA[i], i)).isTrue();
            assertThat(m.compareAndDelete(TEST_DATA[i], i)).isFalse();
        }
        for (int i = 0; i < TEST_DATA.length; i++) {
            if (deleted.contains(i)) {
                expectMissing(m, TEST_DATA[i]);
            } else {
                expectPresent(m, TEST_DATA[i], i);
            }
        }
        // Iterate: delete every key from inside All.
        HashTrieMap<String, Integer> m2 = h.make();
        testAll(m2, (k, v) -> {
            assertThat(m2.compareAndDelete(k, v)).isTrue();
            return true;
        });
        for (String s : TEST_DATA) {
            expectMissing(m2, s);
        }
    }

    /** CompareAndSwap/All, One, Multiple. */
    @ParameterizedTest
    @EnumSource(Hash.class)
    void compareAndSwap(Hash h) {
        HashTrieMap<String, Integer> m = h.make();
        fill(m);
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < TEST_DATA.length; i++) {
                String s = TEST_DATA[i];
                expectPresent(m, s, i + j);
                assertThat(m.compareAndSwap(s, Integer.MAX_VALUE, i + j + 1)).isFalse();
                assertThat(m.compareAndSwap(s, i + j, i + j + 1)).isTrue();
                assertThat(m.compareAndSwap(s, i + j, i + j + 1)).isFalse();
                expectPresent(m, s, i + j + 1);
            }
        }
        for (int i = 0; i < TEST_DATA.length; i++) {
            expectPresent(m, TEST_DATA[i], i + 3);
        }
        m = h.make();
        fill(m);
        Set<Integer> swapped = Set.of(15, 1, 105, 6, 85);
        for (int i : swapped) {
            assertThat(m.compareAndSwap(TEST_DATA[i], Integer.MAX_VALUE, i + 1)).isFalse();
            assertThat(m.compareAndSwap(TEST_DATA[i], i, i + 1)).isTrue();
            assertThat(m.compareAndSwap(TEST_DATA[i], i, i + 1)).isFalse();
        }
        for (int i = 0; i < TEST_DATA.length; i++) {
            expectPresent(m, TEST_DATA[i], swapped.contains(i) ? i + 1 : i);
        }
    }

    /** Swap/All, One, Multiple. */
    @ParameterizedTest
    @EnumSource(Hash.class)
    void swap(Hash h) {
        HashTrieMap<String, Integer> m = h.make();
        for (int i = 0; i < TEST_DATA.length; i++) {
            String s = TEST_DATA[i];
            expectMissing(m, s);
            assertThat(m.swap(s, i)).isEqualTo(new Loaded<>(null, false));
            expectPresent(m, s, i);
            assertThat(m.swap(s, i)).isEqualTo(new Loaded<>(i, true));
        }
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < TEST_DATA.length; i++) {
                String s = TEST_DATA[i];
                expectPresent(m, s, i + j);
                assertThat(m.swap(s, i + j + 1)).isEqualTo(new Loaded<>(i + j, true));
                expectPresent(m, s, i + j + 1);
            }
        }
        for (int i = 0; i < TEST_DATA.length; i++) {
            assertThat(m.swap(TEST_DATA[i], i + 3)).isEqualTo(new Loaded<>(i + 3, true));
        }
    }

    /** LoadAndDelete/All, One, Multiple, Iterate. */
    @ParameterizedTest
    @EnumSource(Hash.class)
    void loadAndDelete(Hash h) {
        HashTrieMap<String, Integer> m = h.make();
        for (int round = 0; round < 3; round++) {
            fill(m);
            for (int i = 0; i < TEST_DATA.length; i++) {
                String s = TEST_DATA[i];
                expectPresent(m, s, i);
                assertThat(m.loadAndDelete(s)).isEqualTo(new Loaded<>(i, true));
                expectMissing(m, s);
                assertThat(m.loadAndDelete(s)).isEqualTo(new Loaded<>(null, false));
            }
        }
        m = h.make();
        fill(m);
        Set<Integer> deleted = Set.of(15, 1, 105, 6, 85);
        for (int i : deleted) {
            assertThat(m.loadAndDelete(TEST_DATA[i])).isEqualTo(new Loaded<>(i, true));
            assertThat(m.loadAndDelete(TEST_DATA[i])).isEqualTo(new Loaded<>(null, false));
        }
        for (int i = 0; i < TEST_DATA.length; i++) {
            if (deleted.contains(i)) {
                expectMissing(m, TEST_DATA[i]);
            } else {
                expectPresent(m, TEST_DATA[i], i);
            }
        }
        HashTrieMap<String, Integer> m2 = h.make();
        testAll(m2, (k, v) -> {
            assertThat(m2.loadAndDelete(k)).isEqualTo(new Loaded<>(v, true));
            return true;
        });
        for (String s : TEST_DATA) {
            expectMissing(m2, s);
        }
    }

    /** The ConcurrentUnsharedKeys subtests of CompareAndDelete, CompareAndSwap(WithDelete), Swap(WithDelete), LoadAndDelete. */
    @ParameterizedTest
    @EnumSource(Hash.class)
    void concurrentUnsharedKeys(Hash h) {
        HashTrieMap<String, Integer> m = h.make();
        parallel(id -> {
            for (String s : TEST_DATA) {
                String key = s + "-" + id;
                expectMissing(m, key);
                expectStored(m.loadOrStore(key, id), key, id);
                expectPresent(m, key, id);
                expectLoaded(m.loadOrStore(key, 0), key, id);
            }
            for (String s : TEST_DATA) {
                String key = s + "-" + id;
                expectPresent(m, key, id);
                assertThat(m.compareAndSwap(key, id, id + 1)).isTrue();
                expectPresent(m, key, id + 1);
                assertThat(m.compareAndDelete(key, id + 1)).isTrue();
                assertThat(m.compareAndSwap(key, id + 1, id + 2)).isFalse();
                assertThat(m.compareAndDelete(key, id + 1)).isFalse();
                expectMissing(m, key);
                assertThat(m.swap(key, id + 2)).isEqualTo(new Loaded<>(null, false));
                expectPresent(m, key, id + 2);
                assertThat(m.swap(key, id + 3)).isEqualTo(new Loaded<>(id + 2, true));
            }
            for (String s : TEST_DATA) {
                String key = s + "-" + id;
                expectPresent(m, key, id + 3);
                assertThat(m.loadAndDelete(key)).isEqualTo(new Loaded<>(id + 3, true));
                expectMissing(m, key);
            }
            for (String s : TEST_DATA) {
                expectMissing(m, s + "-" + id);
            }
        });
        assertThat(m.depth()).as("emptied indirect nodes are pruned").isEqualTo(1);
    }

    /** The ConcurrentSharedKeys subtests: CompareAndDelete, CompareAndSwap, Swap, LoadAndDelete on shared keys. */
    @ParameterizedTest
    @EnumSource(Hash.class)
    void concurrentSharedKeys(Hash h) {
        HashTrieMap<String, Integer> m = h.make();
        for (int i = 0; i < TEST_DATA.length; i++) {
            expectStored(m.loadOrStore(TEST_DATA[i], i), TEST_DATA[i], i);
        }
        parallel(id -> {
            for (int i = 0; i < TEST_DATA.length; i++) {
                String s = TEST_DATA[i];
                assertThat(m.compareAndSwap(s, Integer.MAX_VALUE, i + 1)).isFalse();
                m.compareAndSwap(s, i, i + 1);
                expectPresent(m, s, i + 1);
            }
            for (int i = 0; i < TEST_DATA.length; i++) {
                expectPresent(m, TEST_DATA[i], i + 1);
            }
        });
        parallel(id -> {
            for (int i = 0; i < TEST_DATA.length; i++) {
                String s = TEST_DATA[i];
                m.swap(s, i + 2);
                expectPresent(m, s, i + 2);
            }
        });
        parallel(id -> {
            for (int i = 0; i < TEST_DATA.length; i++) {
                String s = TEST_DATA[i];
                assertThat(m.compareAndDelete(s, Integer.MAX_VALUE)).isFalse();
                if (i % 2 == 0) {
                    m.compareAndDelete(s, i + 2);
                } else {
                    m.loadAndDelete(s);
                }
                expectMissing(m, s);
            }
            for (String s : TEST_DATA) {
                expectMissing(m, s);
            }
        });
        assertThat(m.depth()).isEqualTo(1);
    }

    /** Truncated hashes force the deepest trie (Go's TruncHash: near collisions in the last digit only). */
    @Test
    void deepTrieExpandsAndPrunes() {
        HashTrieMap<String, Integer> m = Hash.TRUNC.make();
        fill(m);
        assertThat(m.depth()).isEqualTo(HashTrieMap.HASH_BITS / HashTrieMap.N_CHILDREN_LOG2);
        for (int i = 0; i < TEST_DATA.length; i++) {
            assertThat(m.loadAndDelete(TEST_DATA[i])).isEqualTo(new Loaded<>(i, true));
            for (int j = i + 1; j < TEST_DATA.length; j += 17) {
                expectPresent(m, TEST_DATA[j], j);
            }
        }
        assertThat(m.depth()).isEqualTo(1);
        // Two keys whose hashes differ only in the top digit live right under the root; in the last digit, 16 deep.
        HashTrieMap<Long, String> top = HashTrieMap.withHashFunction(k -> (Long) k);
        top.store(0L, "a");
        top.store(1L << 60, "b");
        assertThat(top.depth()).isEqualTo(1);
        top.store(1L, "c");
        assertThat(top.depth()).isEqualTo(16);
        assertThat(top.load(1L)).isEqualTo("c");
        assertThat(top.load(0L)).isEqualTo("a");
        top.delete(1L);
        assertThat(top.depth()).isEqualTo(16); // 0L alone in the deepest node: Go prunes only empty nodes
        top.delete(0L);
        assertThat(top.depth()).isEqualTo(1);
        assertThat(top.load(1L << 60)).isEqualTo("b");
    }

    /**
     * The pruning race behind Go's {@code dead} flag: two keys that differ only in the last hash digit share a
     * 16-level path; one goroutine's delete empties and prunes the deepest node while the other's store may have
     * reached that node and be waiting for its mutex. Without the {@code dead} re-check the store lands in the
     * unlinked node and is lost. Each goroutine checks its own key after every store and delete.
     */
    @Test
    void pruneRacesWithInsert() {
        HashTrieMap<Long, Long> m = HashTrieMap.withHashFunction(k -> (Long) k);
        parallel(id -> {
            long key = 1 + id; // hashes 1, 2, 3, 4: one deepest node
            for (long i = 0; i < 20_000; i++) {
                m.store(key, i);
                assertThat(m.load(key)).as("store of key %d lost", key).isEqualTo(i);
                assertThat(m.loadAndDelete(key)).isEqualTo(new Loaded<>(i, true));
                assertThat(m.loadOk(key).loaded()).isFalse();
                if ((i & 255) == 0) {
                    Go.gosched();
                }
            }
        });
        assertThat(m.depth()).isEqualTo(1);
    }

    /** Full-hash collisions: an overflow chain; deleting / swapping its head, middle and tail. */
    @Test
    void collisionChains() {
        HashTrieMap<String, Integer> m = Hash.BAD.make();
        for (int i = 0; i < 5; i++) {
            m.store("k" + i, i);
        }
        assertThat(m.depth()).isEqualTo(1);
        assertThat(m.swap("k4", 40)).isEqualTo(new Loaded<>(4, true)); // newest: the head
        assertThat(m.swap("k2", 20)).isEqualTo(new Loaded<>(2, true)); // middle
        assertThat(m.swap("k0", 0)).isEqualTo(new Loaded<>(0, true)); // tail
        assertThat(m.loadAndDelete("k2")).isEqualTo(new Loaded<>(20, true));
        assertThat(m.compareAndDelete("k4", 40)).isTrue();
        assertThat(m.compareAndSwap("k0", 0, 100)).isTrue();
        Map<String, Integer> got = new HashMap<>();
        m.range((k, v) -> got.put(k, v) == null);
        assertThat(got).isEqualTo(Map.of("k0", 100, "k1", 1, "k3", 3));
        m.delete("k0");
        m.delete("k1");
        m.delete("k3");
        assertThat(m.loadOk("k3").loaded()).isFalse();
        m.range((k, v) -> {
            throw new AssertionError("empty map visited " + k);
        });
    }

    /** A key whose equals throws leaves no node locked. */
    @Test
    void equalsThrowingReleasesTheLock() {
        record Bad(int h) {
            @Override
            public boolean equals(Object o) {
                throw new IllegalStateException("boom");
            }

            @Override
            public int hashCode() {
                return h;
            }
        }
        HashTrieMap<Object, Integer> m = HashTrieMap.withHashFunction(k -> 0L);
        m.store("a", 1);
        for (int i = 0; i < 3; i++) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.store(new Bad(1), 2))
                    .isInstanceOf(IllegalStateException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.compareAndDelete(new Bad(1), 2))
                    .isInstanceOf(IllegalStateException.class);
        }
        m.store("b", 2); // would block forever if a mutex leaked
        assertThat(m.load("b")).isEqualTo(2);
    }

    /** Range during concurrent stores and deletes (Go's TestConcurrentRange on the trie): no key twice, values valid. */
    @ParameterizedTest
    @EnumSource(Hash.class)
    void rangeDuringMutation(Hash h) {
        HashTrieMap<String, Integer> m = h.make();
        AtomicBoolean done = new AtomicBoolean();
        Go.run(() -> {
            WaitGroup wg = new WaitGroup();
            for (int g = 0; g < 2; g++) {
                int gg = g;
                wg.go(() -> {
                    for (int round = 0; !done.get(); round++) {
                        Go.gosched();
                        for (int i = gg; i < TEST_DATA.length; i += 2) {
                            if ((round + i) % 3 == 0) {
                                m.delete(TEST_DATA[i]);
                            } else {
                                m.store(TEST_DATA[i], i * 1000 + round % 1000);
                            }
                        }
                    }
                });
            }
            try {
                for (int iter = 0; iter < 200; iter++) {
                    Set<String> seen = new HashSet<>();
                    m.range((k, v) -> {
                        int i = Integer.parseInt(k, 2);
                        assertThat(v / 1000).as("value stored for %s", k).isEqualTo(i);
                        assertThat(seen.add(k)).as("Range visited %s twice", k).isTrue();
                        return true;
                    });
                }
            } finally {
                done.set(true);
            }
            wg.await();
        });
    }

    /** Clear racing with stores: afterwards, a clear leaves the map empty and usable; an empty clear allocates no root. */
    @Test
    void clear() {
        HashTrieMap<String, Integer> m = Hash.GOOD.make();
        parallel(id -> {
            for (int round = 0; round < 50; round++) {
                for (int i = id; i < TEST_DATA.length; i += GOROUTINES) {
                    m.store(TEST_DATA[i], i);
                }
                if (round % 7 == id) {
                    m.clear();
                }
            }
        });
        m.clear();
        for (String s : TEST_DATA) {
            expectMissing(m, s);
        }
        assertThat(m.depth()).isEqualTo(1);
        fill(m);
        m.clear();
        m.clear();
        expectMissing(m, TEST_DATA[3]);
    }

    /** Null keys and values: a null key hashes as 0; a stored null is present. */
    @ParameterizedTest
    @EnumSource(Hash.class)
    void nulls(Hash h) {
        HashTrieMap<String, Integer> m = h.make();
        fill(m);
        assertThat(m.loadOk(null).loaded()).isFalse();
        assertThat(m.loadOrStore(null, null)).isEqualTo(new Loaded<>(null, false));
        assertThat(m.loadOk(null)).isEqualTo(new Loaded<>(null, true));
        assertThat(m.compareAndSwap(null, null, 7)).isTrue();
        assertThat(m.swap(TEST_DATA[9], null)).isEqualTo(new Loaded<>(9, true));
        assertThat(m.compareAndDelete(TEST_DATA[9], null)).isTrue();
        assertThat(m.loadAndDelete(null)).isEqualTo(new Loaded<>(7, true));
        expectMissing(m, TEST_DATA[9]);
    }

    /** The mixer is a bijection in practice: distinct hash codes of a sample give distinct 64-bit hashes. */
    @Test
    void mixSpreadsSmallIntegers() {
        HashTrieMap<Integer, Integer> m = new HashTrieMap<>();
        Set<Long> hashes = new HashSet<>();
        Set<Integer> topDigits = new HashSet<>();
        for (int i = 0; i < 4096; i++) {
            long h = m.hash(i);
            assertThat(hashes.add(h)).isTrue();
            topDigits.add((int) (h >>> 60));
        }
        assertThat(topDigits).hasSize(16); // sequential keys spread over every root slot
    }
}
