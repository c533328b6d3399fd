package go4j.context;

import go4j.RecvChan;

import java.time.Instant;
import java.util.Optional;

/** Go's {@code withoutCancelCtx}: the parent's values, none of its cancellation. */
final class WithoutCancelCtx implements Context {
    final Context parent;

    private WithoutCancelCtx(Context parent) {
        this.parent = parent;
    }

    static Context withoutCancel(Context parent) {
        CancelCtx.requireParent(parent);
        return new WithoutCancelCtx(parent);
    }

    @Override
    public Optional<Instant> deadline() {
        return Optional.empty();
    }

    @Override
    public RecvChan<Void> done() {
        return null;
    }

    @Override
    public Throwable err() {
        return null;
    }

    @Override
    public Object value(Object key) {
        return CancelCtx.value(this, key);
    }

    @Override
    public String toString() {
        return CancelCtx.contextName(parent) + ".WithoutCancel";
    }
}
