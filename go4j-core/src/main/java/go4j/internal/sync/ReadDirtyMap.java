package go4j.internal.sync;

import go4j.sync.Mutex;
import go4j.sync.SyncMap;
import go4j.sync.SyncMap.Loaded;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Go's {@code sync.Map} as built up to Go 1.23 ({@code sync/map.go}): a read-only map read without locking, a dirty
 * map under a {@link Mutex}, per-key entries updated by CAS, and a miss counter that promotes the dirty map. One of
 * the two mechanisms behind {@link SyncMap} and its default (the other is {@link HashTrieMap}, Go 1.24's, selected
 * with {@code -Dgo4j.syncmap=hashtrie}). Null keys and null values are allowed (Go's nil).
 *
 * <h2>Invariants (Go's)</h2>
 * <ul>
 *   <li>{@link #read} (a {@link ReadOnly}, immutable once published, loaded with acquire) holds the part of the
 *       contents safe to access without {@link #mu}; it is replaced only with {@code mu} held. Its entries may be
 *       updated without {@code mu}, except that an <em>expunged</em> entry must first be copied to {@link #dirty}
 *       and unexpunged under {@code mu}.</li>
 *   <li>{@link #dirty} (guarded by {@code mu}) holds every key that needs {@code mu}, plus all non-expunged entries
 *       of {@code read.m}, so that it can be promoted to the read map in O(1). It is null after a promotion until
 *       the next write of a new key, which copies the non-deleted read entries into a fresh dirty map, marking
 *       deleted ones expunged.</li>
 *   <li>{@code read.amended} is true iff {@code dirty} holds some key not in {@code read.m}.</li>
 *   <li>An entry's {@link Entry#p} is: null — deleted, and {@code dirty == null} or {@code dirty[key] == e};
 *       {@link #EXPUNGED} — deleted, {@code dirty != null} and the key is absent from {@code dirty}; {@link #NIL} —
 *       the stored value is null; otherwise the value.</li>
 *   <li>{@link #misses} (under {@code mu}) counts loads that had to lock since the last promotion; once it reaches
 *       {@code dirty.size()}, the dirty map is promoted.</li>
 * </ul>
 *
 * <p>Cost model (Go's): a load of a key in the read map is lock-free (an acquire load of the read map, a
 * {@code HashMap.get}, an acquire load of the entry); storing to an existing key is a CAS; every write of a
 * <em>new</em> key takes {@code mu}, and the first one after a promotion copies the whole read map. Keys that keep
 * changing (Go's LoadOrStoreUnique, AdversarialAlloc/Delete) therefore keep the map on its slow path.
 */
public final class ReadDirtyMap<K, V> implements SyncMapImpl<K, V> {
    /** Marks an entry deleted and absent from the dirty map (Go's {@code expunged}). */
    private static final Object EXPUNGED = new Object() {
        @Override
        public String toString() {
            return "expunged";
        }
    };
    /** Stands for a stored null value (Go stores a pointer to a nil interface). */
    private static final Object NIL = new Object() {
        @Override
        public String toString() {
            return "nil";
        }
    };
    private static final VarHandle READ;
    private static final VarHandle P;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            READ = l.findVarHandle(ReadDirtyMap.class, "read", ReadOnly.class);
            P = l.findVarHandle(Entry.class, "p", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Go's {@code readOnly}: immutable once stored in {@link #read}. */
    private record ReadOnly(Map<Object, Entry> m, boolean amended) {
        static final ReadOnly EMPTY = new ReadOnly(Map.of(), false);
    }

    /** A slot for one key (Go's {@code entry}); see the class comment for the meaning of {@link #p}. */
    private static final class Entry {
        @SuppressWarnings("unused")
        volatile Object p;

        Entry(Object v) {
            P.setRelease(this, wrap(v));
        }

        Object loadRaw() {
            return P.getAcquire(this);
        }

        /** Boxed result: null if deleted/expunged, else the wrapped value (NIL for null). */
        Object load() {
            Object p = loadRaw();
            return p == null || p == EXPUNGED ? null : p;
        }

        /** Go's {@code tryCompareAndSwap}: false if absent, expunged or not equal to old. */
        boolean tryCompareAndSwap(Object old, Object neu) {
            Object p = loadRaw();
            Object w = wrap(neu);
            while (true) {
                if (p == null || p == EXPUNGED || !Objects.equals(unwrap(p), old)) {
                    return false;
                }
                if (P.compareAndSet(this, p, w)) {
                    return true;
                }
                p = loadRaw();
            }
        }

        /** Go's {@code unexpungeLocked}: true if the entry was expunged (it must be added to dirty). */
        boolean unexpungeLocked() {
            return P.compareAndSet(this, EXPUNGED, null);
        }

        /** Go's {@code swapLocked}: the entry must not be expunged. Returns the previous raw p. */
        Object swapLocked(Object wrapped) {
            return P.getAndSet(this, wrapped);
        }

        /**
         * Go's {@code tryLoadOrStore}: null if expunged (unchanged); else a Loaded (loaded=true with the present
         * value, or loaded=false after storing v).
         */
        <V> Loaded<V> tryLoadOrStore(V v) {
            Object p = loadRaw();
            if (p == EXPUNGED) {
                return null;
            }
            if (p != null) {
                return new Loaded<>(unwrapCast(p), true);
            }
            Object w = wrap(v);
            while (true) {
                if (P.compareAndSet(this, null, w)) {
                    return new Loaded<>(v, false);
                }
                p = loadRaw();
                if (p == EXPUNGED) {
                    return null;
                }
                if (p != null) {
                    return new Loaded<>(unwrapCast(p), true);
                }
            }
        }

        /** Go's {@code entry.delete}: the deleted raw value, or null if there was none. */
        Object delete() {
            while (true) {
                Object p = loadRaw();
                if (p == null || p == EXPUNGED) {
                    return null;
                }
                if (P.compareAndSet(this, p, null)) {
                    return p;
                }
            }
        }

        /** Go's {@code trySwap}: EXPUNGED if expunged (unchanged), else the previous raw p (null if deleted). */
        Object trySwap(Object wrapped) {
            while (true) {
                Object p = loadRaw();
                if (p == EXPUNGED) {
                    return EXPUNGED;
                }
                if (P.compareAndSet(this, p, wrapped)) {
                    return p;
                }
            }
        }

        /** Go's {@code tryExpungeLocked}: marks a deleted entry expunged; true if it is (now) expunged. */
        boolean tryExpungeLocked() {
            Object p = loadRaw();
            while (p == null) {
                if (P.compareAndSet(this, null, EXPUNGED)) {
                    return true;
                }
                p = loadRaw();
            }
            return p == EXPUNGED;
        }
    }

    private final Mutex mu = new Mutex();
    /** The lock-free part; see invariants. Stored only with mu held. */
    @SuppressWarnings("unused")
    private volatile ReadOnly read = ReadOnly.EMPTY;
    /** Guarded by mu. */
    private HashMap<Object, Entry> dirty;
    /** Guarded by mu. */
    private int misses;

    /** An empty map (Go's zero {@code sync.Map}). */
    public ReadDirtyMap() {}

    private ReadOnly loadReadOnly() {
        return (ReadOnly) READ.getAcquire(this);
    }

    private static Object wrap(Object v) {
        return v == null ? NIL : v;
    }

    private static Object unwrap(Object p) {
        return p == NIL ? null : p;
    }

    @SuppressWarnings("unchecked")
    private static <V> V unwrapCast(Object p) {
        return p == NIL ? null : (V) p;
    }

    /** The value stored for {@code key}, or null if none (use {@link #loadOk} to tell a stored null apart). */
    @Override
    public V load(K key) {
        Entry e = entryForLoad(key);
        return e == null ? null : unwrapCast(e.load());
    }

    /** Go's {@code value, ok := m.Load(key)}. */
    @Override
    public Loaded<V> loadOk(K key) {
        Entry e = entryForLoad(key);
        if (e == null) {
            return SyncMapImpl.absent();
        }
        Object p = e.load();
        return p == null ? SyncMapImpl.absent() : new Loaded<>(unwrapCast(p), true);
    }

    private Entry entryForLoad(Object key) {
        return entry(key, false);
    }

    /**
     * The entry for key: from the read-only map, else (if amended) from dirty under mu — removed from dirty when
     * {@code removeFromDirty} (Go's LoadAndDelete) — recording a miss. Go's shared lookup of Load/LoadAndDelete.
     */
    private Entry entry(Object key, boolean removeFromDirty) {
        ReadOnly read = loadReadOnly();
        Entry e = read.m.get(key);
        if (e == null && read.amended) {
            mu.lock();
            try {
                // Avoid reporting a spurious miss if dirty got promoted while we were blocked on mu.
                read = loadReadOnly();
                e = read.m.get(key);
                if (e == null && read.amended) {
                    e = removeFromDirty ? dirty.remove(key) : dirty.get(key);
                    // Record a miss whether or not the entry was present: this key takes the slow path until the
                    // dirty map is promoted.
                    missLocked();
                }
            } finally {
                mu.unlock();
            }
        }
        return e;
    }

    /** Sets the value for a key. */
    @Override
    public void store(K key, V value) {
        swap(key, value);
    }

    /** Deletes all the keys (Go 1.23). */
    @Override
    public void clear() {
        ReadOnly read = loadReadOnly();
        if (read.m.isEmpty() && !read.amended) {
            return; // avoid allocating if already empty and not amended
        }
        mu.lock();
        try {
            READ.setRelease(this, ReadOnly.EMPTY);
            if (dirty != null) {
                dirty.clear();
            }
            misses = 0; // don't immediately promote the newly cleared dirty map on the next operation
        } finally {
            mu.unlock();
        }
    }

    /**
     * Returns the existing value for the key if present ({@code loaded == true}); otherwise stores and returns
     * the given value ({@code loaded == false}).
     */
    @Override
    public Loaded<V> loadOrStore(K key, V value) {
        // Avoid locking if it's a clean hit.
        ReadOnly read = loadReadOnly();
        Entry e = read.m.get(key);
        if (e != null) {
            Loaded<V> r = e.tryLoadOrStore(value);
            if (r != null) {
                return r;
            }
        }
        mu.lock();
        try {
            read = loadReadOnly();
            if ((e = read.m.get(key)) != null) {
                if (e.unexpungeLocked()) {
                    dirty.put(key, e);
                }
                return e.tryLoadOrStore(value);
            } else if ((e = dirty == null ? null : dirty.get(key)) != null) {
                Loaded<V> r = e.tryLoadOrStore(value);
                missLocked();
                return r;
            } else {
                if (!read.amended) {
                    // Adding the first new key to the dirty map: make sure it exists and mark read incomplete.
                    dirtyLocked();
                    READ.setRelease(this, new ReadOnly(read.m, true));
                }
                dirty.put(key, new Entry(value));
                return new Loaded<>(value, false);
            }
        } finally {
            mu.unlock();
        }
    }

    /** Deletes the value for a key, returning the previous value if any ({@code loaded} = it was present). */
    @Override
    public Loaded<V> loadAndDelete(K key) {
        Entry e = entry(key, true);
        if (e != null) {
            Object p = e.delete();
            if (p != null) {
                return new Loaded<>(unwrapCast(p), true);
            }
        }
        return SyncMapImpl.absent();
    }

    /** Deletes the value for a key. */
    @Override
    public void delete(K key) {
        Entry e = entry(key, true);
        if (e != null) {
            e.delete();
        }
    }

    /** Swaps the value for a key and returns the previous value if any ({@code loaded} = it was present). */
    @Override
    public Loaded<V> swap(K key, V value) {
        Object w = wrap(value);
        ReadOnly read = loadReadOnly();
        Entry e = read.m.get(key);
        if (e != null) {
            Object prev = e.trySwap(w);
            if (prev != EXPUNGED) {
                return prev == null ? SyncMapImpl.absent() : new Loaded<>(unwrapCast(prev), true);
            }
        }
        mu.lock();
        try {
            read = loadReadOnly();
            Object prev = null;
            if ((e = read.m.get(key)) != null) {
                if (e.unexpungeLocked()) {
                    // Previously expunged: dirty is non-null and does not hold this entry.
                    dirty.put(key, e);
                }
                prev = e.swapLocked(w);
            } else if ((e = dirty == null ? null : dirty.get(key)) != null) {
                prev = e.swapLocked(w);
            } else {
                if (!read.amended) {
                    dirtyLocked();
                    READ.setRelease(this, new ReadOnly(read.m, true));
                }
                dirty.put(key, new Entry(value));
            }
            return prev == null ? SyncMapImpl.absent() : new Loaded<>(unwrapCast(prev), true);
        } finally {
            mu.unlock();
        }
    }

    /** Swaps in {@code neu} if the value stored for key equals {@code old}; false if absent or different. */
    @Override
    public boolean compareAndSwap(K key, V old, V neu) {
        ReadOnly read = loadReadOnly();
        Entry e = read.m.get(key);
        if (e != null) {
            return e.tryCompareAndSwap(old, neu);
        } else if (!read.amended) {
            return false; // no existing value for key
        }
        mu.lock();
        try {
            read = loadReadOnly();
            if ((e = read.m.get(key)) != null) {
                return e.tryCompareAndSwap(old, neu);
            } else if (dirty != null && (e = dirty.get(key)) != null) {
                // (dirty may have been promoted while we waited for mu: Go's nil-map lookup yields nothing.)
                boolean swapped = e.tryCompareAndSwap(old, neu);
                // The key set did not change, but we had to lock to find the entry: count a miss so that the
                // map eventually reaches the efficient steady state.
                missLocked();
                return swapped;
            }
            return false;
        } finally {
            mu.unlock();
        }
    }

    /**
     * Deletes the entry for key if its value equals {@code old}. Returns false if there is no value for key
     * (even if {@code old} is null).
     */
    @Override
    public boolean compareAndDelete(K key, V old) {
        ReadOnly read = loadReadOnly();
        Entry e = read.m.get(key);
        if (e == null && read.amended) {
            mu.lock();
            try {
                read = loadReadOnly();
                e = read.m.get(key);
                if (e == null && read.amended) {
                    // Don't delete key from dirty: the "compare" part is still to do. The entry is expunged when
                    // dirty is next promoted and copied.
                    e = dirty.get(key);
                    missLocked();
                }
            } finally {
                mu.unlock();
            }
        }
        while (e != null) {
            Object p = e.loadRaw();
            if (p == null || p == EXPUNGED || !Objects.equals(unwrap(p), old)) {
                return false;
            }
            if (P.compareAndSet(e, p, null)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Calls {@code f} sequentially for each key and value present; stops when {@code f} returns false.
     *
     * <p>Not a consistent snapshot: no key is visited more than once, but a value stored or deleted concurrently
     * (also by {@code f}) may be reflected as any mapping from any point during the call. Does not block other
     * operations; {@code f} may call any method on this map. O(n) even if {@code f} stops early (an amended map
     * is promoted first, as in Go).
     */
    @Override
    public void range(BiPredicate<? super K, ? super V> f) {
        // Iterate over all keys present at the start: if read is amended, promote the dirty map now (range is
        // O(n) anyway, so it amortises the copy).
        ReadOnly read = loadReadOnly();
        if (read.amended) {
            mu.lock();
            try {
                read = loadReadOnly();
                if (read.amended) {
                    read = new ReadOnly(dirty, false);
                    READ.setRelease(this, read);
                    dirty = null;
                    misses = 0;
                }
            } finally {
                mu.unlock();
            }
        }
        for (Map.Entry<Object, Entry> me : read.m.entrySet()) {
            Object p = me.getValue().load();
            if (p == null) {
                continue;
            }
            @SuppressWarnings("unchecked")
            K k = (K) me.getKey();
            if (!f.test(k, unwrapCast(p))) {
                break;
            }
        }
    }

    /** Requires mu. */
    private void missLocked() {
        misses++;
        if (misses < dirty.size()) {
            return;
        }
        READ.setRelease(this, new ReadOnly(dirty, false));
        dirty = null;
        misses = 0;
    }

    /** Requires mu. Creates the dirty map from the read map if needed, expunging deleted entries. */
    private void dirtyLocked() {
        if (dirty != null) {
            return;
        }
        ReadOnly read = loadReadOnly();
        HashMap<Object, Entry> d = HashMap.newHashMap(read.m.size());
        for (Map.Entry<Object, Entry> me : read.m.entrySet()) {
            if (!me.getValue().tryExpungeLocked()) {
                d.put(me.getKey(), me.getValue());
            }
        }
        dirty = d;
    }
}
