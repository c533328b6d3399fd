package go4j.context;

import go4j.Chan;
import go4j.Go;
import go4j.time.Time;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static go4j.Select.defaultCase;
import static go4j.Select.recv;
import static go4j.Select.select;
import static org.assertj.core.api.Assertions.assertThat;

/** Ports of context/afterfunc_test.go and x_test.go's AfterFunc tests. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AfterFuncTest {

    // TestAfterFuncCalledAfterCancel
    @Test
    void calledAfterCancel() {
        CancelContext ctx = Context.withCancel(Context.background());
        Chan<Void> donec = Chan.make();
        StopFunc stop = Context.afterFunc(ctx, donec::close);
        assertThat(select(recv(donec), recv(Time.after(Duration.ofMillis(20))))).as("called before cancel")
                .isEqualTo(1);
        ctx.cancel();
        donec.recv();
        assertThat(stop.stop()).as("stop after the function ran").isFalse();
    }

    // TestAfterFuncCalledAfterTimeout
    @Test
    void calledAfterTimeout() {
        CancelContext ctx = Context.withTimeout(Context.background(), Duration.ofMillis(5));
        Chan<Void> donec = Chan.make();
        Context.afterFunc(ctx, donec::close);
        donec.recv();
        ctx.cancel();
    }

    // TestAfterFuncCalledImmediately
    @Test
    void calledImmediately() {
        CancelContext ctx = Context.withCancel(Context.background());
        ctx.cancel();
        Chan<Void> donec = Chan.make();
        StopFunc stop = Context.afterFunc(ctx, donec::close);
        donec.recv();
        assertThat(stop.stop()).isFalse();
    }

    // TestAfterFuncNotCalledAfterStop
    @Test
    void notCalledAfterStop() {
        CancelContext ctx = Context.withCancel(Context.background());
        AtomicInteger calls = new AtomicInteger();
        StopFunc stop = Context.afterFunc(ctx, calls::incrementAndGet);
        assertThat(stop.stop()).isTrue();
        ctx.cancel();
        Time.sleep(Duration.ofMillis(20));
        assertThat(calls.get()).as("f called after stop").isZero();
        assertThat(stop.stop()).as("second stop").isFalse();
    }

    // TestAfterFuncCalledAsynchronously: cancel does not wait for f.
    @Test
    void calledAsynchronously() {
        Go.run(() -> {
            CancelContext ctx = Context.withCancel(Context.background());
            Chan<Void> block = Chan.make();
            Chan<Void> started = Chan.make();
            Context.afterFunc(ctx, () -> {
                started.close();
                block.recv();
            });
            ctx.cancel(); // returns although f blocks
            started.recv();
            block.close();
        });
    }

    // f runs in its own goroutine.
    @Test
    void runsInGoroutine() {
        Go.run(() -> {
            CancelContext ctx = Context.withCancel(Context.background());
            Chan<Long> ids = Chan.make(1);
            Context.afterFunc(ctx, () -> ids.send(Go.goid()));
            ctx.cancel();
            long id = ids.recv();
            assertThat(id).isNotZero().isNotEqualTo(Go.goid());
        });
    }

    // Multiple afterFuncs on one context are independent; the stop/cancel race has exactly one winner.
    @Test
    void stopRacesCancel() {
        Go.run(() -> {
            for (int i = 0; i < 1000; i++) {
                CancelContext ctx = Context.withCancel(Context.background());
                AtomicInteger calls = new AtomicInteger();
                Chan<Void> ran = Chan.make(1);
                StopFunc stop = Context.afterFunc(ctx, () -> {
                    calls.incrementAndGet();
                    ran.send(null);
                });
                StopFunc other = Context.afterFunc(ctx, () -> {});
                Go.go(ctx::cancel);
                boolean stopped = stop.stop();
                ctx.done().recv();
                if (!stopped) {
                    ran.recv();
                    assertThat(calls.get()).isEqualTo(1);
                } else {
                    assertThat(select(recv(ran), defaultCase())).isEqualTo(1);
                    assertThat(calls.get()).isZero();
                }
                other.stop();
            }
        });
    }
}
