package go4j.sync.atomic;

import go4j.Panic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Objects;

/**
 * Go's {@code atomic.Value}: an atomically loaded and stored value of one consistent type. The first
 * {@link #store} (or successful {@link #swap}/{@link #compareAndSwap}) fixes the type; every later one must store
 * a value of exactly the same class. {@link #load} returns null before the first store (Go's nil).
 *
 * <h2>Panics (Go's messages, as {@link Panic})</h2>
 * <ul>
 *   <li>{@code sync/atomic: store of nil value into Value}, {@code sync/atomic: swap of nil value into Value},
 *       {@code sync/atomic: compare and swap of nil value into Value}</li>
 *   <li>{@code sync/atomic: store of inconsistently typed value into Value},
 *       {@code sync/atomic: swap of inconsistently typed value into Value},
 *       {@code sync/atomic: compare and swap of inconsistently typed value into Value}</li>
 *   <li>{@code sync/atomic: compare and swap of inconsistently typed values} (old and new of different types)</li>
 * </ul>
 * "Type" is the exact runtime class ({@code getClass()}): Go compares dynamic types.
 *
 * <p>{@link #compareAndSwap} compares values with {@link Objects#equals} (Go's {@code ==} on interface values
 * compares the dynamic values: strings and numbers by content, pointers by identity; Java's {@code equals} is the
 * closest match). Sequentially consistent: a store happens before a load that observes it.
 */
public class Value {
    private static final VarHandle V;

    static {
        try {
            V = MethodHandles.lookup().findVarHandle(Value.class, "v", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The stored value; null before the first store. Its class is the Value's type from then on. */
    @SuppressWarnings("unused")
    private volatile Object v;

    /** An empty Value (Go's zero value). */
    public Value() {}

    /** Returns the value set by the most recent store, or null if there has been none. */
    public Object load() {
        return V.getVolatile(this);
    }

    /**
     * Sets the value. All stores of a Value must use values of the same concrete class.
     *
     * @throws Panic on a null value or a value of another class than the first one stored
     */
    public void store(Object val) {
        if (val == null) {
            throw new Panic("sync/atomic: store of nil value into Value");
        }
        Object cur = V.getVolatile(this);
        if (cur == null && V.compareAndSet(this, null, val)) {
            return; // first store
        }
        cur = V.getVolatile(this);
        if (cur.getClass() != val.getClass()) {
            throw new Panic("sync/atomic: store of inconsistently typed value into Value");
        }
        V.setVolatile(this, val);
    }

    /**
     * Stores {@code neu} and returns the previous value (null if the Value was empty).
     *
     * @throws Panic on a null value or a value of another class than the stored one
     */
    public Object swap(Object neu) {
        if (neu == null) {
            throw new Panic("sync/atomic: swap of nil value into Value");
        }
        while (true) {
            Object cur = V.getVolatile(this);
            if (cur == null) {
                if (V.compareAndSet(this, null, neu)) {
                    return null;
                }
                continue;
            }
            if (cur.getClass() != neu.getClass()) {
                throw new Panic("sync/atomic: swap of inconsistently typed value into Value");
            }
            return V.getAndSet(this, neu);
        }
    }

    /**
     * If the current value equals {@code old} (null meaning "empty"), stores {@code neu}; true if it did.
     *
     * @throws Panic on a null {@code neu}, on {@code old} and {@code neu} of different classes, or on {@code neu}
     *         of another class than the stored value
     */
    public boolean compareAndSwap(Object old, Object neu) {
        if (neu == null) {
            throw new Panic("sync/atomic: compare and swap of nil value into Value");
        }
        if (old != null && old.getClass() != neu.getClass()) {
            throw new Panic("sync/atomic: compare and swap of inconsistently typed values");
        }
        while (true) {
            Object cur = V.getVolatile(this);
            if (cur == null) {
                if (old != null) {
                    return false;
                }
                if (V.compareAndSet(this, null, neu)) {
                    return true;
                }
                continue;
            }
            if (cur.getClass() != neu.getClass()) {
                throw new Panic("sync/atomic: compare and swap of inconsistently typed value into Value");
            }
            if (!Objects.equals(cur, old)) {
                return false;
            }
            // Compare against the exact object we read: a concurrent store of an equal value makes us retry.
            if (V.compareAndSet(this, cur, neu)) {
                return true;
            }
        }
    }

    @Override
    public String toString() {
        return "Value[" + load() + "]";
    }
}
