package go4j.context;

import go4j.Chan;
import go4j.Go;
import go4j.RecvChan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Ports of TestCustomContextPropagation and TestCustomContextGoroutines (context_test.go / x_test.go). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CustomContextTest {
    static final Duration VERY_LONG = Duration.ofSeconds(10_000);

    /** Go's myCtx: embeds a context, adds nothing (so it is a custom type wrapping a built-in). */
    static class MyCtx implements Context {
        final Context c;

        MyCtx(Context c) {
            this.c = c;
        }

        @Override public Optional<Instant> deadline() { return c.deadline(); }
        @Override public RecvChan<Void> done() { return c.done(); }
        @Override public Throwable err() { return c.err(); }
        @Override public Object value(Object key) { return c.value(key); }
    }

    /** Go's myDoneCtx: as MyCtx but with its own done channel. */
    static final class MyDoneCtx extends MyCtx {
        final Chan<Void> done;

        MyDoneCtx(Context c, Chan<Void> done) {
            super(c);
            this.done = done;
        }

        @Override public RecvChan<Void> done() { return done; }
    }

    @Test
    void customContextGoroutines() {
        Go.run(() -> {
            AtomicInteger last = new AtomicInteger(CancelCtx.GOROUTINES.get());
            Runnable checkNoGoroutine = () -> assertThat(CancelCtx.GOROUTINES.get())
                    .as("goroutine created").isEqualTo(last.get());
            Runnable checkCreatedGoroutine = () -> {
                assertThat(CancelCtx.GOROUTINES.get()).as("no goroutine created").isEqualTo(last.get() + 1);
                last.incrementAndGet();
            };

            CancelContext ctx = Context.withCancel(new MyCtx(Context.background()));
            ctx.cancel();
            checkNoGoroutine.run(); // parent never cancels: nothing to watch

            ctx = Context.withTimeout(new MyCtx(Context.background()), VERY_LONG);
            ctx.cancel();
            checkNoGoroutine.run();

            Chan<Void> pdone = Chan.make();
            ctx = Context.withCancel(new MyDoneCtx(Context.background(), pdone));
            ctx.cancel();
            checkCreatedGoroutine.run(); // a custom parent that can be cancelled, without afterFunc

            ctx = Context.withTimeout(new MyDoneCtx(Context.background(), pdone), VERY_LONG);
            ctx.cancel();
            checkCreatedGoroutine.run();

            CancelContext c0 = Context.withCancel(Context.background());
            ctx = Context.withCancel(new MyCtx(c0));
            checkNoGoroutine.run(); // the custom parent reveals the CancelCtx below, with the same done channel
            CancelContext c1 = Context.withCancel(ctx);
            checkNoGoroutine.run();
            c0.cancel();
            assertThat(c1.err()).isSameAs(Context.Canceled); // propagated synchronously, no goroutine

            CancelContext c2 = Context.withCancel(Context.background());
            CancelContext c3 = Context.withCancel(new MyDoneCtx(c2, pdone));
            checkCreatedGoroutine.run(); // same ancestry but a different done channel: must watch
            c3.cancel();
            c2.cancel();

            // The watcher goroutine cancels the child, with the parent's err, when the custom parent is done.
            CauseTest.CustomCauseContext custom = new CauseTest.CustomCauseContext();
            CancelContext child = Context.withCancel(custom);
            checkCreatedGoroutine.run();
            custom.cancel();
            child.done().recv();
            assertThat(child.err()).isSameAs(Context.Canceled);
            assertThat(Context.cause(child)).isSameAs(Context.Canceled);
        });
    }

    /** A custom context with an afterFunc method (Go's afterFuncContext in afterfunc_test.go). */
    static final class AfterFuncContext implements Context, AfterFuncer {
        final Object mu = new Object();
        java.util.LinkedHashMap<Object, Runnable> afterFuncs = new java.util.LinkedHashMap<>();
        final Chan<Void> done = Chan.make();
        Throwable err;

        @Override public Optional<Instant> deadline() { return Optional.empty(); }
        @Override public RecvChan<Void> done() { return done; }
        @Override public Throwable err() { synchronized (mu) { return err; } }
        @Override public Object value(Object key) { return null; }

        @Override
        public StopFunc afterFunc(Runnable f) {
            Object key = new Object();
            synchronized (mu) {
                afterFuncs.put(key, f);
            }
            return () -> {
                synchronized (mu) {
                    return afterFuncs.remove(key) != null;
                }
            };
        }

        void cancel(Throwable e) {
            java.util.List<Runnable> fs;
            synchronized (mu) {
                if (err != null) {
                    return;
                }
                err = e;
                done.close();
                fs = new java.util.ArrayList<>(afterFuncs.values());
                afterFuncs.clear();
            }
            for (Runnable f : fs) {
                Go.go(f);
            }
        }

        int registered() {
            synchronized (mu) {
                return afterFuncs.size();
            }
        }
    }

    // TestCustomContextPropagation / TestCustomContextAfterFuncCancel: the afterFunc method is used to register.
    @Test
    void customContextAfterFuncCancel() {
        int before = CancelCtx.GOROUTINES.get();
        AfterFuncContext ctx0 = new AfterFuncContext();
        CancelContext ctx1 = Context.withCancel(ctx0);
        assertThat(ctx0.registered()).isEqualTo(1);
        ctx0.cancel(Context.Canceled);
        ctx1.done().recv();
        assertThat(ctx1.err()).isSameAs(Context.Canceled);
        assertThat(Context.cause(ctx1)).isSameAs(Context.Canceled);
        assertThat(CancelCtx.GOROUTINES.get()).as("no watcher goroutine").isEqualTo(before);
        assertThat(ctx1.toString()).endsWith(".WithCancel");
    }

    // TestCustomContextAfterFuncTimeout
    @Test
    void customContextAfterFuncTimeout() {
        AfterFuncContext ctx0 = new AfterFuncContext();
        CancelContext ctx1 = Context.withTimeout(ctx0, Duration.ofMillis(1));
        ctx1.done().recv();
        assertThat(ctx1.err()).isSameAs(Context.DeadlineExceeded);
        // the timer goroutine unregisters from the parent right after closing done
        ContextTest.eventually("unregistered when the child timed out", () -> ctx0.registered() == 0);
        assertThat(ctx0.err()).isNull();
    }

    // TestCustomContextAfterFuncAfterFunc
    @Test
    void customContextAfterFuncAfterFunc() {
        AfterFuncContext ctx0 = new AfterFuncContext();
        Chan<Void> donec = Chan.make();
        StopFunc stop = Context.afterFunc(ctx0, donec::close);
        assertThat(ctx0.registered()).isEqualTo(1);
        ctx0.cancel(Context.Canceled);
        donec.recv();
        assertThat(stop.stop()).isFalse();
    }

    // TestCustomContextAfterFuncUnregisterCancel / ...Timeout / ...AfterFunc
    @Test
    void customContextAfterFuncUnregister() {
        AfterFuncContext ctx0 = new AfterFuncContext();
        CancelContext c1 = Context.withCancel(ctx0);
        assertThat(ctx0.registered()).isEqualTo(1);
        c1.cancel();
        assertThat(ctx0.registered()).as("cancel unregisters").isZero();

        CancelContext c2 = Context.withTimeout(ctx0, VERY_LONG);
        assertThat(ctx0.registered()).isEqualTo(1);
        c2.cancel();
        assertThat(ctx0.registered()).isZero();

        StopFunc stop = Context.afterFunc(ctx0, () -> {});
        assertThat(ctx0.registered()).isEqualTo(1);
        assertThat(stop.stop()).isTrue();
        assertThat(ctx0.registered()).isZero();
    }

    // A custom context's value lookups still find built-in values below it.
    @Test
    void valuesThroughCustomContext() {
        Context v = Context.withValue(Context.background(), "k", "v");
        AtomicReference<Context> custom = new AtomicReference<>(new MyCtx(v));
        Context top = Context.withValue(custom.get(), "k2", "v2");
        assertThat(top.value("k")).isEqualTo("v");
        assertThat(top.value("k2")).isEqualTo("v2");
        assertThat(top.toString()).startsWith(MyCtx.class.getName() + ".WithValue(k2, v2)");
    }
}
