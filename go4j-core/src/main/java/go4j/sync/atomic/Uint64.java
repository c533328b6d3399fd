package go4j.sync.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Go's {@code atomic.Uint64}: an atomic 64-bit integer. Values are unsigned (64-bit, two's complement in a Java {@code long}): use {@link Long#toUnsignedString} / {@code compareUnsigned} to print or compare; {@code add(-1)} is Go's {@code Add(^uint(0))}.
 *
 * <p>All operations are sequentially consistent (VarHandle volatile / atomic read-modify-write), as Go's
 * {@code sync/atomic}: if the effect of an atomic operation A is observed by atomic operation B, A happens before B.
 * Return values follow Go: {@link #add} returns the <em>new</em> value, {@link #swap}, {@link #and} and {@link #or}
 * the <em>old</em> one.
 */
public class Uint64 {
    private static final VarHandle V;

    static {
        try {
            V = MethodHandles.lookup().findVarHandle(Uint64.class, "v", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private volatile long v;

    /** Zero (Go's zero value). */
    public Uint64() {}

    /** Starts at {@code initial}. */
    public Uint64(long initial) {
        V.setVolatile(this, initial);
    }

    /** Atomically loads the value. */
    public long load() {
        return (long) V.getVolatile(this);
    }

    /** Atomically stores {@code val}. */
    public void store(long val) {
        V.setVolatile(this, val);
    }

    /** Atomically stores {@code neu} and returns the previous value. */
    public long swap(long neu) {
        return (long) V.getAndSet(this, neu);
    }

    /** Executes the compare-and-swap operation: if the value is {@code old}, sets it to {@code neu}; true if it did. */
    public boolean compareAndSwap(long old, long neu) {
        return V.compareAndSet(this, old, neu);
    }

    /** Atomically adds {@code delta} (wrapping on overflow, as Go) and returns the <em>new</em> value. */
    public long add(long delta) {
        return (long) ((long) V.getAndAdd(this, delta) + delta);
    }

    /** Atomically ANDs {@code mask} into the value and returns the <em>old</em> value (Go 1.23). */
    public long and(long mask) {
        return (long) V.getAndBitwiseAnd(this, mask);
    }

    /** Atomically ORs {@code mask} into the value and returns the <em>old</em> value (Go 1.23). */
    public long or(long mask) {
        return (long) V.getAndBitwiseOr(this, mask);
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(load());
    }
}
