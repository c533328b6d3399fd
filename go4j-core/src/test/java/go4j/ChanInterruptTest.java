package go4j;

import go4j.internal.G;
import go4j.internal.Sched;
import go4j.internal.WaitReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static go4j.Goroutines.awaitParked;
import static go4j.Goroutines.spawn;
import static go4j.Select.recv;
import static go4j.Select.select;
import static go4j.Select.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Interruption of a goroutine blocked in send, receive or select (go4j's addition to Go, see {@link Chan} and
 * {@link GoInterruptedException}): the interrupted operation does nothing, the interrupt status is cleared, and
 * the channel stays usable; under a storm of interrupts no value is lost or duplicated.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChanInterruptTest {

    /** What a goroutine's blocking operation ended with. */
    private record Outcome(Object value, Throwable thrown, boolean interruptedAfter, int stateAfter) {}

    private static G spawnOp(AtomicReference<Outcome> out, java.util.function.Supplier<Object> op) {
        return spawn(() -> {
            try {
                Object v = op.get();
                out.set(new Outcome(v, null, Sched.isInterrupted(), G.current().state()));
            } catch (Throwable t) {
                out.set(new Outcome(null, t, Sched.isInterrupted(), G.current().state()));
            }
        });
    }

    private static Outcome await(AtomicReference<Outcome> out) {
        Outcome o;
        while ((o = out.get()) == null) {
            Thread.yield();
        }
        return o;
    }

    private static void assertInterruptedCleanly(Outcome o) {
        assertThat(o.thrown()).isInstanceOf(GoInterruptedException.class);
        assertThat(o.interruptedAfter()).as("interrupt status cleared when GoInterruptedException is thrown")
                .isFalse();
        assertThat(o.stateAfter()).as("the goroutine runs again (state)").isEqualTo(G.RUNNING);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void interruptedSendSendsNothingAndLeavesChannelUsable(int cap) {
        Go.run(() -> {
            Chan<Integer> c = Chan.make(cap);
            for (int i = 0; i < cap; i++) {
                c.send(-1); // fill
            }
            AtomicReference<Outcome> out = new AtomicReference<>();
            G g = spawnOp(out, () -> {
                c.send(42);
                return null;
            });
            assertThat(awaitParked(g)).isEqualTo(WaitReason.CHAN_SEND);
            g.thread().interrupt();
            assertInterruptedCleanly(await(out));
            assertThat(c.sendq.isEmptyAcquire()).as("the interrupted sender left the queue").isTrue();
            for (int i = 0; i < cap; i++) {
                assertThat(c.recv()).isEqualTo(-1);
            }
            assertThat(c.tryRecv()).as("42 was not sent").isNull();
            // still usable both ways
            Go.go(() -> c.send(7));
            assertThat(c.recv()).isEqualTo(7);
            c.close();
            assertThat(c.recvOk()).isEqualTo(Received.closed());
        });
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void interruptedRecvReceivesNothingAndLeavesChannelUsable(int cap) {
        Go.run(() -> {
            Chan<Integer> c = Chan.make(cap);
            AtomicReference<Outcome> out = new AtomicReference<>();
            G g = spawnOp(out, c::recv);
            assertThat(awaitParked(g)).isEqualTo(WaitReason.CHAN_RECEIVE);
            g.thread().interrupt();
            assertInterruptedCleanly(await(out));
            assertThat(c.recvq.isEmptyAcquire()).as("the interrupted receiver left the queue").isTrue();
            assertThat(c.trySend(5)).as("no receiver is waiting any more").isEqualTo(cap > 0);
            if (cap > 0) {
                assertThat(c.recv()).isEqualTo(5);
            }
            Go.go(() -> c.send(8));
            assertThat(c.recv()).isEqualTo(8);
        });
    }

    @Test
    void interruptedSelectDequeuesEveryCase() {
        Go.run(() -> {
            Chan<Integer> a = Chan.make();
            Chan<Integer> b = Chan.make();
            Chan<Integer> full = Chan.make(1);
            full.send(0);
            AtomicReference<Outcome> out = new AtomicReference<>();
            G g = spawnOp(out, () -> select(recv(a), recv(b), send(full, 1), send(a, 2)));
            assertThat(awaitParked(g)).isEqualTo(WaitReason.SELECT);
            g.thread().interrupt();
            assertInterruptedCleanly(await(out));
            assertThat(a.recvq.isEmptyAcquire()).isTrue();
            assertThat(a.sendq.isEmptyAcquire()).isTrue();
            assertThat(b.recvq.isEmptyAcquire()).isTrue();
            assertThat(full.sendq.isEmptyAcquire()).isTrue();
            assertThat(a.trySend(1)).isFalse();
            assertThat(a.tryRecv()).isNull();
            assertThat(full.recv()).isZero();
            assertThat(full.tryRecv()).as("the send case did not happen").isNull();
        });
    }

    @Test
    void interruptStatusSetBeforeBlockingThrowsWithoutSideEffect() {
        Go.run(() -> {
            Chan<Integer> c = Chan.make();
            Sched.selfInterrupt();
            try {
                c.send(1);
                throw new AssertionError("send returned");
            } catch (GoInterruptedException expected) {
                assertThat(Sched.isInterrupted()).isFalse();
            }
            assertThat(c.sendq.isEmptyAcquire()).isTrue();
            // a non-blocking operation ignores the interrupt status
            Sched.selfInterrupt();
            assertThat(c.trySend(1)).isFalse();
            assertThat(Thread.interrupted()).isTrue();
        });
    }

    /**
     * The interrupter: until told to stop, interrupts random workers — mostly ones parked in a go4j operation
     * (so the interrupt hits a blocked operation), sometimes running ones (so a stale interrupt status meets the
     * next blocking operation).
     */
    private static void interruptStorm(List<G> workers, AtomicBoolean stop, AtomicLong sent) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (!stop.get()) {
            int n = workers.size();
            if (n == 0) {
                Thread.onSpinWait();
                continue;
            }
            G g = workers.get(rnd.nextInt(n));
            if (g.state() == G.WAITING || rnd.nextInt(64) == 0) {
                g.thread().interrupt();
                sent.incrementAndGet();
            }
            for (int i = rnd.nextInt(256); i > 0; i--) {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * Runs {@link #interruptStorm} on a platform thread (not a goroutine: the OS preempts it in and out of the
     * carriers' way, so it interrupts workers at arbitrary points of their operations).
     */
    private static Thread startStorm(List<G> workers, AtomicBoolean stop, AtomicLong sent) {
        return Thread.ofPlatform().daemon().name("interrupt-storm").start(() -> interruptStorm(workers, stop, sent));
    }

    /**
     * Interrupted operations a storm test aims for before its senders stop (they stop at {@link #MAX_PER_SENDER}
     * values regardless; the test then requires at least one interrupted operation). On a buffered channel most
     * operations complete during their spin phase, so parked operations to interrupt are rare.
     */
    private static final int MIN_INTERRUPTED_OPS = 50;
    /** Upper bound of values per sender (the storm stops the senders long before, in practice). */
    private static final int MAX_PER_SENDER = 100_000;

    /**
     * Senders and receivers on one channel (plain ops) under an interrupt storm: a sender whose send was
     * interrupted retries the same value; every value sent must arrive exactly once. Senders send at least
     * {@code perSender} values, and go on until {@link #MIN_INTERRUPTED_OPS} operations were interrupted.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void interruptStormLosesAndDuplicatesNothing(int cap) {
        final int senders = 4;
        final int receivers = 4;
        final int perSender = 5_000;
        Go.run(() -> {
            Chan<Integer> c = Chan.make(cap);
            AtomicIntegerArray seen = new AtomicIntegerArray(senders * MAX_PER_SENDER);
            AtomicIntegerArray sentCount = new AtomicIntegerArray(senders);
            AtomicLong interruptedOps = new AtomicLong();
            Chan<Boolean> sendersDone = Chan.make(senders);
            Chan<Boolean> receiversDone = Chan.make(receivers);
            // The storm starts before the workers: on a single carrier they might otherwise all finish before the
            // main goroutine runs again.
            List<G> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong interrupts = new AtomicLong();
            Thread storm = startStorm(workers, stop, interrupts);
            for (int s = 0; s < senders; s++) {
                final int sender = s;
                final int base = s * MAX_PER_SENDER;
                workers.add(spawn(() -> {
                    int i = 0;
                    for (; i < MAX_PER_SENDER && (i < perSender || interruptedOps.get() < MIN_INTERRUPTED_OPS);
                            i++) {
                        while (true) {
                            try {
                                c.send(base + i);
                                break;
                            } catch (GoInterruptedException e) {
                                interruptedOps.incrementAndGet();
                            }
                        }
                    }
                    sentCount.set(sender, i);
                    sendersDone.trySend(true); // buffered: never blocks
                }));
            }
            for (int r = 0; r < receivers; r++) {
                workers.add(spawn(() -> {
                    while (true) {
                        Received<Integer> got;
                        try {
                            got = c.recvOk();
                        } catch (GoInterruptedException e) {
                            interruptedOps.incrementAndGet();
                            continue;
                        }
                        if (!got.ok()) {
                            break;
                        }
                        seen.incrementAndGet(got.value());
                    }
                    receiversDone.trySend(true);
                }));
            }
            for (int s = 0; s < senders; s++) {
                sendersDone.recv();
            }
            c.close();
            for (int r = 0; r < receivers; r++) {
                receiversDone.recv();
            }
            stop.set(true);
            joinUninterruptibly(storm);
            assertSeenExactlyOnce(seen, sentCount);
            assertThat(interruptedOps.get()).as("blocked operations interrupted (%d interrupts sent)", interrupts.get())
                    .isPositive();
            assertThat(c.recvq.isEmptyAcquire()).isTrue();
            assertThat(c.sendq.isEmptyAcquire()).isTrue();
        });
    }

    private static void joinUninterruptibly(Thread t) {
        while (t.isAlive()) {
            Thread.yield();
        }
    }

    private static void assertSeenExactlyOnce(AtomicIntegerArray seen, AtomicIntegerArray sentCount) {
        for (int s = 0; s < sentCount.length(); s++) {
            int base = s * MAX_PER_SENDER;
            for (int i = 0; i < MAX_PER_SENDER; i++) {
                int times = seen.get(base + i);
                if (times != (i < sentCount.get(s) ? 1 : 0)) {
                    throw new AssertionError("sender " + s + " value " + i + " received " + times + " times ("
                            + sentCount.get(s) + " sent)");
                }
            }
        }
    }

    /** As above, with every operation a select over two channels (one unbuffered, one buffered). */
    @Test
    void interruptStormOnSelectLosesAndDuplicatesNothing() {
        final int senders = 3;
        final int receivers = 3;
        final int perSender = 5_000;
        Go.run(() -> {
            Chan<Integer> c1 = Chan.make();
            Chan<Integer> c2 = Chan.make(2);
            AtomicIntegerArray seen = new AtomicIntegerArray(senders * MAX_PER_SENDER);
            AtomicIntegerArray sentCount = new AtomicIntegerArray(senders);
            AtomicLong interruptedOps = new AtomicLong();
            Chan<Boolean> sendersDone = Chan.make(senders);
            Chan<Boolean> receiversDone = Chan.make(receivers);
            Chan<Boolean> quit = Chan.make();
            // The storm starts before the workers: on a single carrier they might otherwise all finish before the
            // main goroutine runs again.
            List<G> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong interrupts = new AtomicLong();
            Thread storm = startStorm(workers, stop, interrupts);
            for (int s = 0; s < senders; s++) {
                final int sender = s;
                final int base = s * MAX_PER_SENDER;
                workers.add(spawn(() -> {
                    int i = 0;
                    for (; i < MAX_PER_SENDER && (i < perSender || interruptedOps.get() < MIN_INTERRUPTED_OPS);
                            i++) {
                        while (true) {
                            try {
                                select(send(c1, base + i), send(c2, base + i));
                                break;
                            } catch (GoInterruptedException e) {
                                interruptedOps.incrementAndGet();
                            }
                        }
                    }
                    sentCount.set(sender, i);
                    sendersDone.trySend(true);
                }));
            }
            for (int r = 0; r < receivers; r++) {
                workers.add(spawn(() -> {
                    boolean[] quitting = {false};
                    while (!quitting[0]) {
                        try {
                            select(recv(c1, v -> seen.incrementAndGet(v)), recv(c2, v -> seen.incrementAndGet(v)),
                                    recv(quit, v -> quitting[0] = true));
                        } catch (GoInterruptedException e) {
                            interruptedOps.incrementAndGet();
                        }
                    }
                    receiversDone.trySend(true);
                }));
            }
            for (int s = 0; s < senders; s++) {
                sendersDone.recv();
            }
            // Every select of the senders has completed; wait until c2's buffer is drained, then let the
            // receivers quit.
            while (c2.len() > 0) {
                Go.gosched();
            }
            quit.close();
            for (int r = 0; r < receivers; r++) {
                receiversDone.recv();
            }
            stop.set(true);
            joinUninterruptibly(storm);
            assertSeenExactlyOnce(seen, sentCount);
            assertThat(interruptedOps.get()).as("blocked operations interrupted (%d interrupts sent)", interrupts.get())
                    .isPositive();
            for (Chan<?> ch : List.of(c1, c2, quit)) {
                assertThat(ch.recvq.isEmptyAcquire()).isTrue();
                assertThat(ch.sendq.isEmptyAcquire()).isTrue();
            }
        });
    }
}
