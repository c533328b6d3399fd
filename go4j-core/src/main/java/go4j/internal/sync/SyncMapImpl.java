package go4j.internal.sync;

import go4j.sync.SyncMap;
import go4j.sync.SyncMap.Loaded;

import java.util.function.BiPredicate;

/**
 * The mechanism behind a {@link SyncMap}: Go's {@code sync.Map} operations with the contract documented on
 * {@link SyncMap} (null keys and values allowed, keys and values compared with {@code equals}, Go's memory-model
 * wording, {@code range} visits no key twice and tolerates any concurrent change). Two implementations:
 * {@link HashTrieMap} (Go 1.24+) and {@link ReadDirtyMap} (Go up to 1.23). {@link SyncMap} delegates to one of them.
 */
public interface SyncMapImpl<K, V> {
    /** The shared "absent" result (Go's {@code nil, false}). */
    Loaded<?> ABSENT = new Loaded<>(null, false);

    @SuppressWarnings("unchecked")
    static <V> Loaded<V> absent() {
        return (Loaded<V>) ABSENT;
    }

    V load(K key);

    Loaded<V> loadOk(K key);

    void store(K key, V value);

    Loaded<V> loadOrStore(K key, V value);

    Loaded<V> loadAndDelete(K key);

    void delete(K key);

    Loaded<V> swap(K key, V value);

    boolean compareAndSwap(K key, V old, V neu);

    boolean compareAndDelete(K key, V old);

    void range(BiPredicate<? super K, ? super V> f);

    void clear();
}
