package go4j;

import go4j.internal.G;
import go4j.internal.WaitReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayDeque;
import java.util.BitSet;
import java.util.PriorityQueue;
import java.util.concurrent.TimeUnit;

import static go4j.Goroutines.assertBlocks;
import static go4j.Goroutines.spawn;
import static go4j.Select.defaultCase;
import static go4j.Select.recv;
import static go4j.Select.recvOk;
import static go4j.Select.select;
import static go4j.Select.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Ports of Go's {@code test/chan/*.go} programs (Go 1.19) as JUnit tests; each runs as a Go program
 * ({@link Go#run}), so a panic in any goroutine fails the test. Not ported: powser2.go (powser1 with interface
 * values: the same channel behaviour). {@code select5.go} is in {@link Select5Test},
 * {@code powser1.go} in {@link Powser1Test}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GoTestChanTest {

    private static Runnable unreachable() {
        return () -> {
            throw new AssertionError("control flow shouldn't reach here");
        };
    }

    // ------------------------------------------------------------------------------------------ doubleselect.go

    /**
     * Go: test/chan/doubleselect.go — a sender selects over four unbuffered channels; if two cases ran in one
     * iteration a value would arrive twice. Checked stronger than Go: every value arrives exactly once.
     */
    @Test
    void doubleselect() {
        final int iterations = 100_000;
        Go.run(() -> {
            Chan<Integer> c1 = Chan.make();
            Chan<Integer> c2 = Chan.make();
            Chan<Integer> c3 = Chan.make();
            Chan<Integer> c4 = Chan.make();
            Chan<Boolean> done = Chan.make();
            Chan<Integer> cmux = Chan.make();
            Go.go(() -> { // sender
                try {
                    for (int i = 0; i < iterations; i++) {
                        select(send(c1, i), send(c2, i), send(c3, i), send(c4, i));
                    }
                } finally {
                    c4.close();
                    c3.close();
                    c2.close();
                    c1.close();
                }
            });
            for (Chan<Integer> in : java.util.List.of(c1, c2, c3, c4)) {
                Go.go(() -> { // mux
                    for (int v : in) {
                        cmux.send(v);
                    }
                    done.send(true);
                });
            }
            Go.go(() -> {
                for (int i = 0; i < 4; i++) {
                    done.recv();
                }
                cmux.close();
            });
            // recver
            BitSet seen = new BitSet(iterations);
            for (int v : cmux) {
                assertThat(seen.get(v)).as("got duplicate value: %d", v).isFalse();
                seen.set(v);
            }
            assertThat(seen.cardinality()).isEqualTo(iterations);
        });
    }

    // ------------------------------------------------------------------------------------------ fifo.go

    /** Go: test/chan/fifo.go AsynchFifo and SynchFifo. */
    @Test
    void fifo() {
        final int N = 10;
        Go.run(() -> {
            // AsynchFifo
            Chan<Integer> ach = Chan.make(N);
            for (int i = 0; i < N; i++) {
                ach.send(i);
            }
            for (int i = 0; i < N; i++) {
                assertThat(ach.recv()).as("bad receive").isEqualTo(i);
            }
            // SynchFifo: thread together a daisy chain to read the elements in sequence
            Chan<Integer> ch = Chan.make();
            Chan<Integer> in = Chan.make();
            Chan<Integer> start = in;
            for (int i = 0; i < N; i++) {
                Chan<Integer> out = Chan.make();
                final int val = i;
                final Chan<Integer> myIn = in;
                Go.go(() -> { // Chain
                    myIn.recv();
                    int got = ch.recv();
                    if (got != val) {
                        throw new Panic(val);
                    }
                    out.send(1);
                });
                in = out;
            }
            start.send(0);
            for (int i = 0; i < N; i++) {
                ch.send(i);
            }
            in.recv();
        });
    }

    // ------------------------------------------------------------------------------------------ goroutines.go

    /** Go: test/chan/goroutines.go — a chain of 10,000 goroutines, each relaying one value leftwards. */
    @Test
    void goroutines() {
        final int n = 10_000;
        Go.run(() -> {
            Chan<Integer> leftmost = Chan.make();
            Chan<Integer> right = leftmost;
            Chan<Integer> left = leftmost;
            for (int i = 0; i < n; i++) {
                right = Chan.make();
                final Chan<Integer> l = left;
                final Chan<Integer> r = right;
                Go.go(() -> l.send(r.recv()));
                left = right;
            }
            final Chan<Integer> last = right;
            Go.go(() -> last.send(1));
            assertThat(leftmost.recv()).isEqualTo(1);
        });
    }

    // ------------------------------------------------------------------------------------------ nonblock.go

    /**
     * Go: test/chan/nonblock.go — non-blocking sends and receives (select with default) retried until a
     * partner goroutine is there, for int32, int64, bool and string, buffered (1) and unbuffered. Go's retry sleeps
     * on a ticker; here each retry yields ({@link Go#gosched}), bounded by the test timeout instead of maxTries.
     */
    @Test
    void nonblock() {
        Go.run(() -> {
            for (int buffer = 0; buffer < 2; buffer++) {
                nonblockType(buffer, 123, 234);
                nonblockType(buffer, 123456L, 234567L);
                nonblockType(buffer, true, true);
                nonblockType(buffer, "hello", "hello again");
            }
        });
    }

    private static <T> void nonblockType(int buffer, T toReceiver, T fromSender) {
        Chan<Boolean> sync = Chan.make();
        Chan<T> c = Chan.make(buffer);
        assertThat(select(recv(c, v -> {
            throw new AssertionError("blocked sender");
        }), defaultCase())).isEqualTo(1);

        Go.go(() -> { // receiver
            if (!toReceiver.equals(c.recv())) {
                throw new Panic("value");
            }
            sync.send(true);
        });
        while (select(send(c, toReceiver), defaultCase()) != 0) {
            Go.gosched();
        }
        sync.recv();

        Go.go(() -> { // sender
            c.send(fromSender);
            sync.send(true);
        });
        if (buffer > 0) {
            sync.recv();
        }
        Object[] got = new Object[1];
        while (select(recv(c, v -> got[0] = v), defaultCase()) != 0) {
            Go.gosched();
        }
        assertThat(got[0]).as("sender value").isEqualTo(fromSender);
        if (buffer == 0) {
            sync.recv();
        }
    }

    // ------------------------------------------------------------------------------------------ select.go

    private static int counter;
    private static int shift;

    private static int getValue() {
        counter++;
        return 1 << shift;
    }

    /** select.go's Send: every case's value expression is evaluated on entry, also for nil channels. */
    private static int selectSend(Chan<Integer> a0, Chan<Integer> b0) {
        @SuppressWarnings("unchecked")
        Chan<Integer>[] ab = new Chan[] {a0, b0};
        int i = 0;
        while (true) {
            int k = select(
                    send(ab[0], getValue(), () -> ab[0] = null),
                    send(ab[1], getValue(), () -> ab[1] = null),
                    defaultCase());
            if (k == 2) {
                break;
            }
            i++;
            shift++;
        }
        return i;
    }

    /** Go: test/chan/select.go. */
    @Test
    void select_() {
        Go.run(() -> {
            counter = 0;
            shift = 0;
            Chan<Integer> a = Chan.make(1);
            Chan<Integer> b = Chan.make(1);
            assertThat(selectSend(a, b)).isEqualTo(2);
            int av = a.recv();
            int bv = b.recv();
            assertThat(av | bv).as("bad values %d %d", av, bv).isEqualTo(3);
            assertThat(selectSend(a, null)).isEqualTo(1);
            assertThat(counter).isEqualTo(10);
        });
    }

    // ------------------------------------------------------------------------------------------ select3.go

    /** select3.go testBlock(always, f): f parks with the given wait reason and stays parked. */
    private static void blocksAlways(WaitReason reason, Runnable f) {
        G g = spawn(() -> {
            f.run();
            throw new AssertionError("function did not block");
        });
        assertBlocks(g, reason);
    }

    /** select3.go testBlock(never, f): f completes (the test's timeout catches a block). */
    private static void blocksNever(Runnable f) {
        Chan<String> c = Chan.make();
        Go.go(() -> {
            f.run();
            c.send("function did not");
        });
        assertThat(c.recv()).isEqualTo("function did not");
    }

    /** select3.go testPanic(always, f). */
    private static void panicsAlways(Runnable f) {
        assertThatThrownBy(f::run).isInstanceOf(RuntimeError.class).hasMessage("send on closed channel");
    }

    /** select3.go testPanic(never, f). */
    private static void panicsNever(Runnable f) {
        f.run();
    }

    /** Go: test/chan/select3.go — the table of blocking / non-blocking / panicking operations. */
    @Test
    void select3() {
        Go.run(() -> {
            final int async = 1; // asynchronous channels
            Chan<Integer> nilch = Chan.nil();
            Chan<Integer> closedch = Chan.make();
            closedch.close();

            // sending/receiving from a nil channel blocks
            blocksAlways(WaitReason.CHAN_SEND_NIL, () -> nilch.send(7));
            blocksAlways(WaitReason.CHAN_RECEIVE_NIL, nilch::recv);

            // sending/receiving from a nil channel inside a select is never selected
            panicsNever(() -> select(send(nilch, 7, unreachable()), defaultCase()));
            panicsNever(() -> select(recv(nilch, v -> unreachable().run()), defaultCase()));
            // also with a null channel reference (go4j's spelling of a nil channel variable)
            panicsNever(() -> select(send(null, 7, unreachable()), defaultCase()));
            panicsNever(() -> select(recv(null, v -> unreachable().run()), defaultCase()));

            // sending to an async channel with free buffer space never blocks
            blocksNever(() -> {
                Chan<Integer> ch = Chan.make(async);
                ch.send(7);
            });

            // receiving from a closed channel never blocks
            blocksNever(() -> {
                for (int i = 0; i < 10; i++) {
                    assertThat(closedch.recv()).as("expected zero value when reading from closed channel")
                            .isNull();
                    Received<Integer> r = closedch.recvOk();
                    assertThat(r.value()).isNull();
                    assertThat(r.ok()).as("expected 0, false from closed channel").isFalse();
                }
            });

            // sending to a closed channel panics.
            panicsAlways(() -> closedch.send(7));

            // receiving from a non-ready channel always blocks
            blocksAlways(WaitReason.CHAN_RECEIVE, () -> {
                Chan<Integer> ch = Chan.make();
                ch.recv();
            });

            // empty selects always block
            blocksAlways(WaitReason.SELECT_NO_CASES, () -> select());

            // selects with only nil channels always block
            blocksAlways(WaitReason.CHAN_RECEIVE_NIL, () -> select(recv(nilch, v -> unreachable().run())));
            blocksAlways(WaitReason.CHAN_SEND_NIL, () -> select(send(nilch, 7, unreachable())));
            // (Go's selectgo parks such a select with wait reason "select"; only select {} is "select (no cases)")
            blocksAlways(WaitReason.SELECT,
                    () -> select(recv(nilch, v -> unreachable().run()), send(nilch, 7, unreachable())));

            // selects with non-ready non-nil channels always block
            blocksAlways(WaitReason.CHAN_RECEIVE, () -> {
                Chan<Integer> ch = Chan.make();
                select(recv(ch, v -> unreachable().run()));
            });

            // selects with default cases don't block
            blocksNever(() -> select(defaultCase()));
            blocksNever(() -> select(recv(nilch, v -> unreachable().run()), defaultCase()));
            blocksNever(() -> select(send(nilch, 7, unreachable()), defaultCase()));

            // selects with ready channels don't block
            blocksNever(() -> {
                Chan<Integer> ch = Chan.make(async);
                select(send(ch, 7), defaultCase(unreachable()));
            });
            blocksNever(() -> {
                Chan<Integer> ch = Chan.make(async);
                ch.send(7);
                select(recv(ch), defaultCase(unreachable()));
            });

            // selects with closed channels behave like ordinary operations
            blocksNever(() -> select(recv(closedch)));
            blocksNever(() -> select(recv(closedch, x -> assertThat(x).isNull())));
            blocksNever(() -> select(recvOk(closedch, (x, ok) -> assertThat(ok).isFalse())));
            panicsAlways(() -> select(send(closedch, 7)));

            // select should not get confused if it sees itself
            blocksAlways(WaitReason.SELECT, () -> {
                Chan<Integer> c = Chan.make();
                select(send(c, 1), recv(c));
            });

            // go4j: the same table for the general (multi-case) select, with a dummy non-ready case added so that
            // the compiler's one-case / one-case-plus-default special forms are not taken.
            Chan<Integer> dummy = Chan.make();
            blocksAlways(WaitReason.SELECT,
                    () -> select(recv(nilch, v -> unreachable().run()), send(nilch, 7, unreachable()),
                            recv(dummy, v -> unreachable().run())));
            blocksNever(() -> select(recv(nilch, v -> unreachable().run()), send(nilch, 7, unreachable()),
                    recv(dummy, v -> unreachable().run()), defaultCase()));
            blocksNever(() -> select(recvOk(closedch, (x, ok) -> assertThat(ok).isFalse()),
                    recv(dummy, v -> unreachable().run())));
            panicsAlways(() -> select(send(closedch, 7), recv(dummy, v -> unreachable().run())));
            panicsAlways(() -> select(send(closedch, 7), recv(dummy, v -> unreachable().run()), defaultCase()));
        });
    }

    // ------------------------------------------------------------------------------------------ select4.go

    /**
     * Go: test/chan/select4.go — the receive assignment of a case that is not chosen is not evaluated (in Go,
     * {@code *f() = <-c1} must not call f); the chosen case's assignment is.
     */
    @Test
    void select4() {
        Go.run(() -> {
            int[] xa = new int[1];
            Chan<Integer> c = Chan.make(1);
            Chan<Integer> c1 = Chan.make();
            c.send(42);
            select(recv(c1, v -> {
                throw new AssertionError("BUG: called f");
            }), recv(c, v -> xa[0] = v));
            assertThat(xa[0]).isEqualTo(42);
        });
    }

    // ------------------------------------------------------------------------------------------ select6.go

    /**
     * Go: test/chan/select6.go (issue 2075): a select that lost on c1 must leave no entry behind on c1; a later
     * send on c1 would otherwise wake the wrong case ({@code panic("dummy")}).
     */
    @Test
    void select6() {
        Go.run(() -> {
            for (int round = 0; round < 1000; round++) {
                Chan<Boolean> c1 = Chan.make();
                Chan<Boolean> c2 = Chan.make();
                Chan<Boolean> c3 = Chan.make();
                Go.go(c1::recv);
                Go.go(() -> {
                    select(recv(c1, v -> {
                        throw new Panic("dummy");
                    }), recv(c2, v -> c3.send(true)));
                    c1.recv();
                });
                Go.go(() -> c2.send(true));
                c3.recv();
                c1.send(true);
                c1.send(true);
            }
        });
    }

    // ------------------------------------------------------------------------------------------ select7.go

    /** Go: test/chan/select7.go — every pairing of plain / one-case-select / two-case-select send and receive. */
    @Test
    void select7() {
        java.util.List<java.util.function.Consumer<Chan<Integer>>> recvs = java.util.List.of(
                c -> c.recv(), // recv1
                c -> select(recv(c)), // recv2
                c -> { // recv3
                    Chan<Integer> c2 = Chan.make();
                    select(recv(c), recv(c2));
                });
        java.util.List<java.util.function.Consumer<Chan<Integer>>> sends = java.util.List.of(
                c -> c.send(1), // send1
                c -> select(send(c, 1)), // send2
                c -> { // send3
                    Chan<Integer> c2 = Chan.make();
                    select(send(c, 1), send(c2, 1));
                });
        Go.run(() -> {
            for (var r : recvs) {
                for (var s : sends) {
                    Chan<Integer> c = Chan.make();
                    Chan<Boolean> done = Chan.make();
                    Go.go(() -> {
                        r.accept(c);
                        done.send(true);
                    });
                    Go.gosched();
                    s.accept(c);
                    done.recv();
                }
            }
        });
    }

    // ------------------------------------------------------------------------------------------ select8.go

    /** Go: test/chan/select8.go — break in select bodies; select forms with a always-ready sender. */
    @Test
    void select8() {
        Go.run(() -> {
            Chan<Integer> ch = Chan.make();
            Go.go(() -> {
                while (true) {
                    ch.send(5);
                }
            });
            int[] got = new int[1];
            assertThat(select(recv(ch, v -> got[0] = v))).isZero();
            assertThat(got[0]).isEqualTo(5);
            assertThat(select(defaultCase())).isZero();
            select(recv(ch), defaultCase());
            int k = select(recv(ch), send(ch, 10, unreachable()), defaultCase());
            assertThat(k).isIn(0, 2);
        });
    }

    // ------------------------------------------------------------------------------------------ sieve1.go

    private static final int[] PRIMES = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71,
            73, 79, 83, 89, 97};

    /** Go: test/chan/sieve1.go — the concurrent prime sieve, a daisy chain of filter goroutines. */
    @Test
    void sieve1() {
        Go.run(() -> {
            Chan<Integer> primes = Chan.make();
            Go.go(() -> { // Sieve
                Chan<Integer> ch = Chan.make();
                Go.go(() -> { // Generate
                    for (int i = 2; ; i++) {
                        ch.send(i);
                    }
                });
                Chan<Integer> in = ch;
                while (true) {
                    int prime = in.recv();
                    primes.send(prime);
                    Chan<Integer> ch1 = Chan.make();
                    final Chan<Integer> from = in;
                    Go.go(() -> { // Filter
                        for (int i : from) {
                            if (i % prime != 0) {
                                ch1.send(i);
                            }
                        }
                    });
                    in = ch1;
                }
            });
            for (int p : PRIMES) {
                assertThat(primes.recv()).isEqualTo(p);
            }
        });
    }

    // ------------------------------------------------------------------------------------------ sieve2.go

    /** A channel and its next value, ordered by that value (sieve2.go's PeekCh). */
    private record PeekCh(int head, Chan<Integer> ch) {}

    /** sieve2.go odds: 5, 7, 9, ... */
    private static Chan<Integer> odds() {
        Chan<Integer> out = Chan.make(50);
        Go.go(() -> {
            for (int n = 5; ; n += 2) {
                out.send(n);
            }
        });
        return out;
    }

    /** sieve2.go multiples: odd multiples of p from p*p. */
    private static Chan<Integer> multiples(int p) {
        Chan<Integer> out = Chan.make(10);
        Go.go(() -> {
            for (int n = p * p; ; n += 2 * p) {
                out.send(n);
            }
        });
        return out;
    }

    /**
     * sieve2.go sendproxy: a channel whose sends never block, buffered by a goroutine in an expanding queue; the
     * output case is disabled (nil channel) while the queue is empty.
     */
    private static Chan<Integer> sendproxy(Chan<Integer> out) {
        Chan<Integer> proxy = Chan.make(10);
        Go.go(() -> {
            ArrayDeque<Integer> queue = new ArrayDeque<>();
            while (true) {
                Chan<Integer> c = queue.isEmpty() ? null : out; // buffer empty: disable output
                int e = queue.isEmpty() ? 0 : queue.peekFirst();
                select(recv(proxy, queue::addLast), send(c, e, queue::removeFirst));
            }
        });
        return proxy;
    }

    /** Go: test/chan/sieve2.go — the sieve with a heap of multiples channels and a feedback loop. */
    @Test
    void sieve2() {
        Go.run(() -> {
            Chan<Integer> out = Chan.make(10);
            out.send(2);
            out.send(3);
            Chan<Integer> composites = Chan.make(50);
            Chan<Integer> primes = Chan.make(10);
            primes.send(3);
            // Merge channels of multiples of 'primes' into 'composites'.
            Go.go(() -> {
                PriorityQueue<PeekCh> h = new PriorityQueue<>((a, b) -> Integer.compare(a.head, b.head));
                int min = 15;
                while (true) {
                    Chan<Integer> m = multiples(primes.recv());
                    int head = m.recv();
                    while (min < head) {
                        composites.send(min);
                        PeekCh minchan = h.poll();
                        min = minchan.head;
                        h.add(new PeekCh(minchan.ch.recv(), minchan.ch));
                    }
                    while (min == head) {
                        PeekCh minchan = h.poll();
                        min = minchan.head;
                        h.add(new PeekCh(minchan.ch.recv(), minchan.ch));
                    }
                    composites.send(head);
                    h.add(new PeekCh(m.recv(), m));
                }
            });
            // Sieve out 'composites' from 'candidates'.
            Go.go(() -> {
                Chan<Integer> proxied = sendproxy(primes);
                Chan<Integer> candidates = odds();
                int p = candidates.recv();
                while (true) {
                    int c = composites.recv();
                    while (p < c) {
                        proxied.send(p);
                        out.send(p);
                        p = candidates.recv();
                    }
                    if (p == c) {
                        p = candidates.recv();
                    }
                }
            });
            for (int p : PRIMES) {
                assertThat(out.recv()).isEqualTo(p);
            }
        });
    }

    // ------------------------------------------------------------------------------------------ select2.go

    /**
     * Go: test/chan/select2.go — 100,000 selects receiving from c, with a never-ready dummy case, must not grow
     * memory. Go measures the heap; the leak it guards against is select entries left behind on dummy, so here:
     * after each round dummy's queue is empty, and the heap after the second round is not much larger than after
     * the first (2 MB: leaked entries would hold about 8 MB; measured growth here is within ±1.5 MB of GC noise).
     */
    @Test
    void select2() {
        final int n = 100_000;
        Go.run(() -> {
            Chan<Integer> c = Chan.make();
            Chan<Integer> dummy = Chan.make();
            Runnable round = () -> {
                Go.go(() -> { // sender
                    for (int i = 0; i < n; i++) {
                        c.send(1);
                    }
                });
                for (int i = 0; i < n; i++) { // receiver
                    select(recv(c), recv(dummy, v -> {
                        throw new Panic("dummy");
                    }));
                }
                assertThat(dummy.recvq.isEmptyAcquire()).isTrue();
            };
            round.run(); // warm up
            long alloc = usedHeapAfterGc();
            round.run(); // second time shouldn't increase footprint by much
            long after = usedHeapAfterGc();
            assertThat(after - alloc).as("heap growth over 100,000 selects").isLessThan(2L << 20);
        });
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return rt.totalMemory() - rt.freeMemory();
    }

    // ------------------------------------------------------------------------------------------ sendstmt.go

    /**
     * Go: test/chan/sendstmt.go — {@code case <-cc <- 2:} sends on the channel received from cc (the channel
     * expression is evaluated on entry to the select); {@code c <- false || true} sends true.
     */
    @Test
    void sendstmt() {
        Go.run(() -> {
            // chanchan
            Chan<Chan<Integer>> cc = Chan.make(1);
            Chan<Integer> c = Chan.make(1);
            cc.send(c);
            select(send(cc.recv(), 2), defaultCase(() -> {
                throw new Panic("nonblock");
            }));
            assertThat(c.recv()).as("bad receive").isEqualTo(2);
            // sendprec
            Chan<Boolean> b = Chan.make(1);
            b.send(false || true);
            assertThat(b.recv()).as("sent false").isTrue();
        });
    }

    // ------------------------------------------------------------------------------------------ perm.go

    private static java.util.Set<String> methodNames(Class<?> type) {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (java.lang.reflect.Method m : type.getMethods()) {
            names.add(m.getName());
        }
        return names;
    }

    /**
     * Go: test/chan/perm.go — channel direction is enforced by the type system: a receive-only channel cannot be
     * sent on or closed, a send-only channel cannot be received from or ranged over; select's receive cases take
     * receive-capable channels, its send cases send-capable ones. (perm.go is a compile-error test; here the
     * types' method sets and select's parameter types are checked. Java cannot forbid a downcast of a view back
     * to {@link Chan}, which Go's {@code c = cr} forbids.)
     */
    @Test
    void perm() throws NoSuchMethodException {
        assertThat(methodNames(RecvChan.class)).contains("recv", "recvOk", "tryRecv", "iterator", "len", "cap")
                .doesNotContain("send", "trySend", "close");
        assertThat(methodNames(SendChan.class)).contains("send", "trySend", "close", "len", "cap")
                .doesNotContain("recv", "recvOk", "tryRecv", "iterator");
        assertThat(Iterable.class.isAssignableFrom(SendChan.class)).as("range over send-only channel").isFalse();
        assertThat(SendChan.class.isAssignableFrom(RecvChan.class)).isFalse();
        assertThat(RecvChan.class.isAssignableFrom(SendChan.class)).isFalse();
        assertThat(Select.class.getMethod("recv", RecvChan.class, java.util.function.Consumer.class)).isNotNull();
        assertThat(Select.class.getMethod("send", SendChan.class, Object.class, Runnable.class)).isNotNull();
        // cr = c and cs = c are fine
        Chan<Integer> c = Chan.make(1);
        SendChan<Integer> cs = c.sendOnly();
        RecvChan<Integer> cr = c.recvOnly();
        cs.send(0);
        assertThat(cr.recv()).isZero();
        cs.close();
        assertThat(cr.recvOk()).isEqualTo(Received.closed());
    }

    // ------------------------------------------------------------------------------------------ zerosize.go

    /** Go's {@code struct{}}. */
    private record Empty() {}

    /** Go: test/chan/zerosize.go — channels of zero-size element types, unbuffered and buffered. */
    @Test
    void zerosize() {
        Go.run(() -> {
            Chan<Empty> u = Chan.make();
            Chan<Empty> b = Chan.make(1);
            Go.go(() -> u.send(new Empty()));
            assertThat(u.recv()).isEqualTo(new Empty());
            b.send(new Empty());
            assertThat(b.len()).isEqualTo(1);
            assertThat(b.recvOk()).isEqualTo(new Received<>(new Empty(), true));
            Chan<Void> v = Chan.make(1);
            v.send(null);
            assertThat(v.recvOk()).isEqualTo(new Received<Void>(null, true));
        });
    }
}
