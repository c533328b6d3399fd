package go4j.sync.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Go's {@code atomic.Uint32}: an atomic 32-bit integer. Values are unsigned (32-bit, two's complement in a Java {@code int}): use {@link Integer#toUnsignedString} / {@code compareUnsigned} to print or compare; {@code add(-1)} is Go's {@code Add(^uint(0))}.
 *
 * <p>All operations are sequentially consistent (VarHandle volatile / atomic read-modify-write), as Go's
 * {@code sync/atomic}: if the effect of an atomic operation A is observed by atomic operation B, A happens before B.
 * Return values follow Go: {@link #add} returns the <em>new</em> value, {@link #swap}, {@link #and} and {@link #or}
 * the <em>old</em> one.
 */
public class Uint32 {
    private static final VarHandle V;

    static {
        try {
            V = MethodHandles.lookup().findVarHandle(Uint32.class, "v", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private volatile int v;

    /** Zero (Go's zero value). */
    public Uint32() {}

    /** Starts at {@code initial}. */
    public Uint32(int initial) {
        V.setVolatile(this, initial);
    }

    /** Atomically loads the value. */
    public int load() {
        return (int) V.getVolatile(this);
    }

    /** Atomically stores {@code val}. */
    public void store(int val) {
        V.setVolatile(this, val);
    }

    /** Atomically stores {@code neu} and returns the previous value. */
    public int swap(int neu) {
        return (int) V.getAndSet(this, neu);
    }

    /** Executes the compare-and-swap operation: if the value is {@code old}, sets it to {@code neu}; true if it did. */
    public boolean compareAndSwap(int old, int neu) {
        return V.compareAndSet(this, old, neu);
    }

    /** Atomically adds {@code delta} (wrapping on overflow, as Go) and returns the <em>new</em> value. */
    public int add(int delta) {
        return (int) ((int) V.getAndAdd(this, delta) + delta);
    }

    /** Atomically ANDs {@code mask} into the value and returns the <em>old</em> value (Go 1.23). */
    public int and(int mask) {
        return (int) V.getAndBitwiseAnd(this, mask);
    }

    /** Atomically ORs {@code mask} into the value and returns the <em>old</em> value (Go 1.23). */
    public int or(int mask) {
        return (int) V.getAndBitwiseOr(this, mask);
    }

    @Override
    public String toString() {
        return Integer.toUnsignedString(load());
    }
}
