package go4j.sync;

import go4j.Go;
import go4j.Panic;
import go4j.internal.G;
import go4j.internal.WaitReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class OnceTest {

    /** Go's TestOnce: 10 goroutines call Do; f runs once and every Do returns after f finished. */
    @Test
    void runsOnce() {
        int[] o = {0};
        Once once = new Once();
        Go.run(() -> {
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 10; i++) {
                wg.go(() -> {
                    once.run(() -> o[0]++);
                    assertThat(o[0]).as("once failed inside run").isEqualTo(1);
                });
            }
            wg.await();
        });
        assertThat(o[0]).isEqualTo(1);
    }

    /** Go's TestOncePanic: a panicking f makes Do panic; the Once is then done and f is not called again. */
    @Test
    void panicMakesOnceDone() {
        Once once = new Once();
        assertThatThrownBy(() -> once.run(() -> {
            throw new Panic("failed");
        })).isInstanceOf(Panic.class).hasMessage("failed");
        once.run(() -> {
            throw new AssertionError("Once.Do called twice");
        });
        assertThat(once.isDone()).isTrue();
    }

    /** Callers arriving while f runs wait for it (shown as sync.Mutex.Lock, Go's text) and do not run f. */
    @Test
    void latecomersWaitForFirstCall() throws InterruptedException {
        Once once = new Once();
        CountDownLatch inF = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<G> late = new AtomicReference<>();
        CountDownLatch lateDone = new CountDownLatch(1);
        Go.go(() -> once.run(() -> {
            calls.incrementAndGet();
            inF.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }));
        inF.await();
        Go.go(() -> {
            late.set(G.current());
            once.run(calls::incrementAndGet);
            lateDone.countDown();
        });
        SyncTesting.awaitParked(late, WaitReason.SYNC_ONCE);
        assertThat(late.get().stateText()).isEqualTo("sync.Mutex.Lock");
        assertThat(lateDone.getCount()).isEqualTo(1);
        release.countDown();
        lateDone.await();
        assertThat(calls.get()).isEqualTo(1);
    }

    /** Go's TestOnceFunc: f called once however often the result is called. */
    @Test
    void onceFuncCallsOnce() {
        AtomicInteger calls = new AtomicInteger();
        Runnable f = Once.onceFunc(calls::incrementAndGet);
        f.run();
        f.run();
        assertThat(calls.get()).isEqualTo(1);
    }

    /** Go's TestOnceValue / TestOnceValues. */
    @Test
    void onceValueAndValues() {
        AtomicInteger calls = new AtomicInteger();
        Supplier<Integer> v = Once.onceValue(calls::incrementAndGet);
        assertThat(v.get()).isEqualTo(1);
        assertThat(v.get()).isEqualTo(1);
        Supplier<Once.Values<Integer, String>> vs = Once.onceValues(() -> new Once.Values<>(calls.incrementAndGet(), "err"));
        assertThat(vs.get()).isEqualTo(new Once.Values<>(2, "err"));
        assertThat(vs.get()).isEqualTo(new Once.Values<>(2, "err"));
        assertThat(calls.get()).isEqualTo(2);
    }

    /** Go's TestOnceXPanic: OnceFunc/OnceValue/OnceValues re-panic with the same value on every call. */
    @Test
    void onceXRepanicsWithSameValue() {
        AtomicInteger calls = new AtomicInteger();
        Runnable f = Once.onceFunc(() -> {
            calls.incrementAndGet();
            throw new Panic("x");
        });
        Throwable first = catchThrowable(f::run);
        Throwable second = catchThrowable(f::run);
        assertThat(first).isInstanceOf(Panic.class).hasMessage("x");
        assertThat(second).isSameAs(first);
        assertThat(((Panic) second).value()).isEqualTo("x");

        Supplier<Integer> v = Once.onceValue(() -> {
            calls.incrementAndGet();
            throw new IllegalStateException("y");
        });
        Throwable a = catchThrowable(v::get);
        assertThat(a).isInstanceOf(IllegalStateException.class).hasMessage("y");
        assertThat(catchThrowable(v::get)).isSameAs(a);

        Supplier<Once.Values<Integer, Integer>> vs = Once.onceValues(() -> {
            calls.incrementAndGet();
            throw new Panic(42);
        });
        Throwable b = catchThrowable(vs::get);
        assertThat(catchThrowable(vs::get)).isSameAs(b);
        assertThat(((Panic) b).value()).isEqualTo(42);
        assertThat(calls.get()).isEqualTo(3);
    }

    /** Go's TestOnceFuncGoexit-like concurrency: concurrent first calls still run f once. */
    @Test
    void onceValueConcurrent() {
        AtomicInteger calls = new AtomicInteger();
        Supplier<Integer> v = Once.onceValue(calls::incrementAndGet);
        Go.run(() -> {
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 20; i++) {
                wg.go(() -> assertThat(v.get()).isEqualTo(1));
            }
            wg.await();
        });
        assertThat(calls.get()).isEqualTo(1);
    }
}
