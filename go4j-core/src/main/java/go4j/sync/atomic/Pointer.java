package go4j.sync.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Go's {@code atomic.Pointer[T]}: an atomic reference. {@link #compareAndSwap} compares by identity ({@code ==},
 * as Go compares pointers). Sequentially consistent: if the effect of an atomic operation A is observed by atomic
 * operation B, A happens before B (so storing a reference publishes the object's contents to a loader).
 */
public class Pointer<T> {
    private static final VarHandle V;

    static {
        try {
            V = MethodHandles.lookup().findVarHandle(Pointer.class, "v", Object.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private volatile Object v;

    /** Null (Go's zero value, a nil pointer). */
    public Pointer() {}

    public Pointer(T initial) {
        V.setVolatile(this, initial);
    }

    /** Atomically loads the reference. */
    @SuppressWarnings("unchecked")
    public T load() {
        return (T) V.getVolatile(this);
    }

    /** Atomically stores {@code val}. */
    public void store(T val) {
        V.setVolatile(this, val);
    }

    /** Atomically stores {@code neu} and returns the previous reference. */
    @SuppressWarnings("unchecked")
    public T swap(T neu) {
        return (T) V.getAndSet(this, neu);
    }

    /** If the reference is {@code old} (identity), sets it to {@code neu}; true if it did. */
    public boolean compareAndSwap(T old, T neu) {
        return V.compareAndSet(this, old, neu);
    }

    @Override
    public String toString() {
        return "Pointer[" + load() + "]";
    }
}
