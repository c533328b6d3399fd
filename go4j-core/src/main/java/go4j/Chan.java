package go4j;

import go4j.internal.G;
import go4j.internal.Jfr;
import go4j.internal.Program;
import go4j.internal.Sched;
import go4j.internal.TimerChans;
import go4j.internal.WaitReason;
import go4j.internal.Waiter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Go channel ({@code chan T}), built as Go's {@code runtime/chan.go} builds {@code hchan}: one lock, a ring
 * buffer of {@link #cap()} slots, and FIFO queues of blocked senders and receivers.
 *
 * <h2>Invariants (as in Go)</h2>
 * <ul>
 *   <li>At least one of {@code sendq} and {@code recvq} is empty, except for an unbuffered channel with a single
 *       goroutine blocked in a select on both sending and receiving on it.</li>
 *   <li>For a buffered channel: {@code qcount > 0} implies {@code recvq} is empty; {@code qcount < cap} implies
 *       {@code sendq} is empty.</li>
 *   <li>A value goes straight from a sender to a waiting receiver (and a receiver takes from a waiting sender,
 *       refilling the freed buffer slot with the sender's value), so waiting goroutines are served in FIFO order
 *       and the buffer keeps FIFO order.</li>
 * </ul>
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>{@link #send} blocks until a receiver takes the value (unbuffered) or a slot is free (buffered). On a
 *       closed channel it panics {@code send on closed channel}, also for senders already blocked when the channel
 *       is closed.</li>
 *   <li>{@link #recv} blocks until a value is available. A closed channel yields its buffered values, then
 *       {@code null} with {@code ok == false} for ever ({@link #recvOk}).</li>
 *   <li>{@link #close} wakes every blocked receiver (with {@code ok == false}) and every blocked sender (which
 *       panic). Closing twice panics {@code close of closed channel}.</li>
 *   <li>The nil channel ({@link #nil()}): send and receive block for ever, {@code close} panics
 *       {@code close of nil channel}, {@code len} and {@code cap} are 0; in a select its cases are never ready.</li>
 *   <li>{@code null} is a valid element (Go's nil pointer); {@code ok} tells it apart from a closed channel.</li>
 * </ul>
 *
 * <h2>Memory model (Go's)</h2>
 * A send happens-before the matching receive completes; the close of a channel happens-before a receive that
 * returns because the channel is closed; for an unbuffered channel a receive happens-before the matching send
 * completes; the k-th receive on a channel of capacity C happens-before the (k+C)-th send completes.
 *
 * <h2>Interruption</h2>
 * A thread interrupted while blocked in a channel operation leaves the channel untouched: it removes itself from
 * the wait queue and throws {@link GoInterruptedException}. If a partner completed the operation first, the
 * operation returns normally and the interrupt status stays set. Nothing is lost or duplicated either way.
 *
 * <p>Every method works from any Java thread; goroutines additionally show their wait reason
 * ({@code chan send}, {@code chan receive}, ...) in go4j's goroutine states.
 */
public final class Chan<T> extends ChanPad implements SendChan<T>, RecvChan<T> {
    /** Sentinel results of {@link #recv0}. */
    static final Object WOULD_BLOCK = new Object();
    static final Object CLOSED = new Object();

    private static final AtomicLong SEQ = new AtomicLong();
    private static final Chan<?> NIL = new Chan<>(0, true);

    static {
        // go4j.time's timer channels (a one-slot buffer that reports len = cap = 0, drained by Stop/Reset).
        TimerChans.install(new TimerChans() {
            @Override
            public <T> Chan<T> newTimerChan(ChanTimer timer) {
                return new Chan<>(1, false, timer);
            }

            @Override
            public boolean drain(Chan<?> c) {
                return c.drainTimerChan();
            }

            @Override
            public <T> Chan<T> newChanOf(Program home) {
                return new Chan<>(0, false, null, home);
            }
        });
    }

    /**
     * Bounds of the adaptive spin before parking ({@link #spinHint}), in {@code Thread.onSpinWait} rounds (~25 ns
     * each on the reference machine): at most 256 (~6 µs), at least 16 (~0.4 µs) whenever the scheduler allows
     * spinning at all. The floor keeps probing: a failed short spin costs less than the park it may save, and a
     * pair of goroutines split over two Ps stays split only while its waits keep being answered during the spin.
     */
    static final int MAX_SPINS = Integer.getInteger("go4j.chan.maxSpins", Sched.MULTICORE ? 256 : 0);
    static final int MIN_SPINS = Math.min(MAX_SPINS, 16);

    private static final VarHandle LOCK;
    private static final VarHandle QCOUNT;
    private static final VarHandle CLOSED_FLAG;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            LOCK = l.findVarHandle(Chan.class, "lock", int.class);
            QCOUNT = l.findVarHandle(Chan.class, "qcount", int.class);
            CLOSED_FLAG = l.findVarHandle(Chan.class, "closed", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    // The immutable fields (seq, isNil, buf, dataqsiz, timer, home, recvq, sendq) are in ChanHeader, a
    // cache line away from the mutable ones below (see ChanLayout.java).

    /** 0 = free, 1 = held. Protects every field below and both queues. */
    @SuppressWarnings("unused")
    private volatile int lock;
    /** Elements in buf. Written under lock (release); read lock-free by len() and the fast paths (acquire). */
    @SuppressWarnings("unused")
    private int qcount;
    private int sendx;
    private int recvx;
    /** Set once under lock (release); read lock-free by the fast paths (acquire). */
    @SuppressWarnings("unused")
    private boolean closed;
    /**
     * The ends of {@link #recvq} and {@link #sendq} (see WaitQ), on the lock's cache line; guarded by the lock, the
     * first entries also read lock-free (acquire) by the fast paths.
     */
    Sudog recvFirst;
    Sudog recvLast;
    Sudog sendFirst;
    Sudog sendLast;
    /**
     * Adaptive spin budget: how long a goroutine about to park on this channel polls its waiter first. Doubles when
     * spinning caught the partner, halves (down to {@link #MIN_SPINS}) when it did not; unchanged when the scheduler
     * vetoed spinning (racy by design: a hint, not state).
     */
    int spinHint = MAX_SPINS / 4;

    private Chan(int size, boolean isNil) {
        this(size, isNil, null);
    }

    private Chan(int size, boolean isNil, TimerChans.ChanTimer timer) {
        this(size, isNil, timer, homeOfCurrent());
    }

    private static Program homeOfCurrent() {
        G g = G.current();
        return g == null ? null : g.program;
    }

    private Chan(int size, boolean isNil, TimerChans.ChanTimer timer, Program home) {
        super(SEQ.incrementAndGet(), isNil, size, timer, home);
    }

    /** {@code make(chan T)}: an unbuffered channel. */
    public static <T> Chan<T> make() {
        return new Chan<>(0, false);
    }

    /**
     * {@code make(chan T, size)}.
     *
     * @throws RuntimeError {@code makechan: size out of range} if size is negative
     */
    public static <T> Chan<T> make(int size) {
        if (size < 0) {
            throw new RuntimeError("makechan: size out of range");
        }
        return new Chan<>(size, false);
    }

    /** The nil channel ({@code var ch chan T}). */
    @SuppressWarnings("unchecked")
    public static <T> Chan<T> nil() {
        return (Chan<T>) NIL;
    }

    /** Whether this is the nil channel. */
    public boolean isNil() {
        return isNil;
    }

    /** This channel as a send-only channel ({@code chan<- T}). */
    public SendChan<T> sendOnly() {
        return this;
    }

    /** This channel as a receive-only channel ({@code <-chan T}). */
    public RecvChan<T> recvOnly() {
        return this;
    }

    @Override
    public int len() {
        return isNil || timer != null ? 0 : (int) QCOUNT.getAcquire(this);
    }

    @Override
    public int cap() {
        return timer != null ? 0 : dataqsiz;
    }

    /** Go's {@code timerchandrain}: empties a timer channel's slot; true if a value was removed. */
    private boolean drainTimerChan() {
        if ((int) QCOUNT.getAcquire(this) == 0) {
            return false; // nothing buffered now; a later fill is ordered after the caller's timer lock
        }
        lock();
        int q = qcountLocked();
        boolean any = q > 0;
        while (q > 0) {
            takeLocked(q);
            q--;
        }
        unlock();
        return any;
    }

    // ------------------------------------------------------------------------------------------ lock

    /**
     * Takes the lock. Invariant of every holder: it never parks and never yields its carrier while holding a
     * channel lock, so a waiter's spin ends as soon as the holder's carrier runs. A caller that holds no channel
     * lock may yield after a while (a goroutine lets its P's other goroutines run; a platform thread yields to the
     * OS); a caller that already holds one (a select taking its second and later locks) uses
     * {@link #lockHolding()}.
     */
    void lock() {
        if (!LOCK.compareAndSet(this, 0, 1)) {
            lockSlow(true);
        }
    }

    /**
     * {@link #lock()} for a caller that already holds another channel's lock: spins without ever yielding. A
     * goroutine that yielded here would be unmounted while holding that other lock; a carrier-side thread (an M
     * sending a timer's value) that then wanted it would spin on it while the only goroutine that can release it
     * waits for a carrier (GOMAXPROCS=1). Lock order (select sorts by channel) bounds the chain of holders waiting
     * on each other, and its last one is running.
     */
    void lockHolding() {
        if (!LOCK.compareAndSet(this, 0, 1)) {
            lockSlow(false);
        }
    }

    private void lockSlow(boolean mayYield) {
        for (int spins = 0; ; spins++) {
            if ((int) LOCK.getOpaque(this) == 0 && LOCK.compareAndSet(this, 0, 1)) {
                return;
            }
            // The holder is running (see lock()): it will release shortly.
            if (spins < 128 || !mayYield) {
                Thread.onSpinWait();
            } else {
                Sched.goyield();
            }
        }
    }

    void unlock() {
        LOCK.setRelease(this, 0);
    }

    boolean isClosedAcquire() {
        return (boolean) CLOSED_FLAG.getAcquire(this);
    }

    /** Requires lock. */
    boolean closedLocked() {
        return (boolean) CLOSED_FLAG.get(this);
    }

    int qcountLocked() {
        return (int) QCOUNT.get(this);
    }

    int dataqsiz() {
        return dataqsiz;
    }

    // ------------------------------------------------------------------------------------------ send

    /**
     * {@code ch <- v}: blocks until the value is handed to a receiver or buffered.
     *
     * @throws RuntimeError {@code send on closed channel} if the channel is or becomes closed
     * @throws GoInterruptedException if interrupted while blocked (nothing was sent)
     */
    @Override
    public void send(T v) {
        send0(v, true);
    }

    /**
     * Non-blocking send: {@code select { case ch <- v: ...; default: ... }}. Returns true if the value was
     * handed to a waiting receiver or buffered, false if the send would block (always false on the nil channel).
     *
     * @throws RuntimeError {@code send on closed channel} if the channel is closed
     */
    @Override
    public boolean trySend(T v) {
        return send0(v, false);
    }

    /** Go's {@code chansend}. */
    boolean send0(Object v, boolean block) {
        if (isNil) {
            if (!block) {
                return false;
            }
            blockForever(WaitReason.CHAN_SEND_NIL);
        }
        // Fast path: a failed non-blocking send without the lock. closed is read before full(): if the channel
        // is not closed and looks full, there was a moment when it was both (not closed, then full), because a
        // closed channel never reopens; so reporting "would block" is linearizable at that moment (Go's argument).
        if (!block && !sendMayProceed()) {
            return false;
        }
        lock();
        if (closedLocked()) {
            unlock();
            throw new RuntimeError("send on closed channel");
        }
        Sudog sg = recvq.dequeue();
        if (sg != null) {
            // A receiver is waiting: hand the value straight to it.
            sg.elem = v;
            sg.success = true;
            unlock();
            sg.ready();
            return true;
        }
        int q = qcountLocked();
        if (q < dataqsiz) {
            buf[sendx] = v;
            if (++sendx == dataqsiz) {
                sendx = 0;
            }
            QCOUNT.setRelease(this, q + 1);
            unlock();
            return true;
        }
        if (!block) {
            unlock();
            return false;
        }
        return sendSlow(v);
    }

    /** Blocks as a sender. Requires lock; unlocks. */
    private boolean sendSlow(Object v) {
        Sudog mysg = new Sudog(v);
        mysg.domain = home;
        sendq.enqueue(mysg);
        unlock();
        int spins = waitSpins();
        int outcome = mysg.await(WaitReason.CHAN_SEND, spins, turnTaking(), 0);
        if (outcome != Waiter.WOKE) {
            cancel(sendq, mysg);
        }
        adaptSpin(spins, mysg);
        if (!mysg.success) {
            throw new RuntimeError("send on closed channel");
        }
        return true;
    }

    /** The owner gave up (interrupt): unlink its entry and throw. */
    private void cancel(WaitQ q, Sudog mysg) {
        lock();
        q.remove(mysg);
        unlock();
        throw GoInterruptedException.clearAndCreate();
    }

    /**
     * Whether a goroutine blocked on this channel waits for a single step of its partner (unbuffered or one slot,
     * not a timer's): the scheduler may then split the pair over two Ps (see {@code Scheduler.canSpin}).
     */
    boolean turnTaking() {
        return dataqsiz <= 1 && timer == null;
    }

    /**
     * How many rounds a goroutine about to park on this channel spins first: the adaptive {@link #spinHint} on a
     * turn-taking channel, none on a buffered one (capacity above one, or a timer's), whose waits park at once as
     * all of Go's channel waits do. A blocked sender (receiver) of a buffered channel that spins is answered one
     * slot at a time, a cross-core transfer per value; a parked one is readied into its partner's runnext and
     * finds a buffer's worth of work when it runs (measured: Select2 121-131 ns → 64-67, ProdCons100 43 → 24-26).
     */
    int waitSpins() {
        return turnTaking() ? spinHint : 0;
    }

    void adaptSpin(int spins, Waiter w) {
        if (MAX_SPINS == 0 || (spins > 0 && w.spinsGranted() == 0)) {
            return; // no spinning, or the scheduler vetoed it (partner not on another P): nothing learnt
        }
        if (w.wokeWhileSpinning()) {
            if (spins < MAX_SPINS) {
                spinHint = Math.min(MAX_SPINS, spins * 2 + 1);
            }
        } else if (spins > MIN_SPINS) {
            spinHint = Math.max(MIN_SPINS, spins >> 1);
        }
    }

    /** Go's {@code full}: would a send block? Lock-free; see the fast-path argument. */
    private boolean full() {
        if (dataqsiz == 0) {
            return recvq.isEmptyAcquire();
        }
        return (int) QCOUNT.getAcquire(this) == dataqsiz;
    }

    /**
     * Lock-free: might a receive proceed now (a buffered value, a waiting sender, or closed)? A hint for select's
     * lock-free pass: a queued entry may be a select's that another case already won.
     */
    boolean recvMayProceed() {
        return !empty() || isClosedAcquire();
    }

    /**
     * Lock-free: might a send proceed now (room, a waiting receiver) or panic (closed)? Reads closed before
     * {@link #full()}, the order {@link #send0}'s fast path relies on; see {@link #recvMayProceed}.
     */
    boolean sendMayProceed() {
        return isClosedAcquire() || !full();
    }

    /** Go's {@code empty}: would a receive block (ignoring close)? Lock-free. */
    boolean empty() {
        if (dataqsiz == 0) {
            return sendq.isEmptyAcquire();
        }
        return (int) QCOUNT.getAcquire(this) == 0;
    }

    // ------------------------------------------------------------------------------------------ receive

    /**
     * {@code <-ch}: blocks until a value is available; returns {@code null} once the channel is closed and drained.
     *
     * @throws GoInterruptedException if interrupted while blocked (nothing was received)
     */
    @Override
    @SuppressWarnings("unchecked")
    public T recv() {
        Object r = recv0(true);
        return r == CLOSED ? null : (T) r;
    }

    /**
     * {@code v, ok := <-ch}: as {@link #recv()}, and says whether the value came from a send ({@code ok}) or
     * from the channel being closed and drained.
     */
    @Override
    @SuppressWarnings("unchecked")
    public Received<T> recvOk() {
        Object r = recv0(true);
        return r == CLOSED ? Received.closed() : new Received<>((T) r, true);
    }

    /**
     * Non-blocking receive: {@code select { case v, ok := <-ch: ...; default: ... }}. Returns the received value
     * ({@code ok == true}), {@link Received#closed()} if the channel is closed and drained, or {@code null} if a
     * receive would block (always on the nil channel).
     */
    @Override
    @SuppressWarnings("unchecked")
    public Received<T> tryRecv() {
        Object r = recv0(false);
        if (r == WOULD_BLOCK) {
            return null;
        }
        return r == CLOSED ? Received.closed() : new Received<>((T) r, true);
    }

    /** Go's {@code chanrecv}: the value, {@link #CLOSED}, or (non-blocking only) {@link #WOULD_BLOCK}. */
    Object recv0(boolean block) {
        if (isNil) {
            if (!block) {
                return WOULD_BLOCK;
            }
            blockForever(WaitReason.CHAN_RECEIVE_NIL);
        }
        if (timer != null) {
            timer.maybeRunChan(); // a due timer not in any heap fills the slot now (Go 1.23)
        }
        // Fast path: a failed non-blocking receive without the lock. If the channel looks empty and is not
        // closed, it was empty and open at the moment of the empty() load (closing is permanent), so "would
        // block" is linearizable there. If it is closed, empty() is re-checked: a value sent before the close
        // and observed as absent earlier may be present now (Go's argument, with acquire loads ordering them).
        if (!block && empty()) {
            if (!isClosedAcquire()) {
                return WOULD_BLOCK;
            }
            if (empty()) {
                return CLOSED;
            }
        }
        lock();
        if (closedLocked()) {
            if (qcountLocked() == 0) {
                unlock();
                return CLOSED;
            }
            // Closed, but the buffer still holds values: take one below.
        } else {
            Sudog sg = sendq.dequeue();
            if (sg != null) {
                return recvFrom(sg);
            }
        }
        int q = qcountLocked();
        if (q > 0) {
            Object v = takeLocked(q);
            unlock();
            return v;
        }
        if (!block) {
            unlock();
            return WOULD_BLOCK;
        }
        return recvSlow();
    }

    /** Takes the head of the buffer. Requires lock and q == qcount > 0. */
    private Object takeLocked(int q) {
        Object v = buf[recvx];
        buf[recvx] = null;
        if (++recvx == dataqsiz) {
            recvx = 0;
        }
        QCOUNT.setRelease(this, q - 1);
        return v;
    }

    /**
     * Go's {@code recv}: completes a receive from the claimed, waiting sender sg. Unbuffered: take its value.
     * Buffered (so the buffer is full): take the head of the buffer and put the sender's value at the tail — the
     * same slot. Requires lock; unlocks; wakes the sender.
     */
    Object recvFrom(Sudog sg) {
        Object v = recvFromLocked(sg);
        unlock();
        sg.ready();
        return v;
    }

    /** The locked part of {@link #recvFrom}: transfers, marks sg successful; the caller unlocks and wakes. */
    Object recvFromLocked(Sudog sg) {
        Object v;
        if (dataqsiz == 0) {
            v = sg.elem;
        } else {
            v = buf[recvx];
            buf[recvx] = sg.elem;
            if (++recvx == dataqsiz) {
                recvx = 0;
            }
            sendx = recvx;
        }
        sg.elem = null;
        sg.success = true;
        return v;
    }

    /** Buffered send under lock (select's bufsend). Requires lock and qcount < cap. */
    void putLocked(Object v) {
        buf[sendx] = v;
        if (++sendx == dataqsiz) {
            sendx = 0;
        }
        QCOUNT.setRelease(this, qcountLocked() + 1);
    }

    /** Buffered receive under lock (select's bufrecv). Requires lock and qcount > 0. */
    Object takeLocked() {
        return takeLocked(qcountLocked());
    }

    /** Blocks as a receiver. Requires lock; unlocks. */
    private Object recvSlow() {
        Sudog mysg = new Sudog(null);
        mysg.domain = home;
        recvq.enqueue(mysg);
        unlock();
        if (timer != null) {
            timer.blockTimerChan(); // now the timer must be in a heap to wake us
        }
        int spins = waitSpins();
        int outcome = mysg.await(WaitReason.CHAN_RECEIVE, spins, turnTaking(), 0);
        if (timer != null) {
            timer.unblockTimerChan();
        }
        if (outcome != Waiter.WOKE) {
            cancel(recvq, mysg);
        }
        adaptSpin(spins, mysg);
        if (!mysg.success) {
            return CLOSED;
        }
        Object v = mysg.elem;
        mysg.elem = null;
        return v;
    }

    // ------------------------------------------------------------------------------------------ close

    /**
     * {@code close(ch)}: no more values will be sent. Blocked receivers return {@code (null, false)}, blocked
     * senders panic {@code send on closed channel}.
     *
     * @throws RuntimeError {@code close of nil channel}, {@code close of closed channel}
     */
    @Override
    public void close() {
        if (isNil) {
            throw new RuntimeError("close of nil channel");
        }
        lock();
        if (closedLocked()) {
            unlock();
            throw new RuntimeError("close of closed channel");
        }
        CLOSED_FLAG.setRelease(this, true);
        // Collect every waiter, then wake them after dropping the lock (Go's glist).
        Sudog woken = null;
        Sudog sg;
        while ((sg = recvq.dequeue()) != null) {
            sg.elem = null;
            sg.success = false;
            sg.next = woken;
            woken = sg;
        }
        while ((sg = sendq.dequeue()) != null) {
            sg.elem = null;
            sg.success = false;
            sg.next = woken;
            woken = sg;
        }
        int buffered = qcountLocked();
        unlock();
        if (Jfr.recording()) {
            int n = 0;
            for (Sudog x = woken; x != null; x = x.next) {
                n++;
            }
            Jfr.channelClosed(dataqsiz, buffered, n);
        }
        while (woken != null) {
            Sudog n = woken.next;
            woken.next = null;
            woken.ready();
            woken = n;
        }
    }

    // ------------------------------------------------------------------------------------------ misc

    /** Parks for ever (nil channel operations, {@code select {}}); only an interrupt ends it. */
    static void blockForever(WaitReason reason) {
        Waiter w = new Waiter();
        w.await(reason, 0, 0);
        throw GoInterruptedException.clearAndCreate();
    }

    /**
     * {@code for v := range ch}: an iterator that receives until the channel is closed and drained. Each
     * {@code hasNext} blocks for the next value. One iterator per loop; not for sharing between threads.
     */
    @Override
    public Iterator<T> iterator() {
        return new Iterator<>() {
            private Object next = WOULD_BLOCK; // WOULD_BLOCK: nothing fetched yet; CLOSED: done

            @Override
            public boolean hasNext() {
                if (next == WOULD_BLOCK) {
                    next = recv0(true);
                }
                return next != CLOSED;
            }

            @Override
            @SuppressWarnings("unchecked")
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("channel closed");
                }
                Object v = next;
                next = WOULD_BLOCK;
                return (T) v;
            }
        };
    }

    @Override
    public String toString() {
        if (isNil) {
            return "chan(nil)";
        }
        return "chan#" + seq + "(len=" + len() + ", cap=" + cap() + (isClosedAcquire() ? ", closed)" : ")");
    }
}
