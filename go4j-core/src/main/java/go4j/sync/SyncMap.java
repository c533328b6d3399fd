package go4j.sync;

import go4j.internal.sync.HashTrieMap;
import go4j.internal.sync.ReadDirtyMap;
import go4j.internal.sync.SyncMapImpl;

import java.util.function.BiPredicate;

/**
 * Go's {@code sync.Map}: a concurrent map for keys that are written once and read many times, or for goroutines
 * that read, write and overwrite disjoint sets of keys. Null keys and null values are allowed (Go's nil).
 *
 * <h2>Two mechanisms</h2>
 * <ul>
 *   <li><b>read/dirty</b> (default; Go up to 1.23, {@code sync/map.go}): a read-only map read without locking
 *       plus a dirty map under one mutex, promoted after enough misses; storing to an existing key is a lock-free
 *       CAS, but every new key takes the map-wide mutex and periodically copies the whole map.</li>
 *   <li><b>hash-trie</b> (Go 1.24+, {@code internal/sync/hashtriemap.go}): a concurrent hash-trie of 16-way
 *       nodes; loads are lock-free, each mutation locks one trie node, so writers of different keys rarely contend
 *       and inserting or deleting keys never copies the map.</li>
 * </ul>
 * {@code new SyncMap<>()} builds the read/dirty map unless the system property {@code go4j.syncmap} says
 * {@code hashtrie} (read once, when this class initialises; {@code readdirty} is the other accepted value). On
 * the JVM the hash-trie measured slower for loads and for inserting many new keys, faster for delete-heavy and
 * adversarial workloads (docs/sync.md has the figures and when to pick which, or
 * {@link java.util.concurrent.ConcurrentHashMap}). Both keep exactly the contract below.
 *
 * <h2>Memory model (Go's)</h2>
 * A write operation happens before any read operation that observes its effect. {@code load},
 * {@code loadAndDelete}, {@code loadOrStore}, {@code swap}, {@code compareAndSwap} and {@code compareAndDelete}
 * are reads; {@code delete}, {@code loadAndDelete}, {@code store} and {@code swap} are writes;
 * {@code loadOrStore} is a write when it stores, {@code compareAndSwap}/{@code compareAndDelete} when they
 * succeed.
 *
 * <p>Equality of keys and of values (for {@code compareAndSwap}/{@code compareAndDelete}) is {@code equals}, as
 * Go's {@code ==} on comparable interface values; keys must keep {@code hashCode} consistent with {@code equals}.
 * Nothing here blocks for long: mutations hold an internal {@link Mutex} (shown as {@code sync.Mutex.Lock} while
 * contended) only for a few memory operations and the key comparisons.
 */
public class SyncMap<K, V> {
    /** The design {@code new SyncMap<>()} uses: the system property {@code go4j.syncmap}, else read/dirty. */
    static final String DESIGN = design(System.getProperty("go4j.syncmap"));

    static String design(String p) {
        if (p == null || p.equals("readdirty")) {
            return "readdirty";
        }
        if (p.equals("hashtrie")) {
            return "hashtrie";
        }
        throw new IllegalArgumentException("go4j.syncmap=" + p + ": want hashtrie or readdirty");
    }

    /** What a {@code (value, ok)} operation returns: Go's second result is {@link #loaded()}. */
    public record Loaded<V>(V value, boolean loaded) {}

    /** The mechanism (immutable choice per map). */
    private final SyncMapImpl<K, V> m;

    /** An empty map (Go's zero {@code sync.Map}), of the default design (see the class comment). */
    public SyncMap() {
        this(DESIGN.equals("hashtrie") ? new HashTrieMap<>() : new ReadDirtyMap<>());
    }

    /** A map on the given mechanism: tests and the benchmarks' choice of design. */
    SyncMap(SyncMapImpl<K, V> m) {
        this.m = m;
    }

    /** The value stored for {@code key}, or null if none (use {@link #loadOk} to tell a stored null apart). */
    public V load(K key) {
        return m.load(key);
    }

    /** Go's {@code value, ok := m.Load(key)}. */
    public Loaded<V> loadOk(K key) {
        return m.loadOk(key);
    }

    /** Sets the value for a key. */
    public void store(K key, V value) {
        m.store(key, value);
    }

    /** Deletes all the keys (Go 1.23). */
    public void clear() {
        m.clear();
    }

    /**
     * Returns the existing value for the key if present ({@code loaded == true}); otherwise stores and returns
     * the given value ({@code loaded == false}).
     */
    public Loaded<V> loadOrStore(K key, V value) {
        return m.loadOrStore(key, value);
    }

    /** Deletes the value for a key, returning the previous value if any ({@code loaded} = it was present). */
    public Loaded<V> loadAndDelete(K key) {
        return m.loadAndDelete(key);
    }

    /** Deletes the value for a key. */
    public void delete(K key) {
        m.delete(key);
    }

    /** Swaps the value for a key and returns the previous value if any ({@code loaded} = it was present). */
    public Loaded<V> swap(K key, V value) {
        return m.swap(key, value);
    }

    /** Swaps in {@code neu} if the value stored for key equals {@code old}; false if absent or different. */
    public boolean compareAndSwap(K key, V old, V neu) {
        return m.compareAndSwap(key, old, neu);
    }

    /**
     * Deletes the entry for key if its value equals {@code old}. Returns false if there is no value for key
     * (even if {@code old} is null).
     */
    public boolean compareAndDelete(K key, V old) {
        return m.compareAndDelete(key, old);
    }

    /**
     * Calls {@code f} sequentially for each key and value present; stops when {@code f} returns false.
     *
     * <p>Not a consistent snapshot: no key is visited more than once, but a value stored or deleted concurrently
     * (also by {@code f}) may be reflected as any mapping from any point during the call. Does not block other
     * operations; {@code f} may call any method on this map. The read/dirty design is O(n) even if {@code f} stops
     * early (an amended map is promoted first, as in Go up to 1.23); the hash-trie walks only as far as {@code f}
     * goes.
     */
    public void range(BiPredicate<? super K, ? super V> f) {
        m.range(f);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SyncMap{");
        boolean[] first = {true};
        range((k, v) -> {
            if (!first[0]) {
                sb.append(", ");
            }
            first[0] = false;
            sb.append(k).append('=').append(v);
            return true;
        });
        return sb.append('}').toString();
    }
}
