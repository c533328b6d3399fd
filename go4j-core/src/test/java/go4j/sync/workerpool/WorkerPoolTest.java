package go4j.sync.workerpool;

import go4j.Chan;
import go4j.Go;
import go4j.GoInterruptedException;
import go4j.Panic;
import go4j.context.CancelContext;
import go4j.context.Context;
import go4j.internal.G;
import go4j.internal.WaitReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class WorkerPoolTest {

    static void awaitCondition(BooleanSupplier cond) {
        for (int i = 0; !cond.getAsBoolean(); i++) {
            if (i < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    static void awaitParked(AtomicReference<G> ref, WaitReason reason) {
        awaitCondition(() -> {
            G g = ref.get();
            return g != null && g.waitReason() == reason;
        });
    }

    // The pool under load: never more than maxWorkers tasks at once, every task runs exactly once, nothing is lost
    // on close, and the producers were slowed down by the bounded queue.
    @Test
    void underLoadNeverMoreThanLimitAndNothingLost() {
        final int limit = 4;
        final int producers = 3;
        final int perProducer = 1000;
        AtomicInteger active = new AtomicInteger();
        AtomicInteger maxActive = new AtomicInteger();
        AtomicIntegerArray ran = new AtomicIntegerArray(producers * perProducer);
        AtomicInteger maxQueued = new AtomicInteger();
        WorkerPool pool = WorkerPool.create(limit, 8);
        Go.run(() -> {
            Chan<Void> produced = Chan.make(producers);
            for (int p = 0; p < producers; p++) {
                int base = p * perProducer;
                Go.go(() -> {
                    for (int i = 0; i < perProducer; i++) {
                        int id = base + i;
                        assertThat(pool.submit(() -> {
                            int n = active.incrementAndGet();
                            maxActive.accumulateAndGet(n, Math::max);
                            if (id % 7 == 0) {
                                Go.gosched();
                            }
                            ran.incrementAndGet(id);
                            active.decrementAndGet();
                            return null;
                        })).isNull();
                        maxQueued.accumulateAndGet(pool.queued(), Math::max);
                        assertThat(pool.workers()).isLessThanOrEqualTo(limit);
                    }
                    produced.send(null);
                });
            }
            for (int p = 0; p < producers; p++) {
                produced.recv();
            }
            pool.close();
        });
        assertThat(maxActive.get()).isBetween(1, limit);
        assertThat(maxQueued.get()).isLessThanOrEqualTo(8);
        for (int i = 0; i < ran.length(); i++) {
            assertThat(ran.get(i)).as("task %d", i).isEqualTo(1);
        }
        assertThat(pool.submitted()).isEqualTo(producers * perProducer);
        assertThat(pool.completed()).isEqualTo(producers * perProducer);
        assertThat(pool.workers()).isZero();
        assertThat(pool.await()).isNull();
    }

    @Test
    void blocksWhenQueueFullAndAdmitsFifo() {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        AtomicReference<G> blocked = new AtomicReference<>();
        Go.run(() -> {
            WorkerPool pool = WorkerPool.create(1, 2);
            Chan<Void> gate = Chan.make();
            pool.submit(() -> {
                gate.recv();
                order.add(0);
                return null;
            });
            awaitCondition(() -> pool.queued() == 0 && pool.workers() == 1);
            for (int i = 1; i <= 2; i++) {
                int id = i;
                assertThat(pool.trySubmit(() -> {
                    order.add(id);
                    return null;
                })).isTrue();
            }
            assertThat(pool.trySubmit(() -> null)).as("queue full").isFalse();
            Chan<Void> submitted = Chan.make(2);
            Go.go(() -> {
                blocked.set(G.current());
                pool.submit(() -> {
                    order.add(3);
                    return null;
                });
                submitted.send(null);
            });
            awaitParked(blocked, WaitReason.CHAN_SEND); // back-pressure: Go's "chan send"
            AtomicReference<G> second = new AtomicReference<>();
            Go.go(() -> {
                second.set(G.current());
                pool.submit(() -> {
                    order.add(4);
                    return null;
                });
                submitted.send(null);
            });
            awaitParked(second, WaitReason.CHAN_SEND);
            assertThat(pool.trySubmit(() -> null)).as("no barging past blocked submitters").isFalse();
            gate.close();
            submitted.recv();
            submitted.recv();
            assertThat(pool.await()).isNull();
        });
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void zeroCapacityHandsOff() {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        Go.run(() -> {
            WorkerPool pool = WorkerPool.create(2, 0);
            Chan<Void> gate = Chan.make();
            for (int i = 0; i < 2; i++) {
                int id = i;
                pool.submit(() -> {
                    gate.recv();
                    order.add(id);
                    return null;
                });
            }
            assertThat(pool.trySubmit(() -> null)).isFalse();
            AtomicReference<G> sub = new AtomicReference<>();
            Chan<Void> done = Chan.make();
            Go.go(() -> {
                sub.set(G.current());
                pool.submit(() -> {
                    order.add(2);
                    return null;
                });
                done.close();
            });
            awaitParked(sub, WaitReason.CHAN_SEND);
            assertThat(pool.queued()).isZero();
            gate.send(null);
            done.recv();
            gate.send(null);
            pool.close();
            assertThat(pool.workers()).isZero();
        });
        assertThat(order).hasSize(3).contains(0, 1, 2);
    }

    @Test
    void closeWaitsForQueuedAndBlockedSubmissionsThenRejects() {
        AtomicInteger ran = new AtomicInteger();
        Go.run(() -> {
            WorkerPool pool = WorkerPool.create(1, 1);
            Chan<Void> gate = Chan.make();
            pool.submit(() -> {
                gate.recv();
                ran.incrementAndGet();
                return null;
            });
            pool.submit(() -> {
                ran.incrementAndGet();
                return null;
            });
            AtomicReference<G> sub = new AtomicReference<>();
            Go.go(() -> {
                sub.set(G.current());
                pool.submit(() -> {
                    ran.incrementAndGet();
                    return null;
                });
            });
            awaitParked(sub, WaitReason.CHAN_SEND);
            AtomicReference<G> closer = new AtomicReference<>();
            Chan<Void> closed = Chan.make();
            Go.go(() -> {
                closer.set(G.current());
                pool.close();
                closed.close();
            });
            awaitParked(closer, WaitReason.SYNC_WAITGROUP_WAIT);
            assertThat(pool.isClosed()).isTrue();
            assertThatThrownBy(() -> pool.submit(() -> null)).isInstanceOf(Panic.class)
                    .hasMessage("workerpool: submit on closed pool");
            assertThatThrownBy(() -> pool.trySubmit(() -> null)).isInstanceOf(Panic.class);
            gate.close();
            closed.recv();
            assertThat(ran.get()).isEqualTo(3);
            pool.close(); // idempotent
        });
    }

    @Test
    void firstErrorIsReturned() {
        Exception e1 = new Exception("first");
        Exception e2 = new Exception("second");
        Go.run(() -> {
            WorkerPool pool = WorkerPool.create(1, 4);
            assertThat(pool.await()).isNull(); // idle pool
            pool.submit(() -> null);
            pool.submit(() -> e1);
            pool.submit(() -> e2);
            pool.submit(() -> null);
            assertThat(pool.await()).isSameAs(e1);
            assertThat(pool.completed()).isEqualTo(4);
            pool.close();
            assertThat(pool.await()).isSameAs(e1);
        });
    }

    @Test
    void panicIsSurfacedAtAwaitAndDoesNotKillTheProgram() {
        AtomicInteger ran = new AtomicInteger();
        AtomicReference<Panic> caught = new AtomicReference<>();
        Go.run(() -> {
            WorkerPool pool = WorkerPool.create(2, 10);
            for (int i = 0; i < 10; i++) {
                int id = i;
                pool.submit(() -> {
                    ran.incrementAndGet();
                    if (id == 3) {
                        throw new Panic("task 3 failed");
                    }
                    return null;
                });
            }
            try {
                pool.close();
            } catch (Panic p) {
                caught.set(p);
            }
        });
        assertThat(ran.get()).isEqualTo(10);
        Panic p = caught.get();
        assertThat(p).isNotNull();
        TaskPanic tp = (TaskPanic) p.value();
        assertThat(tp.value()).isEqualTo("task 3 failed");
        assertThat(tp.getCause()).isInstanceOf(Panic.class);
        assertThat(tp.getMessage()).startsWith("task 3 failed\n\n" + WorkerPoolTest.class.getName());
        assertThat(tp.getMessage()).contains("created by go4j.sync.workerpool.WorkerPool.");
    }

    @Test
    void cancelledContextDropsQueuedAndRejectsSubmitters() {
        AtomicInteger ran = new AtomicInteger();
        Go.run(() -> {
            CancelContext parent = Context.withCancel(Context.background());
            WorkerPool pool = WorkerPool.withContext(parent, 1, 2);
            Chan<Void> started = Chan.make();
            pool.submit(() -> {
                started.close();
                pool.context().done().recv(); // a task that watches the pool's context
                ran.incrementAndGet();
                return null;
            });
            started.recv();
            pool.submit(() -> {
                ran.incrementAndGet();
                return null;
            });
            pool.submit(() -> {
                ran.incrementAndGet();
                return null;
            });
            AtomicReference<G> sub = new AtomicReference<>();
            Chan<Throwable> subErr = Chan.make(1);
            Go.go(() -> {
                sub.set(G.current());
                subErr.send(pool.submit(() -> {
                    ran.incrementAndGet();
                    return null;
                }));
            });
            awaitParked(sub, WaitReason.CHAN_SEND);
            parent.cancel();
            assertThat(subErr.recv()).isSameAs(Context.Canceled);
            assertThat(pool.await()).isSameAs(Context.Canceled);
            assertThat(ran.get()).isEqualTo(1);
            assertThat(pool.skipped()).isEqualTo(2);
            assertThat(pool.submit(() -> null)).isSameAs(Context.Canceled);
            assertThat(pool.trySubmit(() -> null)).isFalse();
            pool.close();
        });
    }

    @Test
    void taskErrorCancelsContextWithCause() {
        Exception boom = new Exception("boom");
        Go.run(() -> {
            WorkerPool pool = WorkerPool.withContext(Context.background(), 2, 4);
            pool.submit(() -> boom);
            pool.context().done().recv();
            assertThat(Context.cause(pool.context())).isSameAs(boom);
            assertThat(pool.context().err()).isSameAs(Context.Canceled);
            assertThat(pool.await()).isSameAs(boom);
            pool.close();
        });
    }

    @Test
    void closeCancelsTheContext() {
        Go.run(() -> {
            WorkerPool pool = WorkerPool.withContext(Context.background(), 2, 4);
            pool.submit(() -> null);
            assertThat(pool.context().err()).isNull();
            pool.close();
            assertThat(pool.context().err()).isSameAs(Context.Canceled);
            assertThat(pool.await()).isNull();
            assertThat(pool.skipped()).isZero();
        });
    }

    @Test
    void submitGivesUpWhenItsContextEnds() {
        AtomicInteger ran = new AtomicInteger();
        Go.run(() -> {
            WorkerPool pool = WorkerPool.create(1, 0);
            Chan<Void> gate = Chan.make();
            pool.submit(() -> {
                gate.recv();
                return null;
            });
            CancelContext done = Context.withCancel(Context.background());
            done.cancel();
            // Already done: fails even though... the pool is full anyway; an idle pool is checked below.
            assertThat(pool.submit(done, () -> null)).isSameAs(Context.Canceled);
            CancelContext ctx = Context.withCancel(Context.background());
            AtomicReference<G> sub = new AtomicReference<>();
            Chan<Throwable> res = Chan.make(1);
            Go.go(() -> {
                sub.set(G.current());
                res.send(pool.submit(ctx, () -> {
                    ran.incrementAndGet();
                    return null;
                }));
            });
            awaitParked(sub, WaitReason.CHAN_SEND);
            ctx.cancel();
            assertThat(res.recv()).isSameAs(Context.Canceled);
            gate.close();
            pool.close();
            assertThat(pool.submitted()).isEqualTo(1);

            WorkerPool idle = WorkerPool.create(1, 1);
            assertThat(idle.submit(done, () -> {
                ran.incrementAndGet();
                return null;
            })).as("an already-done context fails even when there is room").isSameAs(Context.Canceled);
            idle.close();
        });
        assertThat(ran.get()).isZero();
    }

    @Test
    void blockedSubmitFromAPlainThreadIsInterruptible() throws Exception {
        WorkerPool pool = WorkerPool.create(1, 0);
        Chan<Void> gate = Chan.make();
        pool.submit(() -> {
            gate.recv();
            return null;
        });
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicInteger ran = new AtomicInteger();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                pool.submit(() -> {
                    ran.incrementAndGet();
                    return null;
                });
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        awaitCondition(() -> t.getState() == Thread.State.WAITING);
        t.interrupt();
        t.join();
        assertThat(thrown.get()).isInstanceOf(GoInterruptedException.class);
        gate.close();
        pool.close();
        assertThat(ran.get()).isZero();
        assertThat(pool.completed()).isEqualTo(1);
    }

    @Test
    void rejectsBadArguments() {
        assertThatThrownBy(() -> WorkerPool.create(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> WorkerPool.create(1, -1)).isInstanceOf(IllegalArgumentException.class);
        WorkerPool pool = WorkerPool.create(1, 1);
        assertThatThrownBy(() -> pool.submit(null)).hasMessage("invalid memory address or nil pointer dereference");
        pool.close();
    }

    // Stress: producers submit while the parent context is cancelled at a random moment; every accepted task
    // either ran or was dropped (none lost, none run twice), rejected submissions returned Canceled.
    @Test
    void cancellationUnderLoadLosesNothing() {
        for (int round = 0; round < 5; round++) {
            AtomicInteger ran = new AtomicInteger();
            AtomicInteger attempts = new AtomicInteger();
            AtomicInteger accepted = new AtomicInteger();
            AtomicInteger rejected = new AtomicInteger();
            WorkerPool[] p = new WorkerPool[1];
            Go.run(() -> {
                CancelContext parent = Context.withCancel(Context.background());
                WorkerPool pool = WorkerPool.withContext(parent, 3, 5);
                p[0] = pool;
                Chan<Void> done = Chan.make(3);
                for (int k = 0; k < 3; k++) {
                    Go.go(() -> {
                        // Submit until the cancellation rejects us (bounded for safety): every submitter sees the
                        // cancel while the pool is under load, whatever the scheduling.
                        for (int i = 0; i < 10_000_000; i++) {
                            attempts.incrementAndGet();
                            Throwable err = pool.submit(() -> {
                                ran.incrementAndGet();
                                if (ThreadLocalRandom.current().nextInt(3) == 0) {
                                    Go.gosched();
                                }
                                return null;
                            });
                            if (err == null) {
                                accepted.incrementAndGet();
                            } else {
                                assertThat(err).isSameAs(Context.Canceled);
                                rejected.incrementAndGet();
                                break;
                            }
                        }
                        done.send(null);
                    });
                }
                awaitCondition(() -> pool.completed() > 100);
                parent.cancel();
                for (int k = 0; k < 3; k++) {
                    done.recv();
                }
                pool.close();
            });
            WorkerPool pool = p[0];
            assertThat(rejected.get()).isEqualTo(3);
            assertThat(accepted.get() + rejected.get()).isEqualTo(attempts.get());
            assertThat(pool.submitted()).isEqualTo(accepted.get());
            assertThat(ran.get() + pool.skipped()).isEqualTo(accepted.get());
            assertThat(pool.completed()).isEqualTo(ran.get());
        }
    }

    @Test
    void panicCancelsTheContextWithTheTaskPanicAsCause() {
        AtomicReference<Panic> caught = new AtomicReference<>();
        Go.run(() -> {
            WorkerPool pool = WorkerPool.withContext(Context.background(), 1, 1);
            pool.submit(() -> {
                throw new IllegalStateException("bad state");
            });
            pool.context().done().recv();
            Throwable cause = Context.cause(pool.context());
            assertThat(cause).isInstanceOf(TaskPanic.class);
            assertThat(((TaskPanic) cause).value()).isInstanceOf(IllegalStateException.class);
            try {
                pool.await();
            } catch (Panic p) {
                caught.set(p);
            }
            assertThatThrownBy(pool::close).isInstanceOf(Panic.class); // close re-panics too
        });
        assertThat(caught.get()).isNotNull();
        assertThat(caught.get().value()).isInstanceOf(TaskPanic.class);
    }
}
