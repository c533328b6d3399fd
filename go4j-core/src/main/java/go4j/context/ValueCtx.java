package go4j.context;

import go4j.Panic;
import go4j.RecvChan;

import java.time.Instant;
import java.util.Optional;

/** Go's {@code valueCtx}: one key-value pair; everything else is the parent's. */
final class ValueCtx implements Context {
    final Context parent;
    final Object key;
    final Object val;

    private ValueCtx(Context parent, Object key, Object val) {
        this.parent = parent;
        this.key = key;
        this.val = val;
    }

    static Context withValue(Context parent, Object key, Object val) {
        CancelCtx.requireParent(parent);
        if (key == null) {
            throw new Panic("nil key");
        }
        return new ValueCtx(parent, key, val);
    }

    @Override
    public Optional<Instant> deadline() {
        return parent.deadline();
    }

    @Override
    public RecvChan<Void> done() {
        return parent.done();
    }

    @Override
    public Throwable err() {
        return parent.err();
    }

    @Override
    public Object value(Object k) {
        if (key.equals(k)) {
            return val;
        }
        return CancelCtx.value(parent, k);
    }

    @Override
    public String toString() {
        return CancelCtx.contextName(parent) + ".WithValue(" + stringify(key) + ", " + stringify(val) + ")";
    }

    /** Go's {@code stringify}: a Stringer's String(), a string itself, "<nil>", else the type's name. */
    static String stringify(Object v) {
        if (v == null) {
            return "<nil>";
        }
        if (v instanceof String s) {
            return s;
        }
        return CancelCtx.hasOwnToString(v) ? v.toString() : v.getClass().getName();
    }
}
