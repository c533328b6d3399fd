package go4j.sync;

import go4j.internal.sync.Carrier;
import go4j.internal.sync.PoolChain;
import go4j.internal.sync.PoolCleanup;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.Supplier;

/**
 * Go's {@code sync.Pool}: a set of temporary objects that may be individually saved and retrieved, to relieve the
 * garbage collector by reusing allocations. Any item may be removed at any time without notification; the pool
 * is safe for concurrent use. {@link #get} returns an arbitrary pooled item, or the result of the {@code New}
 * supplier (or null without one).
 *
 * <h2>Design (Go's {@code sync/pool.go})</h2>
 * <ul>
 *   <li>The primary cache {@link #local} is an array of shards, Go's per-P {@code poolLocal}: each has a
 *       <em>private</em> slot (fast path, one atomic exchange) and a <em>shared</em> lock-free chain
 *       ({@link PoolChain}). A caller uses the shard of the processor it runs on; {@code get} that finds its shard
 *       empty <em>steals</em> from the other shards' chains.</li>
 *   <li><b>Ps in go4j.</b> Until go4j's G-M-P scheduler lands, a "P" is a <em>carrier thread</em>: a goroutine's
 *       shard is picked from the carrier it is mounted on ({@link Carrier#probe()}, Go's {@code procPin}); a
 *       platform thread is its own carrier. There are {@code nextPowerOfTwo(2 × availableProcessors)} shards, as
 *       many as carriers the default virtual-thread scheduler runs plus room for platform threads, picked by thread
 *       id (consecutive ids, distinct shards); two carriers on the same shard share it safely (every shard operation is atomic), they only contend.</li>
 *   <li>The <b>victim cache</b> {@link #victim}: once per JVM garbage collection (a GC notification; see
 *       {@link PoolCleanup}) the primary cache becomes the victim and the old victim is dropped. {@code get} looks in
 *       the victim after the primary cache, so items survive exactly one GC unused, smoothing the refill after
 *       each collection (Go 1.13's design).</li>
 * </ul>
 * {@code put(null)} is ignored (as Go ignores {@code Put(nil)}).
 *
 * <p>Happens-before: a {@code put(x)} happens before a {@code get} that returns that same {@code x}; the
 * {@code New} supplier's result is returned by the {@code get} that called it. Never blocks.
 */
public class Pool<T> {
    private static final int SHARDS = Integer.highestOneBit(Math.max(1, 2 * Runtime.getRuntime().availableProcessors() - 1)) << 1;
    private static final VarHandle LOCAL;
    private static final VarHandle VICTIM;
    private static final VarHandle REGISTERED;
    private static final VarHandle PRIVATE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LOCAL = l.findVarHandle(Pool.class, "local", Shard[].class);
            VICTIM = l.findVarHandle(Pool.class, "victim", Shard[].class);
            REGISTERED = l.findVarHandle(Pool.class, "registered", boolean.class);
            PRIVATE = l.findVarHandle(Shard.class, "priv", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** One P's cache (Go's {@code poolLocal}). Padded against false sharing between neighbouring shards' slots. */
    static final class Shard {
        @SuppressWarnings("unused")
        long p0, p1, p2, p3, p4, p5, p6;
        /** Go's {@code private}: usable only by the P's owner in Go; here taken/filled with atomic exchange/CAS. */
        @SuppressWarnings("unused")
        volatile Object priv;
        final PoolChain shared = new PoolChain();
        @SuppressWarnings("unused")
        long q0, q1, q2, q3, q4, q5, q6;
    }

    /** Go's {@code New}: makes a value when the pool is empty; null means get returns null. */
    private final Supplier<? extends T> newFn;
    /** Primary cache; null until the first put after a rotation. */
    @SuppressWarnings("unused")
    private volatile Shard[] local;
    /** Victim cache (the primary cache before the last GC), or null. */
    @SuppressWarnings("unused")
    private volatile Shard[] victim;
    /** Whether this pool is in PoolCleanup's registry. */
    @SuppressWarnings("unused")
    private volatile boolean registered;

    /** A pool without {@code New}: {@link #get} returns null when empty. */
    public Pool() {
        this(null);
    }

    /** A pool whose {@link #get} calls {@code newFn} when empty (Go's {@code Pool{New: f}}). */
    public Pool(Supplier<? extends T> newFn) {
        this.newFn = newFn;
    }

    /** Adds x to the pool; null is ignored. */
    public void put(T x) {
        if (x == null) {
            return;
        }
        Shard[] shards = (Shard[]) LOCAL.getAcquire(this);
        if (shards == null) {
            shards = pinSlow();
        }
        Shard s = shards[Carrier.probe() & (SHARDS - 1)];
        if ((Object) PRIVATE.getOpaque(s) == null && PRIVATE.compareAndSet(s, null, x)) {
            return;
        }
        s.shared.push(x);
    }

    /**
     * Removes an arbitrary item from the pool and returns it; if the pool is empty, returns {@code New.get()} (or
     * null without New). Callers must not assume any relation between put and get values.
     */
    @SuppressWarnings("unchecked")
    public T get() {
        Shard[] shards = (Shard[]) LOCAL.getAcquire(this);
        if (shards != null) {
            int i = Carrier.probe() & (SHARDS - 1);
            Shard s = shards[i];
            Object x = (Object) PRIVATE.getOpaque(s) == null ? null : PRIVATE.getAndSet(s, null);
            if (x == null) {
                x = s.shared.pop();
                if (x == null) {
                    x = steal(shards, i);
                }
            }
            if (x != null) {
                return (T) x;
            }
        }
        Object x = getVictim();
        if (x != null) {
            return (T) x;
        }
        Supplier<? extends T> f = newFn;
        return f == null ? null : f.get();
    }

    /**
     * Go's {@code getSlow} first half: steal from the other shards' shared chains, and (unlike Go, where a P's
     * private slot is reachable only by its owner) from their private slots too: a go4j "P" may be a platform
     * thread that has exited, whose private item would otherwise sit unused until the next GC.
     */
    private static Object steal(Shard[] shards, int me) {
        for (int k = 1; k < SHARDS; k++) {
            Shard s = shards[(me + k) & (SHARDS - 1)];
            Object x = s.shared.pop();
            if (x == null && (Object) PRIVATE.getOpaque(s) != null) {
                x = PRIVATE.getAndSet(s, null);
            }
            if (x != null) {
                return x;
            }
        }
        return null;
    }

    /** Go's {@code getSlow} second half: the victim cache, own shard's private slot first. */
    private Object getVictim() {
        Shard[] v = (Shard[]) VICTIM.getAcquire(this);
        if (v == null) {
            return null;
        }
        int me = Carrier.probe() & (SHARDS - 1);
        for (int k = 0; k < SHARDS; k++) {
            Shard s = v[(me + k) & (SHARDS - 1)];
            Object x = (Object) PRIVATE.getOpaque(s) == null ? null : PRIVATE.getAndSet(s, null);
            if (x == null) {
                x = s.shared.pop();
            }
            if (x != null) {
                return x;
            }
        }
        // Mark the victim cache empty so future gets don't bother with it (Go: size = 0).
        VICTIM.compareAndSet(this, v, null);
        return null;
    }

    /** Go's {@code pinSlow}: allocates the primary cache and registers the pool for GC-time cleanup. */
    private Shard[] pinSlow() {
        if (!(boolean) REGISTERED.getVolatile(this) && REGISTERED.compareAndSet(this, false, true)) {
            PoolCleanup.register(this, Pool::rotate);
        }
        Shard[] created = new Shard[SHARDS];
        for (int i = 0; i < SHARDS; i++) {
            created[i] = new Shard();
        }
        Shard[] w = (Shard[]) LOCAL.compareAndExchange(this, null, created);
        return w == null ? created : w;
    }

    /**
     * Go's {@code poolCleanup} for this pool, run once per GC: drop the victim cache, move the primary cache to
     * the victim cache. Called by {@link PoolCleanup}.
     */
    private void rotate() {
        VICTIM.setRelease(this, LOCAL.getAndSet(this, null));
    }

    /** The number of shards ("Ps") of every pool. */
    static int shardCount() {
        return SHARDS;
    }
}
