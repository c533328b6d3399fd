package go4j.sync.errgroup;

import go4j.Chan;
import go4j.Go;
import go4j.Panic;
import go4j.Select;
import go4j.context.Context;
import go4j.internal.G;
import go4j.internal.WaitReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Behaviours of golang.org/x/sync/errgroup's errgroup_test.go, in go4j. */
@Timeout(30)
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

    static final Exception ERR1 = new Exception("errgroup_test: 1");
    static final Exception ERR2 = new Exception("errgroup_test: 2");
    static final Exception ERR_DOOM = new Exception("group_test: doomed");

    // TestZeroGroup
    @Test
    void zeroGroup() {
        List<List<Throwable>> cases = List.of(
                List.of(),
                Arrays.asList((Throwable) null),
                List.of(ERR1),
                Arrays.asList(ERR1, null),
                Arrays.asList(ERR1, null, ERR2));
        Go.run(() -> {
            for (List<Throwable> errs : cases) {
                Group g = new Group();
                Throwable firstErr = null;
                for (int i = 0; i < errs.size(); i++) {
                    Throwable err = errs.get(i);
                    g.go(() -> err);
                    if (firstErr == null && err != null) {
                        firstErr = err;
                    }
                    assertThat(g.await()).as("after go for errs %s", errs.subList(0, i + 1)).isSameAs(firstErr);
                }
            }
        });
    }

    // TestWithContext
    @Test
    void withContext() {
        List<Object[]> cases = List.of(
                new Object[] {List.of(), null},
                new Object[] {Arrays.asList((Throwable) null), null},
                new Object[] {List.of(ERR_DOOM), ERR_DOOM},
                new Object[] {Arrays.asList(ERR_DOOM, null), ERR_DOOM});
        Go.run(() -> {
            for (Object[] tc : cases) {
                @SuppressWarnings("unchecked")
                List<Throwable> errs = (List<Throwable>) tc[0];
                Group g = Group.withContext(Context.background());
                Context ctx = g.context();
                for (Throwable err : errs) {
                    g.go(() -> err);
                }
                assertThat(g.await()).isSameAs(tc[1]);
                AtomicBoolean canceled = new AtomicBoolean();
                Select.select(Select.recv(ctx.done(), v -> canceled.set(true)), Select.defaultCase());
                assertThat(canceled.get()).as("ctx.Done() was not closed for %s", errs).isTrue();
            }
        });
    }

    // The first error cancels the context at once, before await: siblings see it.
    @Test
    void firstErrorCancelsSiblings() {
        Go.run(() -> {
            Group g = Group.withContext(Context.background());
            Context ctx = g.context();
            AtomicReference<Throwable> seen = new AtomicReference<>();
            g.go(() -> {
                ctx.done().recv(); // blocks until the sibling fails
                seen.set(Context.cause(ctx));
                return ctx.err();
            });
            g.go(() -> ERR_DOOM);
            assertThat(g.await()).isSameAs(ERR_DOOM);
            assertThat(seen.get()).isSameAs(ERR_DOOM);
        });
    }

    // TestTryGo
    @Test
    void tryGo() {
        Go.run(() -> {
            Group g = new Group();
            final int n = 42;
            g.setLimit(42);
            Chan<Void> ch = Chan.make();
            Task fn = () -> {
                ch.send(null);
                return null;
            };
            for (int i = 0; i < n; i++) {
                assertThat(g.tryGo(fn)).as("TryGo should succeed but got fail at %d-th call.", i).isTrue();
            }
            assertThat(g.tryGo(fn)).as("TryGo is expected to fail but succeeded.").isFalse();
            Go.go(() -> {
                for (int i = 0; i < n; i++) {
                    ch.recv();
                }
            });
            g.await();

            assertThat(g.tryGo(fn)).as("TryGo should succeed after all goroutines.").isTrue();
            Go.go(ch::recv);
            g.await();

            // Switch limit.
            g.setLimit(1);
            assertThat(g.tryGo(fn)).isTrue();
            assertThat(g.tryGo(fn)).isFalse();
            Go.go(ch::recv);
            g.await();

            // Block all calls.
            g.setLimit(0);
            for (int i = 0; i < 1 << 10; i++) {
                assertThat(g.tryGo(fn)).isFalse();
            }
            g.await();
        });
    }

    // TestGoLimit
    @Test
    void goLimit() {
        final int limit = 10;
        Go.run(() -> {
            Group g = new Group();
            g.setLimit(limit);
            AtomicInteger active = new AtomicInteger();
            for (int i = 0; i <= 1 << 10; i++) {
                g.go(() -> {
                    int n = active.incrementAndGet();
                    if (n > limit) {
                        return new Exception("saw " + n + " active goroutines; want ≤ " + limit);
                    }
                    Go.gosched(); // give other goroutines a chance to increment active
                    active.decrementAndGet();
                    return null;
                });
            }
            assertThat(g.await()).isNull();
        });
    }

    // TestCancelCause
    @Test
    void cancelCause() {
        List<Object[]> cases = List.of(
                new Object[] {List.of(), null},
                new Object[] {Arrays.asList((Throwable) null), null},
                new Object[] {List.of(ERR_DOOM), ERR_DOOM},
                new Object[] {Arrays.asList(ERR_DOOM, null), ERR_DOOM});
        Go.run(() -> {
            for (Object[] tc : cases) {
                @SuppressWarnings("unchecked")
                List<Throwable> errs = (List<Throwable>) tc[0];
                Group g = Group.withContext(Context.background());
                for (Throwable err : errs) {
                    g.tryGo(() -> err);
                }
                assertThat(g.await()).isSameAs(tc[1]);
                Object want = tc[1] == null ? Context.Canceled : tc[1];
                assertThat(Context.cause(g.context())).as("context.Cause(ctx) for %s", errs).isSameAs(want);
            }
        });
    }

    @Test
    void goBlocksOnTheLimitWithChanSend() {
        Go.run(() -> {
            Group g = new Group();
            g.setLimit(1);
            Chan<Void> gate = Chan.make();
            g.go(() -> {
                gate.recv();
                return null;
            });
            AtomicReference<G> blocked = new AtomicReference<>();
            AtomicBoolean secondRan = new AtomicBoolean();
            Chan<Void> started = Chan.make();
            Go.go(() -> {
                blocked.set(G.current());
                g.go(() -> {
                    secondRan.set(true);
                    return null;
                });
                started.close();
            });
            awaitCondition(() -> blocked.get() != null && blocked.get().waitReason() == WaitReason.CHAN_SEND);
            assertThat(secondRan.get()).isFalse();
            AtomicReference<G> waiter = new AtomicReference<>();
            Chan<Throwable> awaited = Chan.make(1);
            Go.go(() -> {
                started.recv();
                waiter.set(G.current());
                awaited.send(g.await());
            });
            gate.close();
            assertThat(awaited.recv()).isNull();
            assertThat(secondRan.get()).isTrue();
        });
    }

    @Test
    void awaitParksWithWaitGroupReason() {
        Go.run(() -> {
            Group g = new Group();
            Chan<Void> gate = Chan.make();
            g.go(() -> {
                gate.recv();
                return null;
            });
            AtomicReference<G> waiter = new AtomicReference<>();
            Chan<Void> done = Chan.make();
            Go.go(() -> {
                waiter.set(G.current());
                g.await();
                done.close();
            });
            awaitCondition(() -> waiter.get() != null
                    && waiter.get().waitReason() == WaitReason.SYNC_WAITGROUP_WAIT);
            gate.close();
            done.recv();
        });
    }

    @Test
    void setLimitWhileActivePanics() {
        Go.run(() -> {
            Group g = new Group();
            g.setLimit(3);
            Chan<Void> gate = Chan.make();
            for (int i = 0; i < 2; i++) {
                g.go(() -> {
                    gate.recv();
                    return null;
                });
            }
            assertThatThrownBy(() -> g.setLimit(5)).isInstanceOf(Panic.class)
                    .hasMessage("errgroup: modify limit while 2 goroutines in the group are still active");
            // Also for goroutines started without a limit (Go would not notice, and hang in their done()).
            Group h = new Group();
            h.go(() -> {
                gate.recv();
                return null;
            });
            assertThatThrownBy(() -> h.setLimit(1))
                    .hasMessage("errgroup: modify limit while 1 goroutines in the group are still active");
            g.setLimit(-1); // removing the limit is always allowed
            gate.close();
            assertThat(g.await()).isNull();
            assertThat(h.await()).isNull();
            g.setLimit(2);
        });
    }

    // x/sync v0.16: a panic in a task is not an error; it is an unrecovered panic that ends the program.
    @Test
    void panicInTaskEndsTheProgram() {
        AtomicReference<Throwable> awaited = new AtomicReference<>(ERR1);
        assertThatThrownBy(() -> Go.run(() -> {
            Group g = new Group();
            g.go(() -> {
                throw new Panic("task exploded");
            });
            awaited.set(g.await());
            Select.select(); // main stays until the panic ends the program
        })).isInstanceOfSatisfying(Panic.class, p -> {
            assertThat(p.value()).isEqualTo("task exploded");
            assertThat(p.goroutine()).isNotEqualTo(1);
        });
        // await may or may not have returned before the program ended, but never with the panic as an error.
        assertThat(awaited.get()).isIn(ERR1, null);
    }

    @Test
    void nullTaskPanicsLikeGo() {
        Group g = new Group();
        assertThatThrownBy(() -> g.go(null)).hasMessage("invalid memory address or nil pointer dereference");
        assertThatThrownBy(() -> g.tryGo(null)).hasMessage("invalid memory address or nil pointer dereference");
    }

    @Test
    void zeroGroupContextIsBackgroundAndWorksFromPlainThreads() {
        Group g = new Group();
        assertThat(g.context()).isSameAs(Context.background());
        List<Integer> results = new ArrayList<>(List.of(0, 0, 0));
        for (int i = 0; i < 3; i++) {
            int idx = i;
            g.go(() -> {
                results.set(idx, idx * idx); // distinct indices: no race
                return null;
            });
        }
        assertThat(g.await()).isNull();
        assertThat(results).containsExactly(0, 1, 4);
    }
}
