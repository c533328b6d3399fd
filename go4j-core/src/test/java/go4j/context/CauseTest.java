package go4j.context;

import go4j.Chan;
import go4j.RecvChan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Port of context/x_test.go TestCause: the whole table. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CauseTest {
    static final Duration FOREVER = Duration.ofSeconds(10_000);
    static final RuntimeException CAUSE_ERR = new RuntimeException("because!");
    static final RuntimeException PARENT_CAUSE = new RuntimeException("parentCause");
    static final RuntimeException CHILD_CAUSE = new RuntimeException("childCause");
    static final RuntimeException FINISHED_EARLY = new RuntimeException("finished early");

    /** Go's customCauseContext: a custom context wrapping a parent, or standalone with its own done channel. */
    static final class CustomCauseContext implements Context {
        private final Context parent;
        private final Chan<Void> doneCh;
        private Throwable err;

        CustomCauseContext(Context parent) {
            this.parent = parent;
            this.doneCh = null;
        }

        CustomCauseContext() {
            this.parent = null;
            this.doneCh = Chan.make();
        }

        @Override
        public Optional<Instant> deadline() {
            return parent == null ? Optional.empty() : parent.deadline();
        }

        @Override
        public RecvChan<Void> done() {
            return parent == null ? doneCh : parent.done();
        }

        @Override
        public synchronized Throwable err() {
            return parent == null ? err : parent.err();
        }

        @Override
        public Object value(Object key) {
            return parent == null ? null : parent.value(key);
        }

        synchronized void cancel() {
            err = Context.Canceled;
            doneCh.close();
        }
    }

    record Case(String name, Supplier<Context> ctx, Throwable err, Throwable cause) {}

    @Test
    void causeTable() {
        Case[] table = {
            new Case("Background", Context::background, null, null),
            new Case("TODO", Context::todo, null, null),
            new Case("WithCancel", () -> {
                CancelContext c = Context.withCancel(Context.background());
                c.cancel();
                return c;
            }, Context.Canceled, Context.Canceled),
            new Case("WithCancelCause", () -> {
                CancelCauseContext c = Context.withCancelCause(Context.background());
                c.cancel(CAUSE_ERR);
                return c;
            }, Context.Canceled, CAUSE_ERR),
            new Case("WithCancelCause nil", () -> {
                CancelCauseContext c = Context.withCancelCause(Context.background());
                c.cancel(null);
                return c;
            }, Context.Canceled, Context.Canceled),
            new Case("WithCancelCause: parent cause before child", () -> {
                CancelCauseContext p = Context.withCancelCause(Context.background());
                CancelCauseContext c = Context.withCancelCause(p);
                p.cancel(PARENT_CAUSE);
                c.cancel(CHILD_CAUSE);
                return c;
            }, Context.Canceled, PARENT_CAUSE),
            new Case("WithCancelCause: parent cause after child", () -> {
                CancelCauseContext p = Context.withCancelCause(Context.background());
                CancelCauseContext c = Context.withCancelCause(p);
                c.cancel(CHILD_CAUSE);
                p.cancel(PARENT_CAUSE);
                return c;
            }, Context.Canceled, CHILD_CAUSE),
            new Case("WithCancelCause: parent cause before nil", () -> {
                CancelCauseContext p = Context.withCancelCause(Context.background());
                CancelContext c = Context.withCancel(p);
                p.cancel(PARENT_CAUSE);
                return c;
            }, Context.Canceled, PARENT_CAUSE),
            new Case("WithCancelCause: parent cause after nil", () -> {
                CancelCauseContext p = Context.withCancelCause(Context.background());
                CancelContext c = Context.withCancel(p);
                c.cancel();
                p.cancel(PARENT_CAUSE);
                return c;
            }, Context.Canceled, Context.Canceled),
            new Case("WithCancelCause: child with cause after nil", () -> {
                CancelContext p = Context.withCancel(Context.background());
                CancelCauseContext c = Context.withCancelCause(p);
                p.cancel();
                c.cancel(CHILD_CAUSE);
                return c;
            }, Context.Canceled, Context.Canceled),
            new Case("WithTimeout", () -> {
                CancelContext c = Context.withTimeout(Context.background(), Duration.ZERO);
                c.cancel();
                return c;
            }, Context.DeadlineExceeded, Context.DeadlineExceeded),
            new Case("WithTimeout canceled", () -> {
                CancelContext c = Context.withTimeout(Context.background(), FOREVER);
                c.cancel();
                return c;
            }, Context.Canceled, Context.Canceled),
            new Case("WithTimeoutCause", () -> {
                CancelContext c = Context.withTimeoutCause(Context.background(), Duration.ZERO, CAUSE_ERR);
                c.cancel();
                return c;
            }, Context.DeadlineExceeded, CAUSE_ERR),
            new Case("WithTimeoutCause canceled", () -> {
                CancelContext c = Context.withTimeoutCause(Context.background(), FOREVER, CAUSE_ERR);
                c.cancel();
                return c;
            }, Context.Canceled, Context.Canceled),
            new Case("WithTimeoutCause stacked", () -> {
                CancelCauseContext p = Context.withCancelCause(Context.background());
                CancelContext c = Context.withTimeoutCause(p, Duration.ZERO, CAUSE_ERR);
                p.cancel(FINISHED_EARLY);
                return c;
            }, Context.DeadlineExceeded, CAUSE_ERR),
            new Case("WithTimeoutCause stacked canceled", () -> {
                CancelCauseContext p = Context.withCancelCause(Context.background());
                CancelContext c = Context.withTimeoutCause(p, FOREVER, CAUSE_ERR);
                p.cancel(FINISHED_EARLY);
                return c;
            }, Context.Canceled, FINISHED_EARLY),
            new Case("WithoutCancel", () -> Context.withoutCancel(Context.background()), null, null),
            new Case("WithoutCancel canceled", () -> {
                CancelCauseContext p = Context.withCancelCause(Context.background());
                Context c = Context.withoutCancel(p);
                p.cancel(FINISHED_EARLY);
                return c;
            }, null, null),
            new Case("WithoutCancel timeout", () -> {
                CancelContext p = Context.withTimeoutCause(Context.background(), Duration.ZERO, CAUSE_ERR);
                Context c = Context.withoutCancel(p);
                p.cancel();
                return c;
            }, null, null),
            new Case("parent of custom context not canceled", () -> {
                CancelCauseContext p = Context.withCancelCause(Context.background());
                return new CustomCauseContext(p);
            }, null, null),
            new Case("parent of custom context is canceled", () -> {
                CancelCauseContext p = Context.withCancelCause(Context.background());
                Context c = new CustomCauseContext(p);
                p.cancel(CAUSE_ERR);
                return c;
            }, Context.Canceled, CAUSE_ERR),
            new Case("custom context not canceled", CustomCauseContext::new, null, null),
            new Case("custom context canceled", () -> {
                CustomCauseContext c = new CustomCauseContext();
                c.cancel();
                return c;
            }, Context.Canceled, Context.Canceled),
            new Case("WithDeadlineCause expired", () -> Context.withDeadlineCause(Context.background(),
                    Instant.now().minusSeconds(1), CAUSE_ERR), Context.DeadlineExceeded, CAUSE_ERR),
            new Case("WithTimeoutCause fires", () -> {
                CancelContext c = Context.withTimeoutCause(Context.background(), Duration.ofMillis(5), CAUSE_ERR);
                c.done().recv();
                return c;
            }, Context.DeadlineExceeded, CAUSE_ERR),
        };
        for (Case tc : table) {
            Context ctx = tc.ctx().get();
            assertThat(ctx.err()).as(tc.name() + ": err").isSameAs(tc.err());
            assertThat(Context.cause(ctx)).as(tc.name() + ": cause").isSameAs(tc.cause());
        }
    }

    // TestCauseRace: the cause is set before done is closed / err is published.
    @Test
    void causeRace() throws Exception {
        CancelCauseContext ctx = Context.withCancelCause(Context.background());
        Thread t = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 1000; i++) {
                Context.withCancel(ctx);
            }
            ctx.cancel(CAUSE_ERR);
        });
        while (ctx.err() == null) {
            Thread.onSpinWait();
        }
        assertThat(Context.cause(ctx)).isSameAs(CAUSE_ERR);
        t.join();
    }
}
