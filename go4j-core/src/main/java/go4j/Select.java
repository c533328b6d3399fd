package go4j;

import go4j.internal.WaitReason;
import go4j.internal.Waiter;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * Go's {@code select} statement, built as Go's {@code runtime/select.go} ({@code selectgo}).
 *
 * <pre>{@code
 * // select {
 * // case v := <-in:   out <- v
 * // case <-done:      return
 * // }
 * if (select(recv(in, v -> out.send(v)), recv(done)) == 1) return;
 * }</pre>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>If one or more cases can proceed, one of them is chosen uniformly at random; its communication happens
 *       and then its body runs (outside every channel lock). {@link #select} returns the index of the chosen case
 *       in the argument list.</li>
 *   <li>If none can proceed: the default case runs if there is one; otherwise the caller blocks until one can
 *       proceed (wait reason {@code select}).</li>
 *   <li>Cases on the nil channel ({@link Chan#nil()}, or a {@code null} channel reference) are never ready.
 *       {@code select()} with no cases blocks for ever ({@code select (no cases)}).</li>
 *   <li>A receive case on a closed channel is ready and receives {@code (null, false)}. A send case chosen on a
 *       closed channel panics {@code send on closed channel}. The same channel may appear in several cases.</li>
 * </ul>
 *
 * <h2>How</h2>
 * Each call shuffles the poll order (uniform random permutation). Unlike Go, a select of at most 16 cases
 * ({@code PACKED_CASES}) first looks at them without any lock, in poll order, and tries the first that looks ready
 * under its own channel's lock alone (a select in a loop usually finds a case ready: one lock instead of all).
 * Otherwise, as Go: it sorts the lock order by each channel's sequence number (Go sorts by address), locks every
 * channel, polls the cases in poll order, and if none is ready enqueues one entry per case, all sharing one
 * {@link Waiter}, and parks. A waker claims that Waiter by CAS, so exactly one case wins; after waking, the goroutine
 * locks every channel again and removes its other entries (so the bug of Go's test/chan/select6.go, a lost entry
 * waking the wrong case, cannot occur).
 *
 * <p>Interruption: a thread interrupted while blocked in a select removes all its entries and throws
 * {@link GoInterruptedException} unless a case already won, in which case that case completes normally.
 */
public final class Select {
    private Select() {}

    static final int RECV = 0;
    static final int SEND = 1;
    static final int DEFAULT = 2;

    /** One case of a select: build with {@link #recv}, {@link #recvOk}, {@link #send}, {@link #defaultCase}. */
    public static final class Case {
        final int kind;
        /** The channel; the nil channel for a null reference. Null only for the default case. */
        final Chan<?> c;
        final Object value;
        /** Consumer (recv), BiConsumer (recvOk), Runnable (send, default), or null. */
        final Object body;

        Case(int kind, Chan<?> c, Object value, Object body) {
            this.kind = kind;
            this.c = c;
            this.value = value;
            this.body = body;
        }

        @SuppressWarnings("unchecked")
        void runRecv(Object v, boolean ok) {
            Object b = body;
            if (b instanceof Consumer<?> f) {
                ((Consumer<Object>) f).accept(v);
            } else if (b instanceof BiConsumer<?, ?> f) {
                ((BiConsumer<Object, Boolean>) f).accept(v, ok);
            }
        }

        void runPlain() {
            if (body instanceof Runnable r) {
                r.run();
            }
        }
    }

    private static Chan<?> orNil(Object c) {
        return c == null ? Chan.nil() : (Chan<?>) c;
    }

    /** {@code case v := <-c: body(v)}. A closed, drained channel gives {@code null}. */
    public static <T> Case recv(RecvChan<T> c, Consumer<? super T> body) {
        return new Case(RECV, orNil(c), null, Objects.requireNonNull(body, "body"));
    }

    /** {@code case <-c:} with an empty body (one shared, immutable case per channel). */
    public static <T> Case recv(RecvChan<T> c) {
        Chan<?> ch = orNil(c);
        Case k = ch.recvCase;
        if (k == null) {
            k = new Case(RECV, ch, null, null);
            ch.recvCase = k;
        }
        return k;
    }

    /** {@code case v, ok := <-c: body(v, ok)}. */
    public static <T> Case recvOk(RecvChan<T> c, BiConsumer<? super T, Boolean> body) {
        return new Case(RECV, orNil(c), null, Objects.requireNonNull(body, "body"));
    }

    /** {@code case c <- v: body()}. */
    public static <T> Case send(SendChan<T> c, T v, Runnable body) {
        return new Case(SEND, orNil(c), v, Objects.requireNonNull(body, "body"));
    }

    /** {@code case c <- v:} with an empty body. */
    public static <T> Case send(SendChan<T> c, T v) {
        return new Case(SEND, orNil(c), v, null);
    }

    /** {@code default: body()}. */
    public static Case defaultCase(Runnable body) {
        return new Case(DEFAULT, null, null, Objects.requireNonNull(body, "body"));
    }

    private static final Case DEFAULT_CASE = new Case(DEFAULT, null, null, null);

    /** {@code default:} with an empty body (one shared, immutable case). */
    public static Case defaultCase() {
        return DEFAULT_CASE;
    }

    /**
     * Runs a select over {@code cases} and returns the index of the chosen case (its position in the arguments).
     * Blocks unless a case is ready or there is a default case.
     *
     * @throws RuntimeError {@code send on closed channel} if a send case is chosen on a closed channel
     * @throws IllegalArgumentException if more than one default case is given (a compile error in Go)
     * @throws GoInterruptedException if interrupted while blocked (no case was chosen)
     */
    public static int select(Case... cases) {
        int n = cases.length;
        int dflt = -1;
        for (int i = 0; i < n; i++) {
            if (cases[i].kind == DEFAULT) {
                if (dflt >= 0) {
                    throw new IllegalArgumentException("multiple defaults in select");
                }
                dflt = i;
            }
        }
        // The compiler's special forms (Go's walkSelectCases): no cases, one case, one case plus default.
        if (n == 0) {
            Chan.blockForever(WaitReason.SELECT_NO_CASES);
        }
        if (n == 1) {
            Case k = cases[0];
            if (k.kind == DEFAULT) {
                k.runPlain();
            } else if (k.kind == RECV) {
                Object r = k.c.recv0(true);
                deliverRecv(k, r);
            } else {
                k.c.send0(k.value, true);
                k.runPlain();
            }
            return 0;
        }
        if (n == 2 && dflt >= 0) {
            int other = 1 - dflt;
            Case k = cases[other];
            if (k.kind == RECV) {
                Object r = k.c.recv0(false);
                if (r != Chan.WOULD_BLOCK) {
                    deliverRecv(k, r);
                    return other;
                }
            } else if (k.c.send0(k.value, false)) {
                k.runPlain();
                return other;
            }
            cases[dflt].runPlain();
            return dflt;
        }
        return selectgo(cases, dflt);
    }

    private static void deliverRecv(Case k, Object r) {
        if (r == Chan.CLOSED) {
            k.runRecv(null, false);
        } else {
            k.runRecv(r, true);
        }
    }

    /**
     * Selects of at most this many cases keep their poll and lock orders in a {@code long} each, one case index
     * per 4-bit nibble (position p at bits 4p..4p+3), where Go keeps them in arrays on the stack: no allocation.
     * Larger selects use {@code int[]}s.
     */
    static final int PACKED_CASES = 16;

    /** Go's {@code selectgo} for the general case. */
    private static int selectgo(Case[] cases, int dflt) {
        int n = cases.length;
        // Poll order: a uniform random permutation of the cases on non-nil channels (inside-out Fisher-Yates).
        // Either packed (n <= PACKED_CASES) or in an array; order(...) reads a position of either form.
        int[] pollA = n > PACKED_CASES ? new int[n] : null;
        long poll = 0;
        int norder = 0;
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            Case k = cases[i];
            if (k.kind == DEFAULT || k.c.isNil) {
                continue;
            }
            if (k.c.timer != null) {
                k.c.timer.maybeRunChan(); // Go 1.23: a due timer not in any heap fills its channel now
            }
            int j = rnd.nextInt(norder + 1);
            if (pollA == null) {
                poll = withNibble(withNibble(poll, norder, nibble(poll, j)), j, i);
            } else {
                pollA[norder] = pollA[j];
                pollA[j] = i;
            }
            norder++;
        }
        if (norder == 0) {
            if (dflt >= 0) {
                cases[dflt].runPlain();
                return dflt;
            }
            // Only nil channels: Go's selectgo parks with nothing enqueued and wait reason "select" (only an empty
            // select {} is "select (no cases)").
            Chan.blockForever(WaitReason.SELECT);
        }
        // Pass 0 (go4j's; Go has none): a lock-free look in poll order. The first case that looks ready is tried
        // under its own channel's lock alone: the full pass below locks every channel, so when a case is ready
        // (the common case of a select in a loop) this takes one lock instead of all. The choice is Go's: the
        // first ready case in a uniform random poll order; the case is re-checked under its lock, so its
        // communication happens at a moment when it was ready. If it is not ready any more, do the full pass.
        if (pollA == null) {
            for (int p = 0; p < norder; p++) {
                int i = nibble(poll, p);
                Case k = cases[i];
                if (k.kind == RECV ? k.c.recvMayProceed() : k.c.sendMayProceed()) {
                    k.c.lock();
                    int r = attempt(cases, i, i, null, 1); // lock order: this case alone (packed, position 0)
                    if (r >= 0) {
                        return r;
                    }
                    k.c.unlock();
                    break;
                }
            }
        }
        // Lock order: by channel sequence number, so that concurrent selects never deadlock.
        int[] lockA = null;
        long lock = 0;
        if (pollA == null) {
            lock = sortBySeq(cases, poll, norder);
        } else {
            lockA = Arrays.copyOf(pollA, norder);
            sortBySeq(cases, lockA);
        }

        sellock(cases, lock, lockA, norder);
        // Pass 1: look for a case that can proceed now.
        for (int p = 0; p < norder; p++) {
            int r = attempt(cases, order(poll, pollA, p), lock, lockA, norder);
            if (r >= 0) {
                return r;
            }
        }
        if (dflt >= 0) {
            selunlock(cases, lock, lockA, norder);
            cases[dflt].runPlain();
            return dflt;
        }
        // Pass 2: enqueue on every channel, then park.
        Waiter w = new Waiter();
        for (int p = 0; p < norder; p++) {
            if (cases[order(poll, pollA, p)].c.home != w.domain) {
                w.domain = null; // a channel of another program: not asleep for deadlock detection
                break;
            }
        }
        Sudog waiting = null; // this select's entries in lock order, chained by waitlink (Go's gp.waiting)
        Sudog tail = null;
        boolean turnTaking = true;
        for (int p = 0; p < norder; p++) {
            int i = order(lock, lockA, p);
            Case k = cases[i];
            turnTaking &= k.c.turnTaking();
            Sudog sg = new Sudog(w, i, k.kind == SEND ? k.value : null);
            if (tail == null) {
                waiting = sg;
            } else {
                tail.waitlink = sg;
            }
            tail = sg;
            (k.kind == SEND ? k.c.sendq : k.c.recvq).enqueue(sg);
        }
        selunlock(cases, lock, lockA, norder);
        timerChans(cases, lock, lockA, norder, true);
        Chan<?> hintChan = cases[order(poll, pollA, 0)].c;
        int spins = turnTaking ? hintChan.spinHint : 0;
        int outcome = w.await(WaitReason.SELECT, spins, turnTaking, 0);
        timerChans(cases, lock, lockA, norder, false);
        Sudog winner = outcome == Waiter.WOKE ? (Sudog) w.result : null;
        // Pass 3: dequeue from the cases that did not win.
        sellock(cases, lock, lockA, norder);
        for (Sudog sg = waiting; sg != null; ) {
            if (sg != winner) {
                Case k = cases[sg.caseIndex];
                (k.kind == SEND ? k.c.sendq : k.c.recvq).remove(sg);
            }
            Sudog next = sg.waitlink;
            sg.waitlink = null;
            sg = next;
        }
        selunlock(cases, lock, lockA, norder);
        hintChan.adaptSpin(spins, w);
        if (winner == null) {
            throw GoInterruptedException.clearAndCreate();
        }
        int i = winner.caseIndex;
        Case k = cases[i];
        if (k.kind == RECV) {
            Object v = winner.elem;
            winner.elem = null;
            k.runRecv(winner.success ? v : null, winner.success);
        } else {
            if (!winner.success) {
                throw new RuntimeError("send on closed channel");
            }
            k.runPlain();
        }
        return i;
    }

    /**
     * Case i if it can proceed now, with the channels of the first {@code nlock} positions of the lock order held:
     * does its communication, unlocks them all, wakes the partner, runs the body and returns i; else returns -1
     * with the locks still held.
     *
     * @throws RuntimeError {@code send on closed channel} (after unlocking)
     */
    private static int attempt(Case[] cases, int i, long lock, int[] lockA, int nlock) {
        Case k = cases[i];
        Chan<?> c = k.c;
        if (k.kind == RECV) {
            Sudog sg = c.sendq.dequeue();
            if (sg != null) {
                Object v = c.recvFromLocked(sg);
                selunlock(cases, lock, lockA, nlock);
                sg.ready();
                k.runRecv(v, true);
                return i;
            }
            if (c.qcountLocked() > 0) {
                Object v = c.takeLocked();
                selunlock(cases, lock, lockA, nlock);
                k.runRecv(v, true);
                return i;
            }
            if (c.closedLocked()) {
                selunlock(cases, lock, lockA, nlock);
                k.runRecv(null, false);
                return i;
            }
        } else {
            if (c.closedLocked()) {
                selunlock(cases, lock, lockA, nlock);
                throw new RuntimeError("send on closed channel");
            }
            Sudog sg = c.recvq.dequeue();
            if (sg != null) {
                sg.elem = k.value;
                sg.success = true;
                selunlock(cases, lock, lockA, nlock);
                sg.ready();
                k.runPlain();
                return i;
            }
            if (c.qcountLocked() < c.dataqsiz()) {
                c.putLocked(k.value);
                selunlock(cases, lock, lockA, nlock);
                k.runPlain();
                return i;
            }
        }
        return -1;
    }

    /** Go's blockTimerChan/unblockTimerChan for every case on a timer channel; called with no channel locked. */
    private static void timerChans(Case[] cases, long lock, int[] lockA, int norder, boolean block) {
        for (int p = 0; p < norder; p++) {
            Chan<?> c = cases[order(lock, lockA, p)].c;
            if (c.timer != null) {
                if (block) {
                    c.timer.blockTimerChan();
                } else {
                    c.timer.unblockTimerChan();
                }
            }
        }
    }

    /** Position p of an order: of the array if there is one, else of the packed form. */
    private static int order(long packed, int[] array, int p) {
        return array == null ? nibble(packed, p) : array[p];
    }

    private static int nibble(long packed, int p) {
        return (int) (packed >>> (p << 2)) & 0xF;
    }

    private static long withNibble(long packed, int p, int v) {
        int shift = p << 2;
        return (packed & ~(0xFL << shift)) | ((long) v << shift);
    }

    /** The packed poll order's first m positions, sorted by channel sequence number (insertion sort). */
    private static long sortBySeq(Case[] cases, long order, int m) {
        for (int i = 1; i < m; i++) {
            int x = nibble(order, i);
            long key = cases[x].c.seq;
            int j = i - 1;
            while (j >= 0 && cases[nibble(order, j)].c.seq > key) {
                order = withNibble(order, j + 1, nibble(order, j));
                j--;
            }
            order = withNibble(order, j + 1, x);
        }
        return order;
    }

    private static void sortBySeq(Case[] cases, int[] order) {
        // Insertion sort up to 32 cases; for larger ones a boxed sort.
        int m = order.length;
        if (m > 32) {
            Integer[] boxed = new Integer[m];
            for (int i = 0; i < m; i++) {
                boxed[i] = order[i];
            }
            Arrays.sort(boxed, (a, b) -> Long.compare(cases[a].c.seq, cases[b].c.seq));
            for (int i = 0; i < m; i++) {
                order[i] = boxed[i];
            }
            return;
        }
        for (int i = 1; i < m; i++) {
            int x = order[i];
            long key = cases[x].c.seq;
            int j = i - 1;
            while (j >= 0 && cases[order[j]].c.seq > key) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = x;
        }
    }

    /**
     * Locks every channel once, in lock order (duplicates are adjacent there). Only the first lock may yield the
     * carrier while it waits; the others are taken holding one already ({@link Chan#lockHolding()}).
     */
    private static void sellock(Case[] cases, long lock, int[] lockA, int norder) {
        Chan<?> prev = null;
        for (int p = 0; p < norder; p++) {
            Chan<?> c = cases[order(lock, lockA, p)].c;
            if (c != prev) {
                if (prev == null) {
                    c.lock();
                } else {
                    c.lockHolding();
                }
                prev = c;
            }
        }
    }

    private static void selunlock(Case[] cases, long lock, int[] lockA, int norder) {
        for (int p = norder - 1; p >= 0; p--) {
            Chan<?> c = cases[order(lock, lockA, p)].c;
            if (p > 0 && cases[order(lock, lockA, p - 1)].c == c) {
                continue;
            }
            c.unlock();
        }
    }
}
