package go4j.sync.singleflight;

import go4j.Chan;
import go4j.Go;
import go4j.Panic;
import go4j.RecvChan;
import go4j.internal.G;
import go4j.internal.WaitReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Behaviours of golang.org/x/sync/singleflight's singleflight_test.go, in go4j. */
@Timeout(20)
class GroupTest {

    static void awaitCondition(BooleanSupplier cond) {
        for (int i = 0; !cond.getAsBoolean(); i++) {
            if (i < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    // TestDo
    @Test
    void doReturnsTheValue() {
        Group<String, Object> g = new Group<>();
        Result<Object> r = g.doCall("key", () -> Result.of("bar"));
        assertThat(r.val()).isEqualTo("bar").isInstanceOf(String.class);
        assertThat(r.err()).isNull();
        assertThat(r.shared()).isFalse();
    }

    // TestDoErr
    @Test
    void doReturnsTheError() {
        Group<String, Object> g = new Group<>();
        Exception someErr = new Exception("Some error");
        Result<Object> r = g.doCall("key", () -> Result.error(someErr));
        assertThat(r.err()).isSameAs(someErr);
        assertThat(r.val()).isNull();
    }

    // TestDoDupSuppress, made deterministic: the function does not return before every other caller is parked
    // waiting for it, so exactly one call must happen (Go's test, with a sleep, can only assert 0 < calls < n).
    @Test
    void doSuppressesDuplicates() {
        Group<String, String> g = new Group<>();
        final int n = 10;
        AtomicInteger calls = new AtomicInteger();
        AtomicReferenceArray<G> gs = new AtomicReferenceArray<>(n);
        AtomicInteger runner = new AtomicInteger(-1);
        AtomicInteger shared = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Go.run(() -> {
            Chan<Void> done = Chan.make(n);
            for (int i = 0; i < n; i++) {
                int me = i;
                Go.go(() -> {
                    gs.set(me, G.current());
                    Result<String> r = g.doCall("key", () -> {
                        calls.incrementAndGet();
                        runner.set(me);
                        // Wait until every other caller is blocked on this call.
                        awaitCondition(() -> {
                            for (int j = 0; j < n; j++) {
                                G o = gs.get(j);
                                if (j != me && (o == null || o.waitReason() != WaitReason.SYNC_WAITGROUP_WAIT)) {
                                    return false;
                                }
                            }
                            return true;
                        });
                        return Result.of("bar");
                    });
                    if (!"bar".equals(r.val()) || r.err() != null) {
                        failure.set(new AssertionError("Do = " + r));
                    }
                    if (r.shared()) {
                        shared.incrementAndGet();
                    }
                    done.send(null);
                });
            }
            for (int i = 0; i < n; i++) {
                done.recv();
            }
        });
        assertThat(failure.get()).isNull();
        assertThat(calls.get()).isEqualTo(1);
        assertThat(shared.get()).isEqualTo(n); // the runner's result was shared too
    }

    // TestForget (golang/go#31420)
    @Test
    void forgetStartsANewCall() {
        Group<String, Integer> g = new Group<>();
        AtomicReference<Object> third = new AtomicReference<>();
        Go.run(() -> {
            Chan<Void> firstStarted = Chan.make();
            Chan<Void> unblockFirst = Chan.make();
            Chan<Void> firstFinished = Chan.make();
            Go.go(() -> g.doCall("key", () -> {
                firstStarted.close();
                unblockFirst.recv();
                firstFinished.close();
                return null;
            }));
            firstStarted.recv();
            g.forget("key");

            Chan<Void> unblockSecond = Chan.make();
            RecvChan<Result<Integer>> secondResult = g.doChan("key", () -> {
                unblockSecond.recv();
                return Result.of(2);
            });

            unblockFirst.close();
            firstFinished.recv();

            RecvChan<Result<Integer>> thirdResult = g.doChan("key", () -> Result.of(3));

            unblockSecond.close();
            secondResult.recv();
            Result<Integer> r = thirdResult.recv();
            third.set(r.val());
            assertThat(r.shared()).isTrue();
        });
        assertThat(third.get()).as("we should receive the result produced by the second call").isEqualTo(2);
    }

    // Forget of the running key must not let the finishing first call delete the second call from the map.
    @Test
    void finishingForgottenCallKeepsTheNewCall() {
        Group<String, Integer> g = new Group<>();
        AtomicInteger calls = new AtomicInteger();
        Go.run(() -> {
            Chan<Void> unblock1 = Chan.make();
            Chan<Void> started1 = Chan.make();
            Chan<Result<Integer>> r1 = Chan.make(1);
            Go.go(() -> r1.send(g.doCall("k", () -> {
                calls.incrementAndGet();
                started1.close();
                unblock1.recv();
                return Result.of(1);
            })));
            started1.recv();
            g.forget("k");
            Chan<Void> unblock2 = Chan.make();
            RecvChan<Result<Integer>> r2 = g.doChan("k", () -> {
                calls.incrementAndGet();
                unblock2.recv();
                return Result.of(2);
            });
            unblock1.close();
            assertThat(r1.recv().val()).isEqualTo(1);
            RecvChan<Result<Integer>> r3 = g.doChan("k", () -> {
                calls.incrementAndGet();
                return Result.of(3);
            });
            unblock2.close();
            assertThat(r2.recv().val()).isEqualTo(2);
            assertThat(r3.recv().val()).isEqualTo(2);
        });
        assertThat(calls.get()).isEqualTo(2);
    }

    // TestDoChan
    @Test
    void doChanDeliversTheResult() {
        Group<String, Object> g = new Group<>();
        AtomicReference<Result<Object>> got = new AtomicReference<>();
        Go.run(() -> got.set(g.doChan("key", () -> Result.of("bar")).recv()));
        assertThat(got.get().val()).isEqualTo("bar");
        assertThat(got.get().err()).isNull();
        assertThat(got.get().shared()).isFalse();
    }

    @Test
    void doChanWorksFromAPlainThread() {
        Group<String, Object> g = new Group<>();
        Exception e = new Exception("x");
        Result<Object> r = g.doChan("key", () -> Result.of(7, e)).recv();
        assertThat(r.val()).isEqualTo(7);
        assertThat(r.err()).isSameAs(e);
    }

    @Test
    void noCachingAfterReturn() {
        Group<String, Integer> g = new Group<>();
        AtomicInteger calls = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            assertThat(g.doCall("k", () -> Result.of(calls.incrementAndGet())).val()).isEqualTo(i + 1);
        }
    }

    @Test
    void nullResultMeansNilNil() {
        Group<String, Object> g = new Group<>();
        Result<Object> r = g.doCall(null, () -> null);
        assertThat(r).isEqualTo(new Result<>(null, null, false));
    }

    // TestPanicDo (golang/go#41133): every caller re-panics, nobody hangs.
    @Test
    void panicInDoRepanicsInEveryCaller() {
        Group<String, Object> g = new Group<>();
        final int n = 5;
        AtomicInteger panics = new AtomicInteger();
        AtomicReference<Object> value = new AtomicReference<>();
        AtomicReference<Throwable> original = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(n);
        Go.run(() -> {
            for (int i = 0; i < n; i++) {
                Go.go(() -> {
                    try {
                        g.doCall("key", () -> {
                            throw new Panic("invalid memory address or nil pointer dereference");
                        });
                    } catch (Panic p) {
                        panics.incrementAndGet();
                        PanicError pe = (PanicError) p.value();
                        value.set(pe.value());
                        original.set(pe.getCause());
                    } finally {
                        done.countDown();
                    }
                });
            }
            try {
                done.await();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        assertThat(panics.get()).isEqualTo(n);
        assertThat(value.get()).isEqualTo("invalid memory address or nil pointer dereference");
        // The original panic and its stack travel with the PanicError.
        assertThat(original.get()).isInstanceOf(Panic.class);
        assertThat(original.get().getStackTrace()[0].getClassName()).startsWith(GroupTest.class.getName());
    }

    @Test
    void panicErrorTextIsValueBlankLineStack() {
        Group<String, Object> g = new Group<>();
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> g.doCall("k", () -> {
            throw boom;
        })).isInstanceOfSatisfying(Panic.class, p -> {
            PanicError pe = (PanicError) p.value();
            assertThat(pe.value()).isSameAs(boom);
            assertThat(pe.getCause()).isSameAs(boom);
            assertThat(pe.toString()).startsWith("java.lang.IllegalStateException: boom\n\n" + GroupTest.class.getName() + ".");
        });
        // The call is gone: the key can be used again.
        assertThat(g.doCall("k", () -> Result.of(1)).val()).isEqualTo(1);
    }

    // TestPanicDoChan: a panic with doChan waiters cannot be recovered; it ends the program.
    @Test
    void panicInDoChanIsUnrecoverable() {
        Group<String, Object> g = new Group<>();
        AtomicBoolean returned = new AtomicBoolean();
        assertThatThrownBy(() -> Go.run(() -> {
            try {
                RecvChan<Result<Object>> ch = g.doChan("", () -> {
                    throw new Panic("Panicking in DoChan");
                });
                ch.recv();
                returned.set(true); // "DoChan unexpectedly returned"
            } catch (Panic p) {
                returned.set(true); // recovering must not be possible either
            }
        })).isInstanceOfSatisfying(Panic.class, p -> {
            assertThat(p.value()).isInstanceOf(PanicError.class);
            assertThat(((PanicError) p.value()).value()).isEqualTo("Panicking in DoChan");
            assertThat(p.getMessage()).startsWith("Panicking in DoChan\n\n");
        });
        assertThat(returned.get()).isFalse();
    }

    // TestPanicDoSharedByDoChan: the Do caller could recover, but the doChan waiter makes the panic fatal.
    @Test
    void panicInDoSharedByDoChanIsUnrecoverable() {
        Group<String, Object> g = new Group<>();
        AtomicBoolean unexpected = new AtomicBoolean();
        assertThatThrownBy(() -> Go.run(() -> {
            Chan<Void> blocked = Chan.make();
            Chan<Void> unblock = Chan.make();
            Go.go(() -> {
                try {
                    g.doCall("", () -> {
                        blocked.close();
                        unblock.recv();
                        throw new Panic("Panicking in Do");
                    });
                } catch (Panic p) {
                    unexpected.set(true); // recovered: must not happen
                }
            });
            blocked.recv();
            RecvChan<Result<Object>> ch = g.doChan("", () -> {
                unexpected.set(true);
                throw new Panic("DoChan unexpectedly executed callback");
            });
            unblock.close();
            ch.recv();
            unexpected.set(true); // "DoChan unexpectedly returned"
        })).isInstanceOfSatisfying(Panic.class,
                p -> assertThat(((PanicError) p.value()).value()).isEqualTo("Panicking in Do"));
        assertThat(unexpected.get()).isFalse();
    }

    @Test
    void distinctKeysRunConcurrently() {
        Group<Integer, Integer> g = new Group<>();
        AtomicInteger calls = new AtomicInteger();
        Go.run(() -> {
            Chan<Void> gate = Chan.make();
            Chan<Integer> out = Chan.make(3);
            for (int k = 0; k < 3; k++) {
                int key = k;
                Go.go(() -> out.send(g.doCall(key, () -> {
                    calls.incrementAndGet();
                    gate.recv();
                    return Result.of(key * 10);
                }).val()));
            }
            awaitCondition(() -> calls.get() == 3); // all three in flight at once
            gate.close();
            int sum = 0;
            for (int i = 0; i < 3; i++) {
                sum += out.recv();
            }
            assertThat(sum).isEqualTo(30);
        });
    }
}
