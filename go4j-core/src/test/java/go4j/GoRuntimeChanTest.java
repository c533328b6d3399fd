package go4j;

import go4j.internal.G;
import go4j.internal.WaitReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static go4j.Goroutines.assertBlocks;
import static go4j.Goroutines.awaitParked;
import static go4j.Goroutines.spawn;
import static go4j.Select.defaultCase;
import static go4j.Select.recv;
import static go4j.Select.recvOk;
import static go4j.Select.select;
import static go4j.Select.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Ports of Go's {@code src/runtime/chan_test.go} (Go 1.19), with Go's full (not {@code -short}) loop counts. Go's {@code time.Sleep(time.Millisecond)} "let it block" steps are
 * replaced by observing the goroutine parked with its wait reason ({@link Goroutines}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GoRuntimeChanTest {

    /** Go: TestChan (capacities 0..199, Go's full N = 200). */
    @Test
    void testChan() {
        Go.run(() -> {
            for (int chanCap = 0; chanCap < 200; chanCap++) {
                testChanCap(chanCap);
            }
        });
    }

    private static void testChanCap(int chanCap) {
        {
            // Ensure that receive from empty chan blocks.
            Chan<Integer> c = Chan.make(chanCap);
            AtomicBoolean recv1 = new AtomicBoolean();
            G g1 = spawn(() -> {
                c.recv();
                recv1.set(true);
            });
            AtomicBoolean recv2 = new AtomicBoolean();
            G g2 = spawn(() -> {
                c.recvOk();
                recv2.set(true);
            });
            assertThat(awaitParked(g1)).isEqualTo(WaitReason.CHAN_RECEIVE);
            assertThat(awaitParked(g2)).isEqualTo(WaitReason.CHAN_RECEIVE);
            assertThat(recv1.get() || recv2.get()).as("chan[%d]: receive from empty chan", chanCap).isFalse();
            // Ensure that non-blocking receive does not block.
            assertThat(select(recv(c, v -> fail("chan[%d]: receive from empty chan", chanCap)), defaultCase()))
                    .isEqualTo(1);
            assertThat(select(recvOk(c, (v, ok) -> fail("chan[%d]: receive from empty chan", chanCap)),
                    defaultCase())).isEqualTo(1);
            c.send(0);
            c.send(0);
        }
        {
            // Ensure that send to full chan blocks.
            Chan<Integer> c = Chan.make(chanCap);
            for (int i = 0; i < chanCap; i++) {
                c.send(i);
            }
            AtomicInteger sent = new AtomicInteger();
            G g = spawn(() -> {
                c.send(0);
                sent.set(1);
            });
            assertThat(awaitParked(g)).isEqualTo(WaitReason.CHAN_SEND);
            assertThat(sent.get()).as("chan[%d]: send to full chan", chanCap).isZero();
            // Ensure that non-blocking send does not block.
            assertThat(select(send(c, 0, () -> fail("chan[%d]: send to full chan", chanCap)), defaultCase()))
                    .isEqualTo(1);
            c.recv();
        }
        {
            // Ensure that we receive 0 from closed chan.
            Chan<Integer> c = Chan.make(chanCap);
            for (int i = 0; i < chanCap; i++) {
                c.send(i);
            }
            c.close();
            for (int i = 0; i < chanCap; i++) {
                assertThat(c.recv()).as("chan[%d]", chanCap).isEqualTo(i);
            }
            assertThat(c.recv()).isNull();
            assertThat(c.recvOk()).isEqualTo(new Received<Integer>(null, false));
        }
        {
            // Ensure that close unblocks receive.
            Chan<Integer> c = Chan.make(chanCap);
            Chan<Boolean> done = Chan.make();
            G g = spawn(() -> {
                Received<Integer> r = c.recvOk();
                done.send(r.value() == null && !r.ok());
            });
            awaitParked(g);
            c.close();
            assertThat(done.recv()).as("chan[%d]: received non zero from closed chan", chanCap).isTrue();
        }
        {
            // Send 100 integers, ensure that we receive them non-corrupted in FIFO order.
            Chan<Integer> c = Chan.make(chanCap);
            Go.go(() -> {
                for (int i = 0; i < 100; i++) {
                    c.send(i);
                }
            });
            for (int i = 0; i < 100; i++) {
                assertThat(c.recv()).as("chan[%d]", chanCap).isEqualTo(i);
            }
            // Same, but using recv2.
            Go.go(() -> {
                for (int i = 0; i < 100; i++) {
                    c.send(i);
                }
            });
            for (int i = 0; i < 100; i++) {
                Received<Integer> r = c.recvOk();
                assertThat(r.ok()).as("chan[%d]: receive failed, expected %d", chanCap, i).isTrue();
                assertThat(r.value()).isEqualTo(i);
            }
            // Send 1000 integers in 4 goroutines, ensure that we receive what we send.
            final int P = 4;
            final int L = 1000;
            for (int p = 0; p < P; p++) {
                Go.go(() -> {
                    for (int i = 0; i < L; i++) {
                        c.send(i);
                    }
                });
            }
            Chan<Map<Integer, Integer>> done = Chan.make();
            for (int p = 0; p < P; p++) {
                Go.go(() -> {
                    Map<Integer, Integer> recv = new HashMap<>();
                    for (int i = 0; i < L; i++) {
                        recv.merge(c.recv(), 1, Integer::sum);
                    }
                    done.send(recv);
                });
            }
            Map<Integer, Integer> recv = new HashMap<>();
            for (int p = 0; p < P; p++) {
                done.recv().forEach((k, v) -> recv.merge(k, v, Integer::sum));
            }
            assertThat(recv).as("chan[%d]: received values", chanCap).hasSize(L);
            assertThat(recv.values()).as("chan[%d]", chanCap).allMatch(v -> v == P);
        }
        {
            // Test len/cap.
            Chan<Integer> c = Chan.make(chanCap);
            assertThat(c.len()).isZero();
            assertThat(c.cap()).isEqualTo(chanCap);
            for (int i = 0; i < chanCap; i++) {
                c.send(i);
            }
            assertThat(c.len()).isEqualTo(chanCap);
            assertThat(c.cap()).isEqualTo(chanCap);
        }
    }

    /** Go: TestNonblockRecvRace. */
    @Test
    void testNonblockRecvRace() {
        Go.run(() -> {
            for (int i = 0; i < 10_000; i++) {
                Chan<Integer> c = Chan.make(1);
                c.send(1);
                Go.go(() -> {
                    if (select(recv(c), defaultCase()) == 1) {
                        throw new AssertionError("chan is not ready");
                    }
                });
                c.close();
                c.recv();
            }
        });
    }

    /**
     * Go: TestNonblockSelectRace. Select acts on the state of the channels at one moment: from the time the
     * goroutine is created, at least one of c1 and c2 is ready, so its non-blocking select never takes default.
     */
    @Test
    void testNonblockSelectRace() {
        Go.run(() -> {
            Chan<Boolean> done = Chan.make(1);
            for (int i = 0; i < 100_000; i++) {
                Chan<Integer> c1 = Chan.make(1);
                Chan<Integer> c2 = Chan.make(1);
                c1.send(1);
                Go.go(() -> done.send(select(recv(c1), recv(c2), defaultCase()) != 2));
                c2.send(1);
                select(recv(c1), defaultCase());
                assertThat(done.recv()).as("no chan is ready (iteration %d)", i).isTrue();
            }
        });
    }

    /** Go: TestNonblockSelectRace2 — as above, with close(c2) instead of c2 <- 1. */
    @Test
    void testNonblockSelectRace2() {
        Go.run(() -> {
            Chan<Boolean> done = Chan.make(1);
            for (int i = 0; i < 100_000; i++) {
                Chan<Integer> c1 = Chan.make(1);
                Chan<Integer> c2 = Chan.make();
                c1.send(1);
                Go.go(() -> done.send(select(recv(c1), recv(c2), defaultCase()) != 2));
                c2.close();
                select(recv(c1), defaultCase());
                assertThat(done.recv()).as("no chan is ready (iteration %d)", i).isTrue();
            }
        });
    }

    /** Go: TestSelfSelect — send/recv on the same chan in one select neither crashes nor deadlocks. */
    @Test
    void testSelfSelect() {
        Go.run(() -> {
            for (int chanCap : new int[] {0, 10}) {
                Chan<Integer> c = Chan.make(chanCap);
                Chan<Boolean> wg = Chan.make(2);
                for (int p = 0; p < 2; p++) {
                    final int pp = p;
                    Go.go(() -> {
                        for (int i = 0; i < 1000; i++) {
                            java.util.function.Consumer<Integer> check = v -> {
                                if (chanCap == 0 && v == pp) {
                                    throw new AssertionError("self receive");
                                }
                            };
                            if (pp == 0 || i % 2 == 0) {
                                select(send(c, pp), recv(c, check));
                            } else {
                                select(recv(c, check), send(c, pp));
                            }
                        }
                        wg.send(true);
                    });
                }
                wg.recv();
                wg.recv();
            }
        });
    }

    /**
     * Go: TestSelectStress (Go's full N = 100,000): 4 senders and 4 receivers on 4 channels of capacities 0, 0, 2,
     * 3, plus one goroutine that sends N values on each channel in a single select and one that receives N values
     * from each in a single select (cases are disabled by setting the channel to nil once done).
     */
    @Test
    void testSelectStress() {
        final int N = 100_000;
        Go.run(() -> {
            @SuppressWarnings("unchecked")
            Chan<Integer>[] c = new Chan[] {Chan.make(), Chan.make(), Chan.make(2), Chan.make(3)};
            Chan<Boolean> wg = Chan.make(10);
            for (int k = 0; k < 4; k++) {
                final int kk = k;
                Go.go(() -> {
                    for (int i = 0; i < N; i++) {
                        c[kk].send(0);
                    }
                    wg.send(true);
                });
                Go.go(() -> {
                    for (int i = 0; i < N; i++) {
                        c[kk].recv();
                    }
                    wg.send(true);
                });
            }
            Go.go(() -> {
                int[] n = new int[4];
                Chan<Integer>[] c1 = c.clone();
                for (int i = 0; i < 4 * N; i++) {
                    select(
                            send(c1[3], 0, () -> {
                                if (++n[3] == N) {
                                    c1[3] = null;
                                }
                            }),
                            send(c1[2], 0, () -> {
                                if (++n[2] == N) {
                                    c1[2] = null;
                                }
                            }),
                            send(c1[0], 0, () -> {
                                if (++n[0] == N) {
                                    c1[0] = null;
                                }
                            }),
                            send(c1[1], 0, () -> {
                                if (++n[1] == N) {
                                    c1[1] = null;
                                }
                            }));
                }
                assertThat(n).containsExactly(N, N, N, N);
                wg.send(true);
            });
            Go.go(() -> {
                int[] n = new int[4];
                Chan<Integer>[] c1 = c.clone();
                for (int i = 0; i < 4 * N; i++) {
                    select(
                            recv(c1[0], v -> {
                                if (++n[0] == N) {
                                    c1[0] = null;
                                }
                            }),
                            recv(c1[1], v -> {
                                if (++n[1] == N) {
                                    c1[1] = null;
                                }
                            }),
                            recv(c1[2], v -> {
                                if (++n[2] == N) {
                                    c1[2] = null;
                                }
                            }),
                            recv(c1[3], v -> {
                                if (++n[3] == N) {
                                    c1[3] = null;
                                }
                            }));
                }
                assertThat(n).containsExactly(N, N, N, N);
                wg.send(true);
            });
            for (int i = 0; i < 10; i++) {
                wg.recv();
            }
        });
    }

    /**
     * Go: TestSelectFairness — with two always-ready channels among four cases, each is chosen about half the
     * time (bound: six nines confidence over 10,000 trials, as in Go).
     */
    @Test
    void testSelectFairness() {
        final int trials = 10_000;
        Go.run(() -> {
            Chan<Byte> c1 = Chan.make(trials + 1);
            Chan<Byte> c2 = Chan.make(trials + 1);
            for (int i = 0; i < trials + 1; i++) {
                c1.send((byte) 1);
                c2.send((byte) 2);
            }
            Chan<Byte> c3 = Chan.make();
            Chan<Byte> c4 = Chan.make();
            Chan<Byte> out = Chan.make();
            Chan<Byte> done = Chan.make();
            Chan<Boolean> wg = Chan.make(1);
            Go.go(() -> {
                try {
                    while (true) {
                        byte[] b = new byte[1];
                        select(recv(c3, v -> b[0] = v), recv(c4, v -> b[0] = v), recv(c1, v -> b[0] = v),
                                recv(c2, v -> b[0] = v));
                        if (select(send(out, b[0]), recv(done)) == 1) {
                            return;
                        }
                    }
                } finally {
                    wg.send(true);
                }
            });
            int cnt1 = 0;
            int cnt2 = 0;
            for (int i = 0; i < trials; i++) {
                byte b = out.recv();
                switch (b) {
                    case 1 -> cnt1++;
                    case 2 -> cnt2++;
                    default -> fail("unexpected value %d on channel", b);
                }
            }
            double r = (double) cnt1 / trials;
            double e = Math.abs(r - 0.5);
            assertThat(e).as("unfair select: in %d trials, results were %d, %d", trials, cnt1, cnt2)
                    .isLessThanOrEqualTo(4.891676 / (2 * Math.sqrt(trials)));
            done.close();
            wg.recv();
        });
    }

    /** Go: TestChanSendInterface — select sends of interface values to a full channel take the default. */
    @Test
    void testChanSendInterface() {
        Go.run(() -> {
            record Mt() {}
            Object m = new Mt();
            Chan<Object> c = Chan.make(1);
            c.send(m);
            assertThat(select(send(c, m), defaultCase())).isEqualTo(1);
            assertThat(select(send(c, m), send(c, new Mt()), defaultCase())).isEqualTo(2);
            assertThat(c.recv()).isSameAs(m);
        });
    }

    /** Go: TestPseudoRandomSend — a select over two sends of 0 and 1 picks both, pseudo-randomly. */
    @Test
    void testPseudoRandomSend() {
        final int n = 100;
        Go.run(() -> {
            for (int chanCap : new int[] {0, n}) {
                Chan<Integer> c = Chan.make(chanCap);
                int[] l = new int[n];
                Chan<Boolean> m = Chan.make();
                Go.go(() -> {
                    for (int i = 0; i < n; i++) {
                        Go.gosched();
                        l[i] = c.recv();
                    }
                    m.close();
                });
                for (int i = 0; i < n; i++) {
                    select(send(c, 1), send(c, 0));
                }
                m.recv(); // wait
                int n0 = 0;
                int n1 = 0;
                for (int i : l) {
                    n0 += (i + 1) % 2;
                    n1 += i;
                }
                assertThat(n0 > n / 10 && n1 > n / 10)
                        .as("Want pseudorandom, got %d zeros and %d ones (chan cap %d)", n0, n1, chanCap).isTrue();
            }
        });
    }

    /** Go: TestMultiConsumer — 23 workers ranging over a buffered queue; nothing lost or duplicated. */
    @Test
    void testMultiConsumer() {
        final int nwork = 23;
        final int niter = 271828;
        final int[] pn = {2, 3, 7, 11, 13, 17, 19, 23, 27, 31};
        Go.run(() -> {
            Chan<Integer> q = Chan.make(nwork * 3);
            Chan<Integer> r = Chan.make(nwork * 3);
            Chan<Boolean> wg = Chan.make(nwork);
            for (int i = 0; i < nwork; i++) {
                final int w = i;
                Go.go(() -> {
                    for (int v : q) {
                        // mess with the fifo-ish nature of range
                        if (pn[w % pn.length] == v) {
                            Go.gosched();
                        }
                        r.send(v);
                    }
                    wg.send(true);
                });
            }
            long[] expect = new long[1];
            Chan<Boolean> fed = Chan.make(1);
            Go.go(() -> {
                for (int i = 0; i < niter; i++) {
                    int v = pn[i % pn.length];
                    expect[0] += v;
                    q.send(v);
                }
                fed.send(true);
                q.close(); // no more work
                for (int i = 0; i < nwork; i++) {
                    wg.recv(); // workers done
                }
                r.close(); // ... so there can be no more results
            });
            int n = 0;
            long s = 0;
            for (int v : r) {
                n++;
                s += v;
            }
            fed.recv(); // orders expect[0] before the read below
            assertThat(n).as("iterations").isEqualTo(niter);
            assertThat(s).as("sum").isEqualTo(expect[0]);
        });
    }

    /**
     * Go: TestSelectDuplicateChannel — a G queued twice on the same channel by one select dequeues itself from
     * both entries when another case wins; the channel's queue stays intact and wakes the next receiver.
     */
    @Test
    void testSelectDuplicateChannel() {
        Go.run(() -> {
            Chan<Integer> c = Chan.make();
            Chan<Integer> d = Chan.make();
            Chan<Integer> e = Chan.make();
            // goroutine A
            G a = spawn(() -> {
                select(recv(c), recv(c), recv(d));
                e.send(9);
            });
            assertThat(awaitParked(a)).isEqualTo(WaitReason.SELECT); // A is queued first on c
            // goroutine B
            Chan<Integer> bDone = Chan.make(1);
            G b = spawn(() -> bDone.send(c.recv()));
            assertThat(awaitParked(b)).isEqualTo(WaitReason.CHAN_RECEIVE); // B is queued on c after A
            d.send(7); // wake up A, it dequeues itself from c
            e.recv(); // A tells us it's done
            c.send(8); // wake up B
            assertThat(bDone.recv()).isEqualTo(8);
            assertThat(c.recvq.isEmptyAcquire()).isTrue();
            assertThat(c.sendq.isEmptyAcquire()).isTrue();
        });
    }

    /** Go: select3's "select should not get confused if it sees itself": it blocks. */
    @Test
    void selfSelectAloneBlocks() {
        Go.run(() -> {
            Chan<Integer> c = Chan.make();
            G g = spawn(() -> select(send(c, 1), recv(c)));
            assertBlocks(g, WaitReason.SELECT);
        });
    }
}
