package go4j.internal.sync;

import go4j.Panic;
import go4j.sync.Mutex;
import go4j.sync.SyncMap;
import go4j.sync.SyncMap.Loaded;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiPredicate;
import java.util.function.ToLongFunction;

/**
 * Go 1.24's {@code sync.Map}: a concurrent hash-trie ({@code internal/sync/hashtriemap.go}). Loads are lock-free;
 * a mutation locks the one internal node whose child slot it changes. One of the two mechanisms behind
 * {@link SyncMap}: select it with {@code -Dgo4j.syncmap=hashtrie} (the default is {@link ReadDirtyMap}, Go up to
 * 1.23, which measured faster for loads on the JVM; see docs/sync.md).
 *
 * <h2>Structure</h2>
 * Every key has a 64-bit hash; the trie consumes it four bits at a time from the top (Go's {@code hashShift} going
 * from 64 down to 0), so it is at most 16 levels deep. Nodes are:
 * <ul>
 *   <li><em>Indirect</em> nodes (Go's {@code indirect}): an {@code Object[17]} whose elements 0..15 are the child
 *       slots — each null, an {@link Entry} (chain) or another indirect node — and whose element {@link #META} is
 *       its {@link Meta}: Go's {@code mu}, {@code dead} and {@code parent}. (An array rather than an object holding
 *       an array: a load then follows one reference per level, as Go's inline {@code children} array does.)</li>
 *   <li><em>Entries</em> (Go's {@code entry}): an immutable key, value and hash, plus an {@code overflow} link to
 *       further entries whose <em>full</em> 64-bit hash is the same.</li>
 * </ul>
 *
 * <h2>Invariants</h2>
 * <ol>
 *   <li>A child slot of indirect node {@code i}, and every overflow link of a chain hanging from one of those slots,
 *       is written only by a holder of {@code i}'s mutex ({@link Meta}), with a release store; everyone reads them
 *       with acquire loads.</li>
 *   <li>An entry never changes once published, except its overflow link (1). Changing a value publishes a new entry
 *       in place of the old one (copy on write), so whoever holds an entry sees a consistent key/value pair.</li>
 *   <li>The entry for a key with hash {@code h}, if any, is in the chain found by following {@code h}'s 4-bit digits
 *       from the root until a slot holds null or an entry; all entries of one chain have the same full hash. There
 *       is at most one entry per key (keys compared with {@code equals}).</li>
 *   <li>A new subtree ({@link #expand}) or a new chain head is built completely before the single release store
 *       that publishes it: a reader never sees an existing key missing.</li>
 *   <li>An indirect node other than the root is linked from its parent's slot iff its {@code dead} flag is false;
 *       {@code dead} is set, with both the node's and the parent's mutex held, exactly when an emptied node is
 *       pruned. A mutator that locked a node re-checks {@code dead} and its slot, and restarts from the root if the
 *       node was pruned or the slot became an indirect node meanwhile.</li>
 *   <li>Lock order: a child's mutex before its parent's. Only pruning holds two (it climbs); every other operation
 *       holds one, so there is no deadlock.</li>
 *   <li>{@link #root} is never null and is replaced only by {@link #clear}; an operation still working in the old
 *       tree linearizes before the clear.</li>
 * </ol>
 *
 * <h2>Linearization points</h2>
 * A load: the acquire read of the slot or overflow link that yields its entry, or null (nothing else can make a key
 * visible or invisible: (2), (4)). A mutation: the release store of the slot or link it changes, made under the
 * mutex after re-checking what it read without the lock; a failed compareAndSwap / compareAndDelete / loadAndDelete
 * that found no matching entry without locking: that read.
 *
 * <h2>Hashing (differs from Go, on purpose)</h2>
 * Go hashes the key's bytes with the runtime's AES/wyhash hasher seeded per map. Java keys bring a 32-bit
 * {@code hashCode()} that is often poor (small integers hash to themselves, strings differ in low bits). A trie that
 * consumes the top bits first would degenerate on such codes, so each map draws a random 64-bit seed
 * ({@link ThreadLocalRandom}) and spreads {@code hashCode() ^ seed} with the SplitMix64 / Stafford "Mix13" finalizer
 * (two multiplies, full avalanche, a bijection of 64-bit values). Being a bijection, it maps distinct hash codes to
 * distinct 64-bit hashes, so <em>full-hash collisions happen exactly when two keys have equal {@code hashCode()}s</em>
 * (a chain, searched linearly with {@code equals}); the seed makes the trie's shape unpredictable from outside, as
 * Go's per-map seed does. Entries cache their hash (Go recomputes it; here it would call user code under a lock).
 *
 * <p>Keys are compared with {@code equals} (Go: {@code ==} on comparable values); values, for compareAndSwap and
 * compareAndDelete, with {@link Objects#equals} (stored value's {@code equals}). Null keys (hash code 0) and null
 * values are allowed. A swap keeps the key object already stored (as {@link ReadDirtyMap} and {@code HashMap} do).
 */
public final class HashTrieMap<K, V> implements SyncMapImpl<K, V> {
    /** 16 children per indirect node: Go measured it as the sweet spot for loads. */
    static final int N_CHILDREN_LOG2 = 4;
    static final int N_CHILDREN = 1 << N_CHILDREN_LOG2;
    static final int N_CHILDREN_MASK = N_CHILDREN - 1;
    /** Index of an indirect node's {@link Meta} in its array. */
    static final int META = N_CHILDREN;
    /** Bits in a hash: the starting {@code shift} (Go's {@code 8 * goarch.PtrSize}). */
    static final int HASH_BITS = 64;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final VarHandle OVERFLOW;
    private static final VarHandle ROOT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            OVERFLOW = l.findVarHandle(Entry.class, "overflow", Entry.class);
            ROOT = l.findVarHandle(HashTrieMap.class, "root", Object[].class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /**
     * An indirect node's bookkeeping: the mutex (Go's {@code indirect.mu}) that protects mutation of the node's
     * children and of the chains hanging from them (invariant 1), and the node's place in the trie.
     */
    static final class Meta extends Mutex {
        /** The parent indirect node; null for the root. */
        final Object[] parent;
        /** Unlinked from the parent (invariant 5). Guarded by this mutex (also written with the parent's held). */
        boolean dead;

        Meta(Object[] parent) {
            this.parent = parent;
        }
    }

    /** A leaf (Go's {@code entry}): immutable but for {@link #overflow} (invariants 1, 2). */
    static final class Entry {
        final long hash;
        final Object key;
        final Object value;
        /** Next entry with the same full hash. Accessed through {@link #OVERFLOW}: acquire / release. */
        @SuppressWarnings("unused")
        private Entry overflow;

        /** {@code next} is set before the entry is published, so a plain write is enough. */
        Entry(long hash, Object key, Object value, Entry next) {
            this.hash = hash;
            this.key = key;
            this.value = value;
            this.overflow = next;
        }

        Entry next() {
            return (Entry) OVERFLOW.getAcquire(this);
        }

        /** Requires the mutex of the indirect node this chain hangs from. */
        void setNext(Entry e) {
            OVERFLOW.setRelease(this, e);
        }

        boolean matches(Object k, long h) {
            return hash == h && (key == k || (k != null && k.equals(key)));
        }

        /**
         * Go's {@code lookup} / {@code lookupWithValue}: the entry of this chain for key {@code k} (hash {@code h}),
         * with a value equal to {@code v} if {@code checkValue}; null if none.
         */
        Entry lookup(Object k, long h, boolean checkValue, Object v) {
            for (Entry e = this; e != null; e = e.next()) {
                if (e.matches(k, h) && (!checkValue || Objects.equals(e.value, v))) {
                    return e;
                }
            }
            return null;
        }
    }

    /** Per-map hash seed (Go's {@code seed}). */
    private final long seed;
    /** Test hook: when non-null, the key's full hash (not mixed); see {@link #withHashFunction}. */
    private final ToLongFunction<Object> hashFunction;
    /** The root indirect node; never null; replaced only by {@link #clear}. Read with acquire. */
    @SuppressWarnings("unused")
    private volatile Object[] root;

    /** An empty map with a fresh random seed (Go's zero {@code sync.Map}). */
    public HashTrieMap() {
        this(null);
    }

    private HashTrieMap(ToLongFunction<Object> hashFunction) {
        this.seed = ThreadLocalRandom.current().nextLong();
        this.hashFunction = hashFunction;
        this.root = newIndirect(null);
    }

    /**
     * For tests (Go's {@code NewBadHashTrieMap} / {@code NewTruncHashTrieMap}): a map whose 64-bit key hashes are
     * {@code hash} itself, unmixed, so tests can force full-hash collisions (overflow chains) and near collisions
     * (deep tries).
     */
    public static <K, V> HashTrieMap<K, V> withHashFunction(ToLongFunction<Object> hash) {
        return new HashTrieMap<>(Objects.requireNonNull(hash));
    }

    private static Object[] newIndirect(Object[] parent) {
        Object[] i = new Object[N_CHILDREN + 1];
        i[META] = new Meta(parent);
        return i;
    }

    private static Meta meta(Object[] i) {
        return (Meta) i[META];
    }

    private static int index(long hash, int shift) {
        return (int) (hash >>> shift) & N_CHILDREN_MASK;
    }

    private Object[] root() {
        return (Object[]) ROOT.getAcquire(this);
    }

    /** The key's 64-bit hash: see the class comment. */
    long hash(Object key) {
        ToLongFunction<Object> f = hashFunction;
        if (f != null) {
            return f.applyAsLong(key);
        }
        return mix(seed ^ (key == null ? 0 : key.hashCode() & 0xFFFF_FFFFL));
    }

    /** SplitMix64's finalizer (Stafford's Mix13): a bijection on 64-bit values with full avalanche. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
        return z ^ (z >>> 31);
    }

    private static Panic ranOutOfHashBits(String doing) {
        return new Panic("internal/sync.HashTrieMap: ran out of hash bits while " + doing);
    }

    @SuppressWarnings("unchecked")
    private static <V> Loaded<V> loaded(Entry e) {
        return new Loaded<>((V) e.value, true);
    }

    // ------------------------------------------------------------------------------------------------ loads

    /** Go's {@code Load}: lock-free; see the linearization points in the class comment. */
    private Entry find(Object key) {
        long hash = hash(key);
        Object[] i = root();
        for (int shift = HASH_BITS - N_CHILDREN_LOG2; shift >= 0; shift -= N_CHILDREN_LOG2) {
            Object n = SLOT.getAcquire(i, index(hash, shift));
            if (n == null) {
                return null;
            }
            if (n instanceof Entry e) {
                return e.lookup(key, hash, false, null);
            }
            i = (Object[]) n;
        }
        throw ranOutOfHashBits("iterating");
    }

    @Override
    @SuppressWarnings("unchecked")
    public V load(K key) {
        Entry e = find(key);
        return e == null ? null : (V) e.value;
    }

    @Override
    public Loaded<V> loadOk(K key) {
        Entry e = find(key);
        return e == null ? SyncMapImpl.absent() : loaded(e);
    }

    // ------------------------------------------------------------------------------------------------ inserts

    @Override
    public Loaded<V> loadOrStore(K key, V value) {
        long hash = hash(key);
        Object[] i;
        int shift;
        int slot;
        Object n;
        Meta mu;
        while (true) {
            // Find the key or a candidate location for insertion.
            i = root();
            shift = HASH_BITS;
            while (true) {
                if (shift == 0) {
                    throw ranOutOfHashBits("iterating");
                }
                shift -= N_CHILDREN_LOG2;
                slot = index(hash, shift);
                n = SLOT.getAcquire(i, slot);
                if (n == null) {
                    break; // a nil slot: a candidate for insertion
                }
                if (n instanceof Entry e) {
                    // An existing entry is as far as we can go. If it stays this way, we'll have to replace it
                    // with an indirect node.
                    Entry f = e.lookup(key, hash, false, null);
                    if (f != null) {
                        return loaded(f);
                    }
                    break;
                }
                i = (Object[]) n;
            }
            // Grab the lock and double-check what we saw.
            mu = meta(i);
            mu.lock();
            n = SLOT.getAcquire(i, slot);
            if ((n == null || n instanceof Entry) && !mu.dead) {
                break; // still true: insert, holding mu
            }
            mu.unlock(); // start over
        }
        try {
            Entry old = (Entry) n;
            if (old != null) {
                Entry f = old.lookup(key, hash, false, null);
                if (f != null) {
                    return loaded(f); // by loading again, it turns out exactly what we wanted is here
                }
            }
            Entry neu = new Entry(hash, key, value, null);
            // Publish last (invariant 4): both the old and the new entries become visible at once.
            SLOT.setRelease(i, slot, old == null ? neu : expand(old, neu, shift, i));
            return new Loaded<>(value, false);
        } finally {
            mu.unlock();
        }
    }

    /**
     * Go's {@code expand}: a subtree holding {@code oldEntry} (a chain) and {@code newEntry} whose hashes agree down
     * to level {@code shift} (the level of {@code parent}'s slot that holds oldEntry now). Unpublished: plain stores.
     */
    private static Object expand(Entry oldEntry, Entry newEntry, int shift, Object[] parent) {
        long oldHash = oldEntry.hash;
        long newHash = newEntry.hash;
        if (oldHash == newHash) {
            // A full-hash collision: the old chain goes behind the new entry.
            newEntry.overflow = oldEntry;
            return newEntry;
        }
        // We have to add an indirect node; maybe more than one.
        Object[] top = newIndirect(parent);
        Object[] i = top;
        while (true) {
            if (shift == 0) {
                throw ranOutOfHashBits("inserting");
            }
            shift -= N_CHILDREN_LOG2; // shift is for the level parent is at: go deeper
            int oi = index(oldHash, shift);
            int ni = index(newHash, shift);
            if (oi != ni) {
                i[oi] = oldEntry;
                i[ni] = newEntry;
                return top;
            }
            Object[] next = newIndirect(i);
            i[oi] = next;
            i = next;
        }
    }

    @Override
    public void store(K key, V value) {
        swapEntry(key, value);
    }

    @Override
    public Loaded<V> swap(K key, V value) {
        Entry old = swapEntry(key, value);
        return old == null ? SyncMapImpl.absent() : loaded(old);
    }

    /** Go's {@code Swap}: returns the replaced entry, or null if the key was inserted. */
    private Entry swapEntry(Object key, Object value) {
        long hash = hash(key);
        Object[] i;
        int shift;
        int slot;
        Object n;
        Meta mu;
        while (true) {
            // Find a nil slot (insert) or an entry (replace or expand).
            i = root();
            shift = HASH_BITS;
            while (true) {
                if (shift == 0) {
                    throw ranOutOfHashBits("iterating");
                }
                shift -= N_CHILDREN_LOG2;
                slot = index(hash, shift);
                n = SLOT.getAcquire(i, slot);
                if (n == null || n instanceof Entry) {
                    break;
                }
                i = (Object[]) n;
            }
            mu = meta(i);
            mu.lock();
            n = SLOT.getAcquire(i, slot);
            if ((n == null || n instanceof Entry) && !mu.dead) {
                break;
            }
            mu.unlock();
        }
        try {
            Entry head = (Entry) n;
            if (head != null) {
                Entry e = head.lookup(key, hash, false, null);
                if (e != null) {
                    // The key is here: replace its entry (copy on write, invariant 2).
                    replace(i, slot, head, e, new Entry(hash, e.key, value, e.next()));
                    return e;
                }
            }
            // The keys didn't compare: an insertion.
            Entry neu = new Entry(hash, key, value, null);
            SLOT.setRelease(i, slot, head == null ? neu : expand(head, neu, shift, i));
            return null;
        } finally {
            mu.unlock();
        }
    }

    /**
     * Replaces entry {@code e} of the chain {@code head} (in {@code i[slot]}) by {@code repl}, whose overflow is
     * already {@code e}'s successor, or unlinks {@code e} if {@code repl} is null. Requires {@code i}'s mutex.
     * Returns the chain's new head (null if the slot is now empty).
     */
    private static Entry replace(Object[] i, int slot, Entry head, Entry e, Entry repl) {
        Entry succ = repl != null ? repl : e.next();
        if (e == head) {
            SLOT.setRelease(i, slot, succ);
            return succ;
        }
        Entry prev = head;
        for (Entry p = prev.next(); p != e; p = p.next()) {
            prev = p;
        }
        prev.setNext(succ);
        return head;
    }

    // ------------------------------------------------------------------------------------------------ updates

    private static final int LOAD_AND_DELETE = 0;
    private static final int COMPARE_AND_DELETE = 1;
    private static final int COMPARE_AND_SWAP = 2;

    @Override
    public boolean compareAndSwap(K key, V old, V neu) {
        return update(key, COMPARE_AND_SWAP, old, neu) != null;
    }

    @Override
    public boolean compareAndDelete(K key, V old) {
        return update(key, COMPARE_AND_DELETE, old, null) != null;
    }

    @Override
    public Loaded<V> loadAndDelete(K key) {
        Entry e = update(key, LOAD_AND_DELETE, null, null);
        return e == null ? SyncMapImpl.absent() : loaded(e);
    }

    @Override
    public void delete(K key) {
        update(key, LOAD_AND_DELETE, null, null);
    }

    /**
     * Go's {@code find} followed by the locked part of CompareAndSwap / CompareAndDelete / LoadAndDelete: finds the
     * key's entry without locking (for CompareAndSwap, also with a value equal to {@code old}: Go's
     * {@code lookupWithValue}) and gives up if there is none; else locks its indirect node, re-checks, and swaps in
     * a new entry with value {@code neu} or unlinks the entry — pruning indirect nodes it leaves empty (Go's loop,
     * child to parent). Returns the entry replaced or deleted, or null if nothing was done.
     */
    private Entry update(Object key, int op, Object old, Object neu) {
        long hash = hash(key);
        Object[] i;
        int shift;
        int slot;
        Object n;
        Meta mu;
        while (true) {
            i = root();
            shift = HASH_BITS;
            while (true) {
                if (shift == 0) {
                    throw ranOutOfHashBits("iterating");
                }
                shift -= N_CHILDREN_LOG2;
                slot = index(hash, shift);
                n = SLOT.getAcquire(i, slot);
                if (n == null) {
                    return null; // nothing to compare with: give up
                }
                if (n instanceof Entry e) {
                    if (e.lookup(key, hash, op == COMPARE_AND_SWAP, old) == null) {
                        return null; // no match: the comparison failed
                    }
                    break; // a match: prepare to operate on the key
                }
                i = (Object[]) n;
            }
            mu = meta(i);
            mu.lock();
            n = SLOT.getAcquire(i, slot);
            if (!mu.dead && (n == null || n instanceof Entry)) {
                break; // a valid chain, or a slot emptied meanwhile: done searching either way
            }
            mu.unlock();
        }
        Meta held = mu;
        try {
            Entry head = (Entry) n;
            Entry e = head == null ? null : head.lookup(key, hash, op != LOAD_AND_DELETE, old);
            if (e == null) {
                return null; // nothing to do: the entry is gone (or the value changed) since we looked
            }
            if (op == COMPARE_AND_SWAP) {
                replace(i, slot, head, e, new Entry(hash, e.key, neu, e.next()));
                return e;
            }
            if (replace(i, slot, head, e, null) != null) {
                return e; // one entry of a chain: the node is certainly not empty
            }
            // The slot is empty: prune indirect nodes left empty, child to parent (invariants 5, 6).
            for (Meta m = held; m.parent != null && isEmpty(i); m = held) {
                if (shift == HASH_BITS) {
                    throw ranOutOfHashBits("iterating");
                }
                shift += N_CHILDREN_LOG2;
                Object[] parent = m.parent;
                Meta pm = meta(parent);
                pm.lock();
                m.dead = true;
                SLOT.setRelease(parent, index(hash, shift), null);
                m.unlock();
                held = pm;
                i = parent;
            }
            return e;
        } finally {
            held.unlock();
        }
    }

    /** Requires {@code i}'s mutex. */
    private static boolean isEmpty(Object[] i) {
        for (int j = 0; j < N_CHILDREN; j++) {
            if (SLOT.getAcquire(i, j) != null) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------------------------------------ whole map

    /**
     * Go's {@code Range} / {@code All}: not a snapshot, but no key is visited twice (a key's entry only ever moves
     * deeper under the slot it was in, or is replaced in place), each visited pair was present at some point during
     * the call, and {@code f} may call any method of the map. Takes no lock.
     */
    @Override
    public void range(BiPredicate<? super K, ? super V> f) {
        iter(root(), f);
    }

    @SuppressWarnings("unchecked")
    private static <K, V> boolean iter(Object[] i, BiPredicate<? super K, ? super V> f) {
        for (int j = 0; j < N_CHILDREN; j++) {
            Object n = SLOT.getAcquire(i, j);
            if (n == null) {
                continue;
            }
            if (n instanceof Entry e) {
                for (; e != null; e = e.next()) {
                    if (!f.test((K) e.key, (V) e.value)) {
                        return false;
                    }
                }
            } else if (!iter((Object[]) n, f)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Go's {@code Clear}: drops the whole trie by installing a fresh root (invariant 7). An already empty root is
     * kept (no allocation; the clear linearizes at the read that saw it empty).
     */
    @Override
    public void clear() {
        Object[] r = root();
        for (int j = 0; j < N_CHILDREN; j++) {
            if (SLOT.getAcquire(r, j) != null) {
                ROOT.setRelease(this, newIndirect(null));
                return;
            }
        }
    }

    /** For tests: the depth of the deepest indirect node (the root is 1). Takes no lock. */
    int depth() {
        return depth(root());
    }

    private static int depth(Object[] i) {
        int d = 0;
        for (int j = 0; j < N_CHILDREN; j++) {
            if (SLOT.getAcquire(i, j) instanceof Object[] c) {
                d = Math.max(d, depth(c));
            }
        }
        return 1 + d;
    }
}
