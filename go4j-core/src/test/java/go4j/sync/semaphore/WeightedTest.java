package go4j.sync.semaphore;

import go4j.Chan;
import go4j.Go;
import go4j.GoInterruptedException;
import go4j.Panic;
import go4j.context.CancelContext;
import go4j.context.Context;
import go4j.internal.G;
import go4j.internal.WaitReason;
import go4j.sync.WaitGroup;
import go4j.sync.errgroup.Group;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Behaviours of golang.org/x/sync/semaphore's semaphore_test.go, in go4j. */
@Timeout(30)
class WeightedTest {

    static void awaitCondition(BooleanSupplier cond) {
        for (int i = 0; !cond.getAsBoolean(); i++) {
            if (i < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    static final Context BG = Context.background();

    static void hammerWeighted(Weighted sem, long n, int loops, AtomicInteger held, long size) {
        for (int i = 0; i < loops; i++) {
            assertThat(sem.acquire(BG, n)).isNull();
            int h = held.addAndGet((int) n);
            assertThat(h).isLessThanOrEqualTo((int) size);
            if (ThreadLocalRandom.current().nextInt(4) == 0) {
                Go.gosched();
            }
            held.addAndGet((int) -n);
            sem.release(n);
        }
    }

    // TestWeighted: goroutines hammer weights 0..n-1 of a size-n semaphore; the held weight never exceeds n.
    @Test
    void weighted() {
        final int n = 4;
        final int loops = 10000 / n;
        Weighted sem = Weighted.newWeighted(n);
        AtomicInteger held = new AtomicInteger();
        Go.run(() -> {
            WaitGroup wg = new WaitGroup();
            wg.add(n);
            for (int i = 0; i < n; i++) {
                long w = i;
                Go.go(() -> {
                    try {
                        hammerWeighted(sem, w, loops, held, n);
                    } finally {
                        wg.done();
                    }
                });
            }
            wg.await();
        });
        assertThat(sem.held()).isZero();
        assertThat(sem.waiters()).isZero();
    }

    // TestWeightedPanic
    @Test
    void releaseOfUnacquiredPanics() {
        Weighted w = new Weighted(1);
        assertThatThrownBy(() -> w.release(1)).isInstanceOf(Panic.class)
                .hasMessage("semaphore: released more than held");
        // go4j leaves the semaphore usable (Go would leave it at -1).
        assertThat(w.held()).isZero();
        assertThat(w.tryAcquire(1)).isTrue();
        assertThat(w.tryAcquire(1)).isFalse();
    }

    // TestWeightedTryAcquire
    @Test
    void weightedTryAcquire() {
        Weighted sem = Weighted.newWeighted(2);
        List<Boolean> tries = new ArrayList<>();
        sem.acquire(BG, 1);
        tries.add(sem.tryAcquire(1));
        tries.add(sem.tryAcquire(1));
        sem.release(2);
        tries.add(sem.tryAcquire(1));
        sem.acquire(BG, 1);
        tries.add(sem.tryAcquire(1));
        assertThat(tries).containsExactly(true, false, true, false);
    }

    // TestWeightedAcquire: acquire with a timeout. Go uses 10 ms for every try; on a loaded 2-core machine the first
    // context can expire before Acquire even starts (and v0.16 then fails at once), so the tries that must succeed
    // get 10 s (they return at once) and those that must fail 10 ms (nobody releases meanwhile).
    @Test
    void weightedAcquire() {
        List<Boolean> tries = new ArrayList<>();
        Go.run(() -> {
            Weighted sem = Weighted.newWeighted(2);
            java.util.function.BiPredicate<Long, Duration> tryAcquire = (n, timeout) -> {
                try (CancelContext ctx = Context.withTimeout(BG, timeout)) {
                    return sem.acquire(ctx, n) == null;
                }
            };
            Duration fits = Duration.ofSeconds(10);
            Duration blocks = Duration.ofMillis(10);
            sem.acquire(BG, 1);
            tries.add(tryAcquire.test(1L, fits));
            tries.add(tryAcquire.test(1L, blocks));
            sem.release(2);
            tries.add(tryAcquire.test(1L, fits));
            sem.acquire(BG, 1);
            tries.add(tryAcquire.test(1L, blocks));
        });
        assertThat(tries).containsExactly(true, false, true, false);
    }

    @Test
    void timedOutAcquireReturnsDeadlineExceededAndLeavesNoTrace() {
        Go.run(() -> {
            Weighted sem = Weighted.newWeighted(1);
            sem.acquire(BG, 1);
            try (CancelContext ctx = Context.withTimeout(BG, Duration.ofMillis(5))) {
                assertThat(sem.acquire(ctx, 1)).isSameAs(Context.DeadlineExceeded);
            }
            assertThat(sem.waiters()).isZero();
            assertThat(sem.held()).isEqualTo(1);
        });
    }

    // TestWeightedDoesntBlockIfTooBig
    @Test
    void doesntBlockIfTooBig() {
        final int n = 2;
        Go.run(() -> {
            Weighted sem = Weighted.newWeighted(n);
            CancelContext big = Context.withCancel(BG);
            Chan<Throwable> bigErr = Chan.make(1);
            Go.go(() -> bigErr.send(sem.acquire(big, n + 1)));
            Group g = Group.withContext(BG);
            Context ctx = g.context();
            for (int i = n * 3; i > 0; i--) {
                g.go(() -> {
                    Throwable err = sem.acquire(ctx, 1);
                    if (err == null) {
                        Go.gosched();
                        sem.release(1);
                    }
                    return err;
                });
            }
            assertThat(g.await()).as("failed to acquire 1 with acquire(%d) pending", n + 1).isNull();
            assertThat(sem.waiters()).as("the doomed request does not queue").isZero();
            big.cancel();
            assertThat(bigErr.recv()).isSameAs(Context.Canceled);
        });
    }

    // TestLargeAcquireDoesntStarve: a request for the whole size is not starved by goroutines that keep
    // releasing and re-acquiring 1. Merely returning indicates success.
    @Test
    void largeAcquireDoesntStarve() {
        Go.run(() -> {
            final long n = 4;
            Weighted sem = Weighted.newWeighted(n);
            AtomicInteger running = new AtomicInteger(1);
            WaitGroup wg = new WaitGroup();
            wg.add((int) n);
            for (long i = n; i > 0; i--) {
                sem.acquire(BG, 1);
                Go.go(() -> {
                    try {
                        while (running.get() == 1) {
                            Go.gosched();
                            sem.release(1);
                            sem.acquire(BG, 1);
                        }
                    } finally {
                        sem.release(1);
                        wg.done();
                    }
                });
            }
            sem.acquire(BG, n);
            running.set(0);
            sem.release(n);
            wg.await();
        });
    }

    // TestAllocCancelDoesntStarve (from zhiqiangxu/util's crwmutex_test.go), made deterministic: a queued
    // writer's request is cancelled; the reader queued behind it must then be notified.
    @Test
    void allocCancelDoesntStarve() {
        Go.run(() -> {
            Weighted sem = Weighted.newWeighted(10);
            sem.acquire(BG, 1); // hold 1 read lock
            CancelContext writerCtx = Context.withCancel(BG);
            Chan<Throwable> writerErr = Chan.make(1);
            Go.go(() -> writerErr.send(sem.acquire(writerCtx, 10))); // a write lock request
            awaitCondition(() -> sem.waiters() == 1);
            Chan<Void> doneCh = Chan.make();
            Go.go(() -> {
                // queued after the write request, must be notified when it is cancelled
                assertThat(sem.acquire(BG, 1)).isNull();
                sem.release(1);
                doneCh.close();
            });
            awaitCondition(() -> sem.waiters() == 2);
            writerCtx.cancel();
            assertThat(writerErr.recv()).isSameAs(Context.Canceled);
            doneCh.recv();
            assertThat(sem.held()).isEqualTo(1);
        });
    }

    @Test
    void alreadyDoneContextFailsEvenWhenFree() {
        Weighted sem = Weighted.newWeighted(5);
        CancelContext ctx = Context.withCancel(BG);
        ctx.cancel();
        assertThat(sem.acquire(ctx, 1)).isSameAs(Context.Canceled);
        assertThat(sem.held()).isZero();
    }

    @Test
    void fifoWithoutBarging() {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        Go.run(() -> {
            Weighted sem = Weighted.newWeighted(3);
            sem.acquire(BG, 3);
            Chan<Void> done = Chan.make(3);
            long[] weights = {2, 1, 3};
            for (int i = 0; i < weights.length; i++) {
                int id = i;
                int queued = i + 1;
                Go.go(() -> {
                    sem.acquire(BG, weights[id]);
                    order.add(id);
                    done.send(null);
                });
                awaitCondition(() -> sem.waiters() == queued);
            }
            assertThat(sem.tryAcquire(1)).as("no barging while waiters exist").isFalse();
            sem.release(1); // 1 free: the head wants 2, so nobody proceeds, not even the 1 behind it
            assertThat(sem.waiters()).isEqualTo(3);
            assertThat(sem.held()).isEqualTo(2);
            sem.release(2); // 3 free: 2 then 1 are granted; 3 waits
            done.recv();
            done.recv();
            assertThat(order).containsExactlyInAnyOrder(0, 1); // granted together, in queue order
            assertThat(sem.waiters()).isEqualTo(1);
            sem.release(3);
            done.recv();
            assertThat(order).containsExactly(0, 1, 2);
            assertThat(sem.held()).isEqualTo(3);
        });
    }

    @Test
    void waitingAcquireShowsSelect() {
        Go.run(() -> {
            Weighted sem = Weighted.newWeighted(1);
            sem.acquire(BG, 1);
            AtomicReference<G> g = new AtomicReference<>();
            Chan<Void> done = Chan.make();
            Go.go(() -> {
                g.set(G.current());
                sem.acquire(BG, 1);
                done.close();
            });
            awaitCondition(() -> g.get() != null && g.get().waitReason() == WaitReason.SELECT);
            sem.release(1);
            done.recv();
        });
    }

    @Test
    void tooBigWithUncancellableContextBlocksUntilInterrupted() throws Exception {
        Weighted sem = Weighted.newWeighted(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                sem.acquire(BG, 2);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        awaitCondition(() -> t.getState() == Thread.State.WAITING);
        assertThat(sem.tryAcquire(1)).isTrue(); // it did not queue
        t.interrupt();
        t.join();
        assertThat(thrown.get()).isInstanceOf(GoInterruptedException.class);
    }

    @Test
    void interruptedAcquireWithdrawsAndRenotifies() throws Exception {
        Weighted sem = Weighted.newWeighted(2);
        sem.acquire(BG, 1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread big = Thread.ofPlatform().start(() -> {
            try {
                sem.acquire(BG, 2);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        awaitCondition(() -> sem.waiters() == 1);
        Chan<Void> small = Chan.make();
        Thread.ofPlatform().start(() -> {
            sem.acquire(BG, 1);
            small.close();
        });
        awaitCondition(() -> sem.waiters() == 2);
        big.interrupt();
        big.join();
        assertThat(thrown.get()).isInstanceOf(GoInterruptedException.class);
        small.recv(); // the head gave up with 1 free: the one behind it was notified
        assertThat(sem.held()).isEqualTo(2);
        assertThat(sem.waiters()).isZero();
    }

    // Stress: acquires of random weight, some abandoned by cancellation at random moments (racing the grant), some
    // lock-free tryAcquires, never exceed the size, and leave nothing held or queued behind.
    @Test
    void cancellationStressKeepsTheInvariants() {
        final long size = 4;
        final int goroutines = 4;
        final int loops = 1500;
        Weighted sem = new Weighted(size);
        AtomicInteger held = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        Go.run(() -> {
            WaitGroup wg = new WaitGroup();
            wg.add(goroutines);
            for (int g = 0; g < goroutines; g++) {
                Go.go(() -> {
                    try {
                        ThreadLocalRandom rnd = ThreadLocalRandom.current();
                        for (int i = 0; i < loops; i++) {
                            long n = 1 + rnd.nextInt(3);
                            Throwable err;
                            int mode = rnd.nextInt(6);
                            if (mode == 5) {
                                if (!sem.tryAcquire(n)) {
                                    continue; // lock-free path racing queued acquires and releases
                                }
                            } else if (mode < 2) {
                                CancelContext ctx = Context.withCancel(BG);
                                if (i % 50 == 0) {
                                    ctx.cancel(); // already done: fails even when free (v0.16)
                                }
                                Go.go(() -> {
                                    if (ThreadLocalRandom.current().nextBoolean()) {
                                        Go.gosched();
                                    }
                                    ctx.cancel();
                                });
                                err = sem.acquire(ctx, n);
                                if (err != null) {
                                    assertThat(err).isSameAs(Context.Canceled);
                                    cancelled.incrementAndGet();
                                    continue;
                                }
                            } else {
                                assertThat(sem.acquire(BG, n)).isNull();
                            }
                            int h = held.addAndGet((int) n);
                            assertThat(h).isLessThanOrEqualTo((int) size);
                            if (rnd.nextInt(4) == 0) {
                                Go.gosched();
                            }
                            held.addAndGet((int) -n);
                            sem.release(n);
                        }
                    } finally {
                        wg.done();
                    }
                });
            }
            wg.await();
        });
        assertThat(sem.held()).isZero();
        assertThat(sem.waiters()).isZero();
        assertThat(cancelled.get()).isPositive();
    }
}
