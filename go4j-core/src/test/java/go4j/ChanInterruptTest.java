package go4j;

import go4j.internal.G;
import go4j.internal.WaitReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
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
    private record Outcome(Object value, Throwable thrown, boolean interruptedAfter) {}

    private static G spawnOp(AtomicReference<Outcome> out, java.util.function.Supplier<Object> op) {
        return spawn(() -> {
            try {
                Object v = op.get();
                out.set(new Outcome(v, null, Thread.currentThread().isInterrupted()));
            } catch (Throwable t) {
                out.set(new Outcome(null, t, Thread.currentThread().isInterrupted()));
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
            g.thread.interrupt();
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
            g.thread.interrupt();
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
            g.thread.interrupt();
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
            Thread.currentThread().interrupt();
            try {
                c.send(1);
                throw new AssertionError("send returned");
            } catch (GoInterruptedException expected) {
                assertThat(Thread.currentThread().isInterrupted()).isFalse();
            }
            assertThat(c.sendq.isEmptyAcquire()).isTrue();
            // a non-blocking operation ignores the interrupt status
            Thread.currentThread().interrupt();
            assertThat(c.trySend(1)).isFalse();
            assertThat(Thread.interrupted()).isTrue();
        });
    }

    /** The interrupter: interrupts random workers until told to stop. */
    private static void interruptStorm(List<G> workers, AtomicBoolean stop, AtomicLong sent) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        while (!stop.get()) {
            G g = workers.get(rnd.nextInt(workers.size()));
            g.thread.interrupt();
            sent.incrementAndGet();
            for (int i = rnd.nextInt(64); i > 0; i--) {
                Thread.onSpinWait();
            }
            Thread.yield();
        }
    }

    /**
     * Senders and receivers on one channel (plain ops) under an interrupt storm: a sender whose send was
     * interrupted retries the same value; every value must arrive exactly once.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 4})
    void interruptStormLosesAndDuplicatesNothing(int cap) {
        final int senders = 4;
        final int receivers = 4;
        final int perSender = 5_000;
        Go.run(() -> {
            Chan<Integer> c = Chan.make(cap);
            AtomicIntegerArray seen = new AtomicIntegerArray(senders * perSender);
            AtomicLong interruptedOps = new AtomicLong();
            Chan<Boolean> sendersDone = Chan.make(senders);
            Chan<Boolean> receiversDone = Chan.make(receivers);
            List<G> workers = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                final int base = s * perSender;
                workers.add(spawn(() -> {
                    for (int i = 0; i < perSender; i++) {
                        while (true) {
                            try {
                                c.send(base + i);
                                break;
                            } catch (GoInterruptedException e) {
                                interruptedOps.incrementAndGet();
                            }
                        }
                    }
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
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong interrupts = new AtomicLong();
            Chan<Boolean> stormDone = Chan.make(1);
            Go.go(() -> {
                interruptStorm(workers, stop, interrupts);
                stormDone.send(true);
            });
            for (int s = 0; s < senders; s++) {
                sendersDone.recv();
            }
            c.close();
            for (int r = 0; r < receivers; r++) {
                receiversDone.recv();
            }
            stop.set(true);
            stormDone.recv();
            for (int v = 0; v < seen.length(); v++) {
                assertThat(seen.get(v)).as("value %d received", v).isEqualTo(1);
            }
            assertThat(interrupts.get()).isPositive();
            assertThat(interruptedOps.get()).as("some blocked operations were interrupted").isPositive();
            assertThat(c.recvq.isEmptyAcquire()).isTrue();
            assertThat(c.sendq.isEmptyAcquire()).isTrue();
        });
    }

    /** As above, with every operation a select over two channels. */
    @Test
    void interruptStormOnSelectLosesAndDuplicatesNothing() {
        final int senders = 3;
        final int receivers = 3;
        final int perSender = 5_000;
        Go.run(() -> {
            Chan<Integer> c1 = Chan.make();
            Chan<Integer> c2 = Chan.make(2);
            AtomicIntegerArray seen = new AtomicIntegerArray(senders * perSender);
            AtomicLong interruptedOps = new AtomicLong();
            Chan<Boolean> sendersDone = Chan.make(senders);
            Chan<Boolean> receiversDone = Chan.make(receivers);
            Chan<Boolean> quit = Chan.make();
            List<G> workers = new ArrayList<>();
            for (int s = 0; s < senders; s++) {
                final int base = s * perSender;
                workers.add(spawn(() -> {
                    for (int i = 0; i < perSender; i++) {
                        while (true) {
                            try {
                                select(send(c1, base + i), send(c2, base + i));
                                break;
                            } catch (GoInterruptedException e) {
                                interruptedOps.incrementAndGet();
                            }
                        }
                    }
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
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong interrupts = new AtomicLong();
            Chan<Boolean> stormDone = Chan.make(1);
            Go.go(() -> {
                interruptStorm(workers, stop, interrupts);
                stormDone.send(true);
            });
            for (int s = 0; s < senders; s++) {
                sendersDone.recv();
            }
            // Drain what is left in c2's buffer before telling receivers to quit: wait until it is empty.
            while (c2.len() > 0) {
                Go.gosched();
            }
            quit.close();
            for (int r = 0; r < receivers; r++) {
                receiversDone.recv();
            }
            stop.set(true);
            stormDone.recv();
            for (int v = 0; v < seen.length(); v++) {
                assertThat(seen.get(v)).as("value %d received", v).isEqualTo(1);
            }
            assertThat(interruptedOps.get()).as("some blocked operations were interrupted").isPositive();
            for (Chan<?> ch : List.of(c1, c2, quit)) {
                assertThat(ch.recvq.isEmptyAcquire()).isTrue();
                assertThat(ch.sendq.isEmptyAcquire()).isTrue();
            }
        });
    }
}
