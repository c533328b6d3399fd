package go4j.context;

import go4j.Go;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Go's {@code afterFuncCtx}: a hidden child of the context given to {@link Context#afterFunc}; when it is cancelled
 * (because its parent is), it starts f in its own goroutine, unless stop won the once first.
 */
final class AfterFuncCtx extends CancelCtx {
    /** Go's {@code sync.Once}: whoever sets it first — the cancel (runs f) or stop (prevents f) — wins. */
    private final AtomicBoolean once = new AtomicBoolean();
    private final Runnable f;

    private AfterFuncCtx(Runnable f) {
        this.f = f;
    }

    static StopFunc afterFunc(Context ctx, Runnable f) {
        CancelCtx.requireParent(ctx);
        AfterFuncCtx a = new AfterFuncCtx(f);
        a.propagateCancel(ctx, a);
        return () -> {
            boolean stopped = a.once.compareAndSet(false, true);
            if (stopped) {
                a.cancel(true, Canceled, null);
            }
            return stopped;
        };
    }

    @Override
    void cancel(boolean removeFromParent, Throwable err, Throwable cause) {
        super.cancel(false, err, cause);
        if (removeFromParent) {
            removeChild(parent, this);
        }
        if (once.compareAndSet(false, true)) {
            Go.go(f);
        }
    }

    @Override
    public String toString() {
        return contextName(parent) + ".AfterFunc";
    }
}
