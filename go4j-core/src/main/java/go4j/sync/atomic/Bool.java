package go4j.sync.atomic;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Go's {@code atomic.Bool}: an atomic boolean. Sequentially consistent, as all of {@code go4j.sync.atomic}: if the
 * effect of an atomic operation A is observed by atomic operation B, A happens before B.
 */
public class Bool {
    private static final VarHandle V;

    static {
        try {
            V = MethodHandles.lookup().findVarHandle(Bool.class, "v", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @SuppressWarnings("unused")
    private volatile boolean v;

    /** False (Go's zero value). */
    public Bool() {}

    public Bool(boolean initial) {
        V.setVolatile(this, initial);
    }

    /** Atomically loads the value. */
    public boolean load() {
        return (boolean) V.getVolatile(this);
    }

    /** Atomically stores {@code val}. */
    public void store(boolean val) {
        V.setVolatile(this, val);
    }

    /** Atomically stores {@code neu} and returns the previous value. */
    public boolean swap(boolean neu) {
        return (boolean) V.getAndSet(this, neu);
    }

    /** If the value is {@code old}, sets it to {@code neu}; true if it did. */
    public boolean compareAndSwap(boolean old, boolean neu) {
        return V.compareAndSet(this, old, neu);
    }

    @Override
    public String toString() {
        return String.valueOf(load());
    }
}
