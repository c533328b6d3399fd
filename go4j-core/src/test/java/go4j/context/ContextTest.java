package go4j.context;

import go4j.Chan;
import go4j.Go;
import go4j.Panic;
import go4j.RecvChan;
import go4j.time.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static go4j.Select.defaultCase;
import static go4j.Select.recv;
import static go4j.Select.select;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Ports of context/x_test.go behaviours (test names in the comments). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContextTest {
    static final Duration VERY_LONG = Duration.ofSeconds(10_000);

    static boolean isDone(Context c) {
        RecvChan<Void> d = c.done();
        return d != null && select(recv(d), defaultCase()) == 0;
    }

    /** Receives from done, bounded by a generous timeout so a bug fails instead of hanging. */
    static void awaitDone(Context c, String what) {
        int k = select(recv(c.done()), recv(Time.after(Duration.ofSeconds(20))));
        assertThat(k).as(what + " not done").isZero();
    }

    /** Polls a condition that another goroutine is about to make true; fails after a generous bound. */
    static void eventually(String what, java.util.function.BooleanSupplier cond) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!cond.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as(what).isNegative();
            Thread.yield();
        }
    }

    // TestBackground, TestTODO
    @Test
    void backgroundAndTodo() {
        for (Context c : List.of(Context.background(), Context.todo())) {
            assertThat(c.done()).isNull();
            assertThat(c.err()).isNull();
            assertThat(c.deadline()).isEmpty();
            assertThat(c.value("x")).isNull();
            assertThat(Context.cause(c)).isNull();
        }
        assertThat(Context.background()).hasToString("context.Background");
        assertThat(Context.todo()).hasToString("context.TODO");
    }

    // TestWithCancel
    @Test
    void withCancel() {
        CancelContext c1 = Context.withCancel(Context.background());
        assertThat(c1).hasToString("context.Background.WithCancel");
        Context o = otherContext(c1);
        CancelContext c2 = Context.withCancel(o);
        Context[] contexts = {c1, o, c2};
        for (Context c : contexts) {
            assertThat(c.done()).isNotNull();
            assertThat(c.err()).isNull();
            assertThat(isDone(c)).isFalse();
        }
        c1.cancel();
        for (Context c : contexts) {
            assertThat(isDone(c)).as("%s should be done", c).isTrue();
            assertThat(c.err()).isSameAs(Context.Canceled);
        }
        c1.cancel(); // idempotent
        c2.cancel();
        assertThat(c2.err()).isSameAs(Context.Canceled);
    }

    /** Go's otherContext: a custom Context that wraps a context and hides its type. */
    static Context otherContext(Context c) {
        return new Context() {
            @Override public Optional<Instant> deadline() { return c.deadline(); }
            @Override public RecvChan<Void> done() { return c.done(); }
            @Override public Throwable err() { return c.err(); }
            @Override public Object value(Object key) { return c.value(key); }
        };
    }

    // TestParentFinishesChild
    @Test
    void parentFinishesChild() {
        CancelContext parent = Context.withCancel(Context.background());
        CancelCtx p = (CancelCtx) parent;
        CancelContext cancelChild = Context.withCancel(parent);
        CancelContext timerChild = Context.withTimeout(parent, VERY_LONG);
        Context valueChild = Context.withValue(parent, "key", "value");
        CancelContext grandchild = Context.withCancel(valueChild);
        assertThat(p.childCount()).isEqualTo(3); // cancelChild, timerChild and grandchild (through valueChild)
        assertThat(((TimerCtx) timerChild).hasTimer()).isTrue();
        parent.cancel();
        for (Context c : List.of(parent, cancelChild, timerChild, valueChild, grandchild)) {
            assertThat(isDone(c)).as("%s", c).isTrue();
            assertThat(c.err()).isSameAs(Context.Canceled);
        }
        assertThat(p.childCount()).isZero();
        assertThat(((TimerCtx) timerChild).hasTimer()).as("timer stopped").isFalse();
        // A child created after the parent's cancellation is cancelled at once.
        CancelContext late = Context.withCancel(parent);
        assertThat(late.err()).isSameAs(Context.Canceled);
        assertThat(p.childCount()).isZero();
    }

    // TestChildFinishesFirst
    @Test
    void childFinishesFirst() {
        CancelContext cancelable = Context.withCancel(Context.background());
        for (Context parent : List.of(Context.background(), cancelable)) {
            CancelContext child = Context.withCancel(parent);
            if (parent == cancelable) {
                assertThat(((CancelCtx) cancelable).childCount()).isEqualTo(1);
            }
            child.cancel();
            assertThat(child.err()).isSameAs(Context.Canceled);
            assertThat(isDone(child)).isTrue();
            if (parent == cancelable) {
                assertThat(((CancelCtx) cancelable).childCount()).as("removed from parent").isZero();
                assertThat(isDone(parent)).isFalse();
                assertThat(parent.err()).isNull();
            }
        }
        cancelable.cancel();
    }

    // TestDeadline
    @Test
    void deadline() {
        CancelContext c = Context.withDeadline(Context.background(), Instant.now().plusMillis(50));
        assertThat(c.toString()).startsWith("context.Background.WithDeadline(").endsWith("])");
        awaitDone(c, "WithDeadline");
        assertThat(c.err()).isSameAs(Context.DeadlineExceeded);
        // the timer's goroutine stops the timer right after closing done
        eventually("timer released", () -> !((TimerCtx) c).hasTimer());

        CancelContext o = Context.withDeadline(Context.background(), Instant.now().plusMillis(50));
        CancelContext c2 = Context.withDeadline(otherContext(o), Instant.now().plusMillis(50));
        awaitDone(c2, "WithDeadline+otherContext");

        // A parent's earlier deadline wins.
        Instant early = Instant.now().plusMillis(50);
        CancelContext p = Context.withDeadline(Context.background(), early);
        CancelContext later = Context.withDeadline(otherContext(p), Instant.now().plus(VERY_LONG));
        assertThat(later.deadline()).contains(early);
        assertThat(later).isNotInstanceOf(TimerCtx.class);
        awaitDone(later, "WithDeadline+otherContext+WithDeadline");
        assertThat(later.err()).isSameAs(Context.DeadlineExceeded);

        // An expired deadline cancels at once.
        CancelContext past = Context.withDeadline(Context.background(), Instant.now().minusSeconds(1));
        assertThat(isDone(past)).isTrue();
        assertThat(past.err()).isSameAs(Context.DeadlineExceeded);
        past.cancel();
        assertThat(past.err()).isSameAs(Context.DeadlineExceeded); // err never changes once set
    }

    // TestTimeout
    @Test
    void timeout() {
        CancelContext c = Context.withTimeout(Context.background(), Duration.ofMillis(50));
        assertThat(c.toString()).startsWith("context.Background.WithDeadline(");
        awaitDone(c, "WithTimeout");
        assertThat(c.err()).isSameAs(Context.DeadlineExceeded);
        CancelContext z = Context.withTimeout(Context.background(), Duration.ZERO);
        assertThat(z.err()).isSameAs(Context.DeadlineExceeded);
        CancelContext huge = Context.withTimeout(Context.background(), Duration.ofSeconds(Long.MAX_VALUE));
        assertThat(huge.err()).isNull();
        huge.cancel();
    }

    // TestCanceledTimeout
    @Test
    void canceledTimeout() {
        CancelContext c = Context.withTimeout(Context.background(), Duration.ofSeconds(1));
        CancelContext o = Context.withCancel(otherContext(c));
        o.cancel();
        c.cancel();
        awaitDone(o, "cancelled");
        assertThat(o.err()).isSameAs(Context.Canceled);
        assertThat(c.err()).isSameAs(Context.Canceled);
        assertThat(((TimerCtx) c).hasTimer()).as("timer stopped by cancel").isFalse();
    }

    record Key1(int v) {}

    static final class Key2 {
        final int v;

        Key2(int v) {
            this.v = v;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key2 k && k.v == v;
        }

        @Override
        public int hashCode() {
            return v;
        }
    }

    // TestValues
    @Test
    void values() {
        Key1 k1 = new Key1(1);
        Key2 k2 = new Key2(1);
        Key2 k3 = new Key2(3);
        Context c0 = Context.background();
        Context c1 = Context.withValue(c0, k1, "c1k1");
        Context c2 = Context.withValue(c1, k2, "c2k2");
        Context c3 = Context.withValue(c2, k3, "c3k3");
        Context c4 = Context.withValue(c3, k1, null);
        assertThat(c1.value(k1)).isEqualTo("c1k1");
        assertThat(c1.value(k2)).isNull();
        assertThat(c2.value(k1)).isEqualTo("c1k1");
        assertThat(c2.value(k2)).isEqualTo("c2k2");
        assertThat(c3.value(k3)).isEqualTo("c3k3");
        assertThat(c4.value(k1)).isNull(); // shadowed by a null value
        assertThat(c4.value(k2)).isEqualTo("c2k2");
        assertThat(c1).hasToString("context.Background.WithValue(Key1[v=1], c1k1)");
        assertThat(c2.toString()).isEqualTo(
                "context.Background.WithValue(Key1[v=1], c1k1).WithValue(" + Key2.class.getName() + ", c2k2)");
        assertThat(c4.toString()).endsWith(".WithValue(Key1[v=1], <nil>)");

        CancelContext o0 = Context.withCancel(otherContext(c3));
        assertThat(o0.value(k3)).isEqualTo("c3k3");
        assertThat(o0.value(k1)).isEqualTo("c1k1");
        Context o1 = otherContext(Context.withValue(o0, k1, "o1k1"));
        assertThat(o1.value(k1)).isEqualTo("o1k1");
        assertThat(o1.value(k2)).isEqualTo("c2k2");
        o0.cancel();
    }

    // TestInvalidDerivedFail, TestWithValueChecksKey
    @Test
    void misuse() {
        List<Function<Context, Object>> ctors = List.of(
                Context::withCancel,
                Context::withCancelCause,
                p -> Context.withDeadline(p, Instant.now()),
                p -> Context.withDeadlineCause(p, Instant.now(), null),
                p -> Context.withTimeout(p, Duration.ofSeconds(1)),
                p -> Context.withTimeoutCause(p, Duration.ofSeconds(1), null),
                p -> Context.withValue(p, "foo", "bar"),
                Context::withoutCancel,
                p -> Context.afterFunc(p, () -> {}));
        for (Function<Context, Object> f : ctors) {
            assertThatThrownBy(() -> f.apply(null)).isInstanceOf(Panic.class)
                    .hasMessage("cannot create context from nil parent");
        }
        assertThatThrownBy(() -> Context.withValue(Context.background(), null, "x")).isInstanceOf(Panic.class)
                .hasMessage("nil key");
    }

    // TestDeadlineExceededSupportsTimeout
    @Test
    void errors() {
        assertThat(Context.DeadlineExceeded.timeout()).isTrue();
        assertThat(Context.DeadlineExceeded.temporary()).isTrue();
        assertThat(Context.Canceled.timeout()).isFalse();
        assertThat(Context.Canceled).hasMessage("context canceled").hasToString("context canceled");
        assertThat(Context.DeadlineExceeded).hasMessage("context deadline exceeded");
    }

    // TestCancelRemoves
    @Test
    void cancelRemoves() {
        CancelContext ctx = Context.withCancel(Context.background());
        CancelCtx p = (CancelCtx) ctx;
        CancelContext child = Context.withCancel(ctx);
        assertThat(p.childCount()).isEqualTo(1);
        child.cancel();
        assertThat(p.childCount()).isZero();
        CancelContext t = Context.withTimeout(ctx, VERY_LONG);
        assertThat(p.childCount()).isEqualTo(1);
        t.cancel();
        assertThat(p.childCount()).isZero();
        StopFunc stop = Context.afterFunc(ctx, () -> {});
        assertThat(p.childCount()).isEqualTo(1);
        assertThat(stop.stop()).isTrue();
        assertThat(p.childCount()).isZero();
        ctx.cancel();
    }

    // A forgotten context beyond its deadline leaves nothing behind in its parent.
    @Test
    void forgottenDeadlineLeavesNothing() {
        CancelContext root = Context.withCancel(Context.background());
        CancelContext t = Context.withTimeout(root, Duration.ofMillis(10));
        awaitDone(t, "timeout");
        // removal from the parent follows the close of done, in the timer's goroutine
        eventually("child removed", () -> ((CancelCtx) root).childCount() == 0);
        eventually("timer released", () -> !((TimerCtx) t).hasTimer());
        root.cancel();
    }

    // try-with-resources is `defer cancel()`.
    @Test
    void tryWithResourcesCancels() {
        CancelContext escaped;
        try (CancelContext ctx = Context.withTimeout(Context.background(), VERY_LONG)) {
            escaped = ctx;
            assertThat(ctx.err()).isNull();
        }
        assertThat(escaped.err()).isSameAs(Context.Canceled);
        assertThat(isDone(escaped)).isTrue();
    }

    // TestWithCancelCanceledParent
    @Test
    void withCancelCanceledParent() {
        CancelCauseContext parent = Context.withCancelCause(Context.background());
        RuntimeException cause = new RuntimeException("Because!");
        parent.cancel(cause);
        CancelContext c = Context.withCancel(parent);
        assertThat(isDone(c)).isTrue();
        assertThat(c.err()).isSameAs(Context.Canceled);
        assertThat(Context.cause(c)).isSameAs(cause);
    }

    // TestWithoutCancel
    @Test
    void withoutCancel() {
        String key = "key", value = "value";
        CancelContext ctx = Context.withCancel(Context.withValue(Context.background(), key, value));
        Context w = Context.withoutCancel(ctx);
        ctx.cancel();
        assertThat(w.done()).isNull();
        assertThat(w.err()).isNull();
        assertThat(w.deadline()).isEmpty();
        assertThat(w.value(key)).isEqualTo(value);
        assertThat(Context.cause(w)).isNull();
        assertThat(w).hasToString("context.Background.WithValue(key, value).WithCancel.WithoutCancel");
        // children of a withoutCancel context are not cancelled with the original parent
        CancelContext c2 = Context.withCancel(w);
        assertThat(c2.err()).isNull();
        c2.cancel();
        CancelContext t = Context.withTimeout(Context.background(), Duration.ZERO);
        assertThat(Context.withoutCancel(t).deadline()).isEmpty();
    }

    // TestSimultaneousCancels
    @Test
    void simultaneousCancels() {
        Go.run(() -> {
            CancelContext root = Context.withCancel(Context.background());
            List<CancelContext> all = new ArrayList<>();
            all.add(root);
            // A tree: root -> 10 children -> 10 grandchildren each, mixed kinds.
            List<Context> level = List.of(root);
            for (int depth = 0; depth < 2; depth++) {
                List<Context> next = new ArrayList<>();
                for (Context parent : level) {
                    for (int i = 0; i < 10; i++) {
                        CancelContext c = switch (i % 3) {
                            case 0 -> Context.withCancel(parent);
                            case 1 -> Context.withTimeout(parent, VERY_LONG);
                            default -> Context.withCancel(Context.withValue(parent, "k" + i, i));
                        };
                        all.add(c);
                        next.add(c);
                    }
                }
                level = next;
            }
            // Cancel everything simultaneously from many goroutines.
            Chan<Boolean> start = Chan.make();
            Chan<Boolean> finished = Chan.make(all.size());
            for (CancelContext c : all) {
                Go.go(() -> {
                    start.recv();
                    c.cancel();
                    finished.send(true);
                });
            }
            start.close();
            for (int i = 0; i < all.size(); i++) {
                finished.recv();
            }
            for (CancelContext c : all) {
                awaitDone(c, c.toString());
                assertThat(c.err()).isSameAs(Context.Canceled);
                assertThat(((CancelCtx) c).childCount()).isZero();
            }
        });
    }

    // TestInterlockedCancels
    @Test
    void interlockedCancels() {
        Go.run(() -> {
            CancelContext parent = Context.withCancel(Context.background());
            CancelContext child = Context.withCancel(Context.background());
            Go.go(() -> {
                parent.done().recv();
                child.cancel();
            });
            parent.cancel();
            awaitDone(child, "child");
        });
    }

    // TestLayersCancel, TestLayersTimeout
    @Test
    void layersCancel() {
        testLayers(1234, false);
        testLayers(5678, false);
    }

    @Test
    void layersTimeout() {
        testLayers(4321, true);
        testLayers(8765, true);
    }

    record LayerKey(int i) {}

    private static void testLayers(long seed, boolean testTimeout) {
        Random r = new Random(seed);
        Duration timeout = Duration.ofMillis(100);
        Context ctx = Context.background();
        List<CancelContext> cancels = new ArrayList<>();
        int numTimers = 0;
        List<Object[]> vals = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            switch (r.nextInt(3)) {
                case 0 -> {
                    Object[] v = {new LayerKey(i), i};
                    ctx = Context.withValue(ctx, v[0], v[1]);
                    vals.add(v);
                }
                case 1 -> {
                    CancelContext c = Context.withCancel(ctx);
                    cancels.add(c);
                    ctx = c;
                }
                default -> {
                    CancelContext c = Context.withTimeout(ctx, timeout);
                    cancels.add(c);
                    ctx = c;
                    numTimers++;
                }
            }
        }
        for (Object[] v : vals) {
            assertThat(ctx.value(v[0])).isEqualTo(v[1]);
        }
        assertThat(isDone(ctx)).isFalse();
        if (testTimeout && numTimers > 0) {
            awaitDone(ctx, "layers timeout");
            assertThat(ctx.err()).isSameAs(Context.DeadlineExceeded);
        }
        assertThat(cancels).isNotEmpty();
        cancels.get(r.nextInt(cancels.size())).cancel();
        awaitDone(ctx, "layers cancel");
        assertThat(ctx.err()).isIn(Context.Canceled, Context.DeadlineExceeded);
        if (!testTimeout) {
            assertThat(ctx.err()).isSameAs(Context.Canceled);
        }
        for (CancelContext c : cancels) {
            c.cancel();
        }
    }

    // TestContextErrDoneRace: a non-nil err implies done is closed.
    @Test
    void errDoneRace() {
        Go.run(() -> {
            for (int i = 0; i < 5000; i++) {
                CancelContext ctx = Context.withCancel(Context.background());
                if ((i & 1) == 0) {
                    ctx.done(); // with and without a done channel allocated before the cancel
                }
                Go.go(ctx::cancel);
                while (ctx.err() == null) {
                    Thread.onSpinWait();
                }
                assertThat(isDone(ctx)).as("err set but done not closed").isTrue();
            }
        });
    }

    // The converse: a closed done implies a non-nil err.
    @Test
    void doneErrRace() {
        Go.run(() -> {
            for (int i = 0; i < 3000; i++) {
                CancelContext ctx = Context.withCancel(Context.background());
                RecvChan<Void> d = ctx.done();
                Go.go(ctx::cancel);
                d.recv();
                assertThat(ctx.err()).isSameAs(Context.Canceled);
            }
        });
    }

    // A deadline tree: cancelling the request cancels every goroutine watching it (DeadlineTree in miniature).
    @Test
    void goroutinesObserveCancellation() {
        Go.run(() -> {
            CancelContext req = Context.withTimeout(Context.background(), Duration.ofMillis(50));
            Chan<Throwable> errs = Chan.make(10);
            for (int i = 0; i < 10; i++) {
                Context sub = i % 2 == 0 ? Context.withCancel(req) : Context.withValue(req, "i", i);
                Go.go(() -> {
                    sub.done().recv();
                    errs.send(sub.err());
                });
            }
            for (int i = 0; i < 10; i++) {
                assertThat(errs.recv()).isSameAs(Context.DeadlineExceeded);
            }
            req.cancel();
        });
    }
}
