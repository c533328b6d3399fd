package go4j.internal.timer;

import go4j.Chan;
import go4j.internal.G;
import go4j.internal.Liveness;
import go4j.internal.Program;
import go4j.internal.Sched;
import go4j.internal.TimerChans;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.time.Instant;

/**
 * One timer of go4j's timer engine (Go's {@code runtime.timer}): a {@code when}, an optional {@code period}, and
 * what to do when due — send the fire time on a timer channel, start a goroutine running a function, or run a
 * short internal action on the service thread (waking a sleeper). A one-shot timer that is already due when armed
 * runs at once in the arming thread instead of going through the heap (Go 1.23's {@code maybeRunChan} runs an
 * expired channel timer in the receiving goroutine for the same reason).
 *
 * <h2>Locks and fields</h2>
 * <ul>
 *   <li>The timer's own monitor ({@code synchronized (this)}, Go's {@code t.mu} and {@code t.sendLock} in one)
 *       guards {@link #pending}, {@link #when}, {@link #period} and {@link #seq}, and is held across the send on
 *       a timer channel and across {@link #stop}/{@link #reset}'s drain of that channel. Therefore a value sent
 *       for an older arming is either received before stop/reset, or drained by it, or never sent: no stale
 *       value can be received after stop/reset returns (Go 1.23).</li>
 *   <li>The owning {@link TimerHeap}'s monitor guards {@link #heapIndex} and {@link #heapSeq} (the seq at
 *       insertion; the heap keeps the when inline). Lock order: timer, then heap, then channel.</li>
 *   <li>{@link #seq} counts armings: stop and reset increment it, and the service thread runs a popped timer only
 *       if the seq it popped is still current (Go's {@code t.seq} check in {@code unlockAndRun}).</li>
 *   <li>{@code pending} is true from arming until the timer's last run is committed (a popped but not yet run
 *       timer is still pending: stopping it then prevents the run and reports true, Go's {@code isSending}).</li>
 * </ul>
 *
 * <h2>Keeping a run alive (deadlock detection)</h2>
 * A timer made by a goroutine of a {@code Go.run} keeps that run alive while it is pending: it holds one count on
 * the run's {@link Liveness} ({@link #lv}, taken from the creating goroutine, whichever thread later arms, stops or
 * fires the timer). The count follows {@link #pending} exactly, under this timer's lock: +1 ({@code timerArmed})
 * on every false&rarr;true transition, before the timer can run; -1 ({@code timerDone}) on every true&rarr;false
 * transition, but only <em>after</em> the firing delivered, and after the timer's lock is released:
 * <ul>
 *   <li>channel timers deliver when the value is in the channel: a goroutine blocked on the channel was handed
 *       the value and readied (re-counted awake) inside the send; with nobody blocked, any later receive finds
 *       the value without parking, so a fired-but-unread timer keeps nothing alive (Go reports that deadlock);</li>
 *   <li>function timers deliver once the goroutine running the function is registered with its program;</li>
 *   <li>stop and reset of a pending timer, and the reaper's removal of a timer whose channel was collected,
 *       retire the count at once (a value drained by stop/reset was already delivered and counted down).</li>
 * </ul>
 * A ticker stays pending, hence counted, until it is stopped (or its channel collected). Inline timers (sleep)
 * are not counted: a sleeping goroutine is never asleep. Timers made outside any run count nowhere: a goroutine
 * blocked on their channel waits on an object from outside its run, which is never asleep either.
 *
 * <h2>Garbage collection</h2>
 * A channel timer refers to its channel only weakly ({@link ChanRef}), and nothing in the engine refers to the
 * user-visible Timer. When the program drops every reference to the timer and its channel (including
 * {@code time.After}'s channel in an abandoned select), the channel is collected and the reaper thread removes the
 * entry from its heap: an unreferenced, unstopped timer does not pin memory until it fires (Go 1.23). A goroutine
 * blocked on the channel keeps it reachable. Function timers hold their function strongly until they fire or are
 * stopped, as Go's AfterFunc does.
 */
public final class RuntimeTimer {
    private static final int KIND_CHAN = 0;
    private static final int KIND_FUNC = 1;
    private static final int KIND_INLINE = 2;

    /** Origin of {@link #nanotime()}: nanotime() is at least 1 and only grows, so saturated sums compare simply. */
    private static final long ORIGIN = System.nanoTime() - 1;

    private static final TimerHeap[] HEAPS;
    private static final int HEAP_MASK;

    static {
        int n = Integer.highestOneBit(Math.max(1, Integer.getInteger("go4j.timer.heaps",
                Runtime.getRuntime().availableProcessors())));
        HEAPS = new TimerHeap[n];
        for (int i = 0; i < n; i++) {
            HEAPS[i] = new TimerHeap(i);
        }
        HEAP_MASK = n - 1;
    }

    private final TimerHeap heap;
    private final int kind;
    /**
     * KIND_CHAN: a {@link ChanRef} (its referent is cleared once the channel is collected); otherwise the Runnable.
     */
    private final Object target;
    /** KIND_FUNC: the program whose goroutine the function runs in. */
    private final Program program;
    /**
     * The creating goroutine's run's liveness, or null (made outside a run, detection off, inline timers): holds
     * one count while {@link #pending}; see the class comment.
     */
    private final Liveness lv;

    // Guarded by this.
    private boolean pending;
    private long when;
    private long period;
    private int seq;

    // Guarded by heap.
    int heapIndex = -1;
    /** The seq this timer was inserted with (written under this timer's lock before the insert). */
    int heapSeq;

    private RuntimeTimer(int kind, Object target, Program program, Liveness lv) {
        this.heap = HEAPS[(int) Thread.currentThread().threadId() & HEAP_MASK];
        this.kind = kind;
        this.target = target;
        this.program = program;
        this.lv = lv;
    }

    /** Monotonic clock of the engine, in nanoseconds; always positive. */
    public static long nanotime() {
        return System.nanoTime() - ORIGIN;
    }

    /** {@code now + delay} saturated to [now, Long.MAX_VALUE] (Go's {@code when}): a non-positive delay is now. */
    public static long when(long now, long delayNanos) {
        if (delayNanos <= 0) {
            return now;
        }
        long w = now + delayNanos;
        return w < now ? Long.MAX_VALUE : w;
    }

    /** The wall-clock instant of an engine time (Go sends {@code Now().Add(-delay)}). */
    public static Instant instantOf(long when) {
        long late = nanotime() - when;
        return Instant.now().minusNanos(late);
    }

    /**
     * A timer that sends its fire time ({@link Instant}) on {@code c}, a timer channel, without blocking; a tick
     * finding the slot full is dropped (Go's {@code sendTime}). Not armed.
     */
    public static RuntimeTimer newChanTimer(Chan<Instant> c) {
        return new RuntimeTimer(c);
    }

    private RuntimeTimer(Chan<Instant> c) {
        this.heap = HEAPS[(int) Thread.currentThread().threadId() & HEAP_MASK];
        this.kind = KIND_CHAN;
        this.target = new ChanRef(c, this);
        this.program = null;
        this.lv = Liveness.ofCurrent();
        Reaper.ensureStarted();
    }

    /**
     * A timer that runs {@code f} in a new goroutine of the calling goroutine's program (detached goroutines when
     * the caller is not a goroutine or its program has ended) — Go's {@code goFunc}. Not armed.
     */
    public static RuntimeTimer newFuncTimer(Runnable f) {
        G g = G.current();
        return g == null
                ? new RuntimeTimer(KIND_FUNC, f, Program.DETACHED, null)
                : new RuntimeTimer(KIND_FUNC, f, g.program, g.program.liveness);
    }

    /**
     * A timer that runs {@code r} on the service thread (or in the arming thread if it is due when armed): r must
     * be short and never block (waking a sleeper).
     */
    public static RuntimeTimer newInlineTimer(Runnable r) {
        return new RuntimeTimer(KIND_INLINE, r, null, null);
    }

    /**
     * Arms (or re-arms) the timer to run after {@code delayNanos} (non-positive: now), then every
     * {@code periodNanos} if that is positive. Returns whether the timer was pending — armed and not yet run, or
     * its value still undelivered in a timer channel, which this call discards (Go 1.23's {@code modify}).
     */
    public boolean reset(long delayNanos, long periodNanos) {
        Runnable spawn = null;
        boolean wasPending;
        boolean done = false;
        synchronized (this) {
            boolean counted = pending; // a pending timer's count carries over to the new arming
            wasPending = disarmLocked();
            long now = nanotime();
            when = when(now, delayNanos);
            period = periodNanos > 0 ? periodNanos : 0;
            pending = true;
            if (!counted && lv != null) {
                lv.timerArmed(); // before the timer can run
            }
            if (period == 0 && (when <= now || (when - now < 1_000 && when <= nanotime()))) {
                // Already due (a non-positive or sub-microsecond delay that has elapsed): run it here rather than
                // through the heap and the service thread, as Go 1.23 runs an expired channel timer in the
                // receiving goroutine (maybeRunChan).
                spawn = runLocked(when);
                done = !pending;
            } else {
                heapSeq = seq;
                heap.add(this, when);
            }
        }
        if (spawn != null) {
            startGoroutine(spawn);
        }
        if (done) {
            timerDone();
        }
        return wasPending;
    }

    /**
     * Disarms the timer. Returns whether this call stopped it: it was armed and had not run, or (channel timers)
     * its value was still undelivered and is now discarded. After it returns, no value of this timer from before
     * the call can be received and its function will not start (Go 1.23's {@code stop}).
     */
    public boolean stop() {
        boolean was;
        boolean done;
        synchronized (this) {
            done = pending;
            was = disarmLocked();
        }
        if (done) {
            timerDone();
        }
        return was;
    }

    /** Retires this timer's count on its run's liveness (after a true-to-false transition of pending). */
    private void timerDone() {
        Liveness l = lv;
        if (l != null) {
            l.timerDone();
        }
    }

    /**
     * Requires this lock. Removes the timer from its heap, invalidates an in-flight run, drains its channel; the
     * caller retires the count if the timer was pending.
     */
    private boolean disarmLocked() {
        boolean was = pending && period == 0;
        pending = false;
        seq++;
        heap.remove(this);
        if (kind == KIND_CHAN) {
            Chan<?> c = chanOrNull();
            if (c != null && TimerChans.get().drain(c)) {
                was = true;
            }
        }
        return was;
    }

    /** Whether the timer is armed (for tests). */
    public synchronized boolean isPending() {
        return pending;
    }

    /** Called by the service thread with the seq it popped; runs the timer if that arming is still current. */
    void fire(int poppedSeq) {
        Runnable spawn;
        boolean done;
        synchronized (this) {
            if (poppedSeq != seq || !pending) {
                return; // stopped or re-armed since it was popped
            }
            long fired = when;
            if (period > 0) {
                long now = nanotime();
                // Go's ticker catch-up: the next tick is the first multiple of period after now.
                long next = fired + period * (1 + (now - fired) / period);
                if (next < fired) {
                    next = Long.MAX_VALUE;
                }
                when = next;
                heapSeq = seq;
                heap.add(this, next);
            }
            spawn = runLocked(fired);
            done = !pending;
        }
        if (spawn != null) {
            startGoroutine(spawn);
        }
        if (done) {
            timerDone(); // after the delivery: the receiver was readied, the goroutine registered
        }
    }

    /**
     * Runs one firing scheduled for {@code fired}: sends on the channel, runs the inline action, or returns the
     * function to start in a goroutine once the lock is released. A one-shot timer stops being pending. Requires
     * this lock.
     */
    private Runnable runLocked(long fired) {
        if (period == 0) {
            pending = false;
        }
        switch (kind) {
            case KIND_CHAN -> {
                Chan<Instant> c = chanOrNull();
                if (c == null) {
                    pending = false; // the channel was collected; the reaper forgets the timer
                    heap.remove(this);
                    return null;
                }
                try {
                    c.trySend(instantOf(fired)); // slot full (slow ticker receiver): the tick is dropped
                } catch (go4j.RuntimeError closedByMisuse) {
                    // Only possible if the program cast the receive-only channel to Chan and closed it (Go
                    // rejects that at compile time): the timer can never deliver again, so retire it.
                    pending = false;
                    heap.remove(this);
                }
                return null;
            }
            case KIND_FUNC -> {
                return (Runnable) target;
            }
            default -> {
                ((Runnable) target).run();
                return null;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private Chan<Instant> chanOrNull() {
        return (Chan<Instant>) ((ChanRef) target).get();
    }

    private void startGoroutine(Runnable f) {
        Program p = program.hasEnded() ? Program.DETACHED : program;
        G g = new G(p, 0, null, f);
        Thread th = Sched.newThread(g);
        g.thread = th;
        p.started(g);
        th.start();
    }

    /** The channel was garbage-collected: forget the timer (called by the reaper). */
    private void collected() {
        boolean done;
        synchronized (this) {
            done = pending;
            pending = false;
            seq++;
            heap.remove(this);
        }
        if (done) {
            timerDone();
        }
    }

    /** Pending timers in all heaps (for tests and diagnostics). */
    public static int pendingCount() {
        int n = 0;
        for (TimerHeap h : HEAPS) {
            n += h.size();
        }
        return n;
    }

    /** Heap array slots allocated over all heaps (for tests). */
    public static int heapCapacity() {
        int n = 0;
        for (TimerHeap h : HEAPS) {
            n += h.capacity();
        }
        return n;
    }

    /** The weak link from a channel timer to its channel. */
    private static final class ChanRef extends WeakReference<Chan<?>> {
        final RuntimeTimer owner;

        ChanRef(Chan<?> c, RuntimeTimer owner) {
            super(c, Reaper.QUEUE);
            this.owner = owner;
        }
    }

    /** Removes the heap entries of channel timers whose channel was garbage-collected. */
    private static final class Reaper implements Runnable {
        static final ReferenceQueue<Chan<?>> QUEUE = new ReferenceQueue<>();
        private static volatile boolean started;

        static void ensureStarted() {
            if (!started) {
                synchronized (Reaper.class) {
                    if (!started) {
                        Thread.ofPlatform().daemon().name("go4j-timer-reaper").start(new Reaper());
                        started = true;
                    }
                }
            }
        }

        @Override
        public void run() {
            while (true) {
                try {
                    ChanRef r = (ChanRef) QUEUE.remove();
                    r.owner.collected();
                } catch (InterruptedException e) {
                    // daemon service thread: nobody should interrupt it; keep serving
                }
            }
        }
    }
}
