package go4j.sync;

import go4j.Go;
import go4j.internal.sync.HashTrieMap;
import go4j.internal.sync.ReadDirtyMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SyncMapTest {

    /**
     * Every test runs against both mechanisms behind SyncMap, and the hash-trie also with Go's two terrible hash
     * functions (TestHashTrieMapBadHash: every key collides, one overflow chain; TestHashTrieMapTruncHash: only the
     * low 4 bits survive, so every key sits 16 levels deep and keys collide in 16 chains).
     */
    enum Design {
        HASH_TRIE,
        READ_DIRTY,
        HASH_TRIE_BAD_HASH,
        HASH_TRIE_TRUNC_HASH;

        <K, V> SyncMap<K, V> make() {
            return new SyncMap<>(switch (this) {
                case HASH_TRIE -> new HashTrieMap<>();
                case READ_DIRTY -> new ReadDirtyMap<>();
                case HASH_TRIE_BAD_HASH -> HashTrieMap.withHashFunction(k -> 0L);
                case HASH_TRIE_TRUNC_HASH -> HashTrieMap.withHashFunction(k -> Objects.hashCode(k) & 0xFL);
            });
        }
    }

    /** The default design is read/dirty; the system property accepts exactly the two names. */
    @org.junit.jupiter.api.Test
    void defaultDesign() {
        assertThat(System.getProperty("go4j.syncmap")).isNull();
        assertThat(SyncMap.DESIGN).isEqualTo("readdirty");
        assertThat(SyncMap.design("readdirty")).isEqualTo("readdirty");
        assertThat(SyncMap.design("hashtrie")).isEqualTo("hashtrie");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SyncMap.design("trie"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("go4j.syncmap=trie: want hashtrie or readdirty");
    }

    /** A reference map (Go's map_reference_test: RWMutexMap) with the same semantics, single-threaded. */
    static final class RefMap {
        final HashMap<Integer, Integer> m = new HashMap<>();

        String apply(int op, Integer k, Integer v, Integer v2) {
            return switch (op) {
                case 0 -> m.containsKey(k) ? "load " + m.get(k) + " true" : "load null false";
                case 1 -> {
                    m.put(k, v);
                    yield "store";
                }
                case 2 -> {
                    if (m.containsKey(k)) {
                        yield "los " + m.get(k) + " true";
                    }
                    m.put(k, v);
                    yield "los " + v + " false";
                }
                case 3 -> m.containsKey(k) ? "lad " + m.remove(k) + " true" : "lad null false";
                case 4 -> {
                    m.remove(k);
                    yield "delete";
                }
                case 5 -> {
                    boolean had = m.containsKey(k);
                    Integer prev = m.put(k, v);
                    yield had ? "swap " + prev + " true" : "swap null false";
                }
                case 6 -> {
                    if (m.containsKey(k) && Objects.equals(m.get(k), v)) {
                        m.put(k, v2);
                        yield "cas true";
                    }
                    yield "cas false";
                }
                case 7 -> {
                    if (m.containsKey(k) && Objects.equals(m.get(k), v)) {
                        m.remove(k);
                        yield "cad true";
                    }
                    yield "cad false";
                }
                case 8 -> {
                    m.clear();
                    yield "clear";
                }
                default -> throw new IllegalArgumentException();
            };
        }
    }

    static String apply(SyncMap<Integer, Integer> m, int op, Integer k, Integer v, Integer v2) {
        return switch (op) {
            case 0 -> {
                var r = m.loadOk(k);
                assertThat(m.load(k)).isEqualTo(r.value());
                yield "load " + r.value() + " " + r.loaded();
            }
            case 1 -> {
                m.store(k, v);
                yield "store";
            }
            case 2 -> {
                var r = m.loadOrStore(k, v);
                yield "los " + r.value() + " " + r.loaded();
            }
            case 3 -> {
                var r = m.loadAndDelete(k);
                yield "lad " + r.value() + " " + r.loaded();
            }
            case 4 -> {
                m.delete(k);
                yield "delete";
            }
            case 5 -> {
                var r = m.swap(k, v);
                yield "swap " + r.value() + " " + r.loaded();
            }
            case 6 -> "cas " + m.compareAndSwap(k, v, v2);
            case 7 -> "cad " + m.compareAndDelete(k, v);
            case 8 -> {
                m.clear();
                yield "clear";
            }
            default -> throw new IllegalArgumentException();
        };
    }

    static Map<Integer, Integer> snapshot(SyncMap<Integer, Integer> m) {
        Map<Integer, Integer> got = new HashMap<>();
        m.range((k, v) -> {
            assertThat(got.containsKey(k)).as("key visited twice: %s", k).isFalse();
            got.put(k, v);
            return true;
        });
        return got;
    }

    /**
     * Go's TestMapMatchesRWMutex / TestMapMatchesDeepCopy (quick.Check of random call sequences): every result and
     * the final contents match the reference map, for all operations (null values included: Go stores nil).
     */
    @ParameterizedTest
    @EnumSource(Design.class)
    void randomizedAgainstReference(Design d) {
        Random rnd = new Random(0x5eed);
        for (int trial = 0; trial < 400; trial++) {
            SyncMap<Integer, Integer> m = d.make();
            RefMap ref = new RefMap();
            int keys = 1 + rnd.nextInt(12);
            int calls = rnd.nextInt(300);
            for (int i = 0; i < calls; i++) {
                int op = rnd.nextInt(100) < 2 ? 8 : rnd.nextInt(8);
                Integer k = rnd.nextInt(keys);
                Integer v = rnd.nextInt(10) == 0 ? null : rnd.nextInt(4);
                Integer v2 = rnd.nextInt(4);
                String want = ref.apply(op, k, v, v2);
                String got = apply(m, op, k, v, v2);
                assertThat(got).as("trial %d call %d op %d key %d", trial, i, op, k).isEqualTo(want);
                if (rnd.nextInt(20) == 0) {
                    assertThat(snapshot(m)).isEqualTo(ref.m);
                }
            }
            assertThat(snapshot(m)).isEqualTo(ref.m);
        }
    }

    /** Go's TestConcurrentRange: Range sees each key once with a value some writer stored for it. */
    @ParameterizedTest
    @EnumSource(Design.class)
    void concurrentRange(Design d) {
        int mapSize = 1 << 10;
        SyncMap<Long, Long> m = d.make();
        for (long n = 1; n <= mapSize; n++) {
            m.store(n, n);
        }
        AtomicBoolean done = new AtomicBoolean();
        Go.run(() -> {
            WaitGroup wg = new WaitGroup();
            for (long g = 1; g <= 2; g++) {
                long gg = g;
                wg.go(() -> {
                    Random r = new Random(gg);
                    for (long i = 0; !done.get(); i++) {
                        // Virtual threads are not preempted (Go's goroutines are): yield once per sweep so that two
                        // CPU-bound writers cannot keep the ranging main goroutine off both carriers.
                        Go.gosched();
                        for (long n = 1; n < mapSize; n++) {
                            if (r.nextInt(mapSize) == 0) {
                                m.delete(n);
                            } else {
                                m.store(n, n * i * gg);
                            }
                        }
                    }
                });
            }
            try {
                for (int iter = 0; iter < 50; iter++) {
                    Map<Long, Boolean> seen = new HashMap<>();
                    m.range((k, v) -> {
                        assertThat(v % k).as("while Storing multiples of %d, Range saw value %d", k, v).isZero();
                        assertThat(seen.put(k, true)).as("Range visited key %d twice", k).isNull();
                        return true;
                    });
                    assertThat(seen.size()).isLessThanOrEqualTo(mapSize);
                }
            } finally {
                done.set(true);
            }
            wg.await();
        });
    }

    /** Go 1.23's TestConcurrentClear: Clear races with stores and loads; afterwards the map is empty. */
    @ParameterizedTest
    @EnumSource(Design.class)
    void concurrentClear(Design d) {
        SyncMap<Integer, Integer> m = d.make();
        Go.run(() -> {
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 10; i++) {
                int k = i;
                wg.go(() -> {
                    m.store(k, k);
                    m.load(k);
                    m.clear();
                });
            }
            wg.await();
        });
        m.clear();
        AtomicInteger n = new AtomicInteger();
        m.range((k, v) -> {
            n.incrementAndGet();
            return true;
        });
        assertThat(n.get()).isZero();
    }

    /** Go's TestMapClearNoAllocations' behaviour and clear of a promoted / amended map. */
    @ParameterizedTest
    @EnumSource(Design.class)
    void clearThenReuse(Design d) {
        SyncMap<String, Integer> m = d.make();
        m.store("a", 1);
        m.range((k, v) -> true); // promote
        m.store("b", 2); // amended
        m.clear();
        assertThat(m.loadOk("a").loaded()).isFalse();
        assertThat(m.loadOk("b").loaded()).isFalse();
        m.store("c", 3);
        assertThat(m.load("c")).isEqualTo(3);
        assertThat(m.toString()).isEqualTo("SyncMap{c=3}");
    }

    /** Go's TestCompareAndSwap_NonExistingKey. */
    @ParameterizedTest
    @EnumSource(Design.class)
    void compareAndSwapNonExistingKey(Design d) {
        SyncMap<Object, Object> m = d.make();
        assertThat(m.compareAndSwap(m, null, 42)).as("CompareAndSwap on a non-existing key succeeded").isFalse();
        assertThat(m.compareAndDelete(m, null)).isFalse();
    }

    /** Go's TestMapRangeNestedCall: Range's f may call every method of the map. */
    @ParameterizedTest
    @EnumSource(Design.class)
    void rangeNestedCall(Design d) {
        SyncMap<Integer, String> m = d.make();
        for (int i = 0; i < 3; i++) {
            m.store(i, "v" + i);
        }
        m.range((key, value) -> {
            m.range((k, v) -> {
                // We should be able to load the key offered in the Range callback,
                // because there are no concurrent Delete involved in this tested map.
                assertThat(m.loadOk(k)).isEqualTo(new SyncMap.Loaded<>(v, true));
                // We didn't keep 42 and a value into the map before, if somehow we loaded
                // a value from such a key, meaning there must be an internal bug regarding
                // nested range in the Map.
                assertThat(m.loadOrStore(42, "dummy").loaded()).isFalse();
                // Try to Store then LoadAndDelete the corresponding value with the key
                // 42 to the Map. In this case, the key 42 and associated value should be
                // removed from the Map. Therefore any future range won't observe key 42
                // as we checked in above.
                m.store(42, "42");
                assertThat(m.loadAndDelete(42)).isEqualTo(new SyncMap.Loaded<>("42", true));
                return true;
            });
            // Remove key from Map on-the-fly.
            m.delete(key);
            return true;
        });
        // After a Range of Delete, all keys should be removed and any further Range won't invoke the callback.
        AtomicInteger length = new AtomicInteger();
        m.range((k, v) -> {
            length.incrementAndGet();
            return true;
        });
        assertThat(length.get()).isZero();
    }

    /** Range stops when f returns false; null keys and values are supported. */
    @ParameterizedTest
    @EnumSource(Design.class)
    void rangeStopsAndNulls(Design d) {
        SyncMap<Integer, Integer> m = d.make();
        for (int i = 0; i < 10; i++) {
            m.store(i, i);
        }
        List<Integer> seen = new ArrayList<>();
        m.range((k, v) -> {
            seen.add(k);
            return seen.size() < 3;
        });
        assertThat(seen).hasSize(3);
        m.store(null, null);
        assertThat(m.loadOk(null)).isEqualTo(new SyncMap.Loaded<>(null, true));
        assertThat(m.compareAndSwap(null, null, 5)).isTrue();
        assertThat(m.load(null)).isEqualTo(5);
    }

    /** Hot keys become lock-free: after enough misses the dirty map is promoted and loads need no lock. */
    @ParameterizedTest
    @EnumSource(Design.class)
    void missesPromoteDirty(Design d) {
        SyncMap<Integer, Integer> m = d.make();
        for (int i = 0; i < 8; i++) {
            m.store(i, i);
        }
        for (int round = 0; round < 16; round++) {
            for (int i = 0; i < 8; i++) {
                assertThat(m.load(i)).isEqualTo(i);
            }
        }
        // Concurrent hammer: readers and writers on disjoint keys keep values exact.
        Go.run(() -> {
            WaitGroup wg = new WaitGroup();
            for (int g = 0; g < 4; g++) {
                int base = g * 1000;
                wg.go(() -> {
                    for (int i = 0; i < 2000; i++) {
                        int k = base + (i % 100);
                        m.store(k, i);
                        assertThat(m.load(k)).isEqualTo(i);
                    }
                });
            }
            wg.await();
        });
    }
}
