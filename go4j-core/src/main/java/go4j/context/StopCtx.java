package go4j.context;

import go4j.RecvChan;

import java.time.Instant;
import java.util.Optional;

/**
 * Go's {@code stopCtx}: the parent of a context that registered with a custom parent's {@link AfterFuncer}; it
 * remembers the stop function so that removing the child from its parent unregisters it.
 */
final class StopCtx implements Context {
    final Context parent;
    final StopFunc stop;

    StopCtx(Context parent, StopFunc stop) {
        this.parent = parent;
        this.stop = stop;
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
    public Object value(Object key) {
        return parent.value(key);
    }

    @Override
    public String toString() {
        return CancelCtx.contextName(parent);
    }
}
