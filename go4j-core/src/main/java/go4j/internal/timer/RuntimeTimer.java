package go4j.internal.timer;

import go4j.Chan;
import go4j.internal.G;
import go4j.internal.Liveness;
import go4j.internal.Program;
import go4j.internal.Sched;
import go4j.internal.TimerChans;
import go4j.internal.sched.Scheduler;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One timer of go4j's timer engine (Go's {@code runtime.timer}): a {@code when}, an optional {@code period}, and
 * what to do when due — send the fire time on a timer channel, start a goroutine running a function, or run a
 * short internal action on the service thread (waking a sleeper).
 *
 * <h2>Heap membership (Go 1.23's {@code needsAdd})</h2>
 * A timer is in its {@link TimerHeap} exactly while it is {@link #pending} and — for a channel timer — some
 * goroutine is blocked on its channel ({@link #blocked} &gt; 0). A channel timer nobody waits on is in no heap: a
 * receive first calls {@link #maybeRunChan}, which runs the timer right there if it is due (its value goes into
 * the channel's slot, as if it had been sent at {@code when}); a receive about to park calls
 * {@link #blockTimerChan}, which puts the timer into its heap, and {@link #unblockTimerChan} takes it out again
 * when the last waiter leaves. Consequences: stop and reset of such a timer are O(1) (no heap lock), create/stop
 * churn never touches a heap, and an unreferenced unstopped timer is garbage (only a blocked goroutine's heap
 * entry refers to it, and that goroutine refers to the channel anyway). A function or inline timer is in its heap
 * while pending. A one-shot function or inline timer already due when armed runs at once in the arming thread.
 *
 * <h2>Locks and fields</h2>
 * <ul>
 *   <li>The timer's own lock ({@link #mu}, Go's {@code t.mu} and {@code t.sendLock} in one; a spin lock, see
 *       {@link SpinLocks}, which the scheduler's carrier-side servicers only ever try, never wait for)
 *       guards {@link #pending}, {@link #when}, {@link #period}, {@link #seq}, {@link #blocked},
 *       {@link #inHeap} and {@link #counted}, and is held across the send on a timer channel and across
 *       {@link #stop}/{@link #reset}'s drain of that channel. Therefore a value sent for an older arming is either
 *       received before stop/reset, or drained by it, or never sent: no stale value can be received after
 *       stop/reset returns (Go 1.23).</li>
 *   <li>The owning {@link TimerHeap}'s lock guards {@link #heapIndex} and {@link #heapSeq} (the seq at
 *       insertion; the heap keeps the when inline). Lock order: timer, then heap, then channel. The channel calls
 *       the {@link TimerChans.ChanTimer} methods with no channel lock held.</li>
 *   <li>{@link #seq} counts changes that invalidate a heap entry: stop, reset, and removal from the heap. A
 *       servicer takes a due timer's lock (carrier-side servicers only if it is free), takes the timer out of the
 *       heap under both locks and runs it before releasing the timer's lock, only if the seq it was inserted with
 *       is still current (Go's {@code t.seq} check in {@code unlockAndRun}; kept as a guard).</li>
 *   <li>{@link #inHeap}: the timer was added to its heap and no holder of this lock has taken it out since.
 *       False implies {@code heapIndex == -1}, so stop/reset skip the heap lock.</li>
 *   <li>{@code pending} is true from arming until the timer's last run is committed.</li>
 * </ul>
 *
 * <h2>Keeping a run alive (deadlock detection)</h2>
 * A timer made by a goroutine of a {@code Go.run} holds one count on the run's {@link Liveness} ({@link #lv},
 * taken from the creating goroutine) exactly while it can wake one of the run's goroutines: while it is pending
 * and — for a channel timer — a goroutine is blocked on its channel (Go's {@code checkdead} counts the timers in
 * the heaps, and a channel timer is heaped only then). So a run whose goroutines are all blocked, with channel
 * timers that nobody waits on, is deadlocked, as in Go 1.23. {@link #counted} records the count, under this
 * timer's lock: +1 ({@code timerArmed}) as soon as the condition becomes true (before the timer can run, before the
 * blocking goroutine parks); -1 ({@code timerDone}) when it becomes false, after the timer's lock is released and,
 * for a firing, only <em>after</em> the delivery (the blocked receiver was handed the value and readied inside
 * the send; the function's goroutine is registered with its program). Inline timers (sleep) are not counted: a
 * sleeping goroutine is never asleep. Timers made outside any run count nowhere.
 */
public final class RuntimeTimer implements TimerChans.ChanTimer {
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
    /** KIND_CHAN: the timer channel (set once by {@link #newChanTimer}, before publication); otherwise null. */
    private Chan<Instant> chan;
    /** KIND_FUNC, KIND_INLINE: the Runnable. */
    private final Runnable action;
    /** KIND_FUNC: the program whose goroutine the function runs in. */
    private final Program program;
    /**
     * The creating goroutine's run's liveness, or null (made outside a run, detection off, inline timers): holds
     * one count while {@link #counted}; see the class comment.
     */
    private final Liveness lv;

    // Guarded by mu.
    private boolean pending;
    private long when;
    private long period;
    private int seq;
    /** Goroutines blocked on the channel (Go's {@code t.blocked}). */
    private int blocked;
    private boolean inHeap;
    private boolean counted;
    /**
     * {@code when} while a channel timer is pending and in no heap, else 0: written under this lock, read without
     * it by {@link #maybeRunChan}'s fast path (Go's {@code t.astate} check). A stale 0 only makes a racing receive
     * look as if it came before the arming; a receive that then parks goes through {@link #blockTimerChan}, which
     * re-checks under the lock.
     */
    private volatile long lazyWhen;

    // Guarded by heap.
    int heapIndex = -1;
    /** The seq this timer was inserted with (written under this timer's lock before the insert). */
    int heapSeq;

    /** Go's {@code t.mu}: 0 free, 1 held; see "Locks and fields". */
    @SuppressWarnings("unused")
    private volatile int mu;

    private static final VarHandle MU;

    static {
        try {
            MU = MethodHandles.lookup().findVarHandle(RuntimeTimer.class, "mu", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Takes this timer's lock, spinning and then yielding while it is held (goroutines and other threads). */
    void lock() {
        if (!MU.compareAndSet(this, 0, 1)) {
            SpinLocks.lockSlow(this, MU);
        }
    }

    /** Takes this timer's lock if it is free: how carrier-side servicers take it (see {@link TimerHeap#runDue}). */
    boolean tryLock() {
        return (int) MU.getOpaque(this) == 0 && MU.compareAndSet(this, 0, 1);
    }

    void unlock() {
        MU.setRelease(this, 0);
    }

    private RuntimeTimer(int kind, Runnable action, Program program, Liveness lv) {
        this(heapForCaller(), kind, action, program, lv);
    }

    private RuntimeTimer(TimerHeap heap, int kind, Runnable action, Program program, Liveness lv) {
        this.heap = heap;
        this.kind = kind;
        this.action = action;
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
     * A new channel timer and its timer channel ({@link #chan()}): when due it sends its fire time
     * ({@link Instant}) on the channel without blocking; a tick finding the slot full is dropped (Go's
     * {@code sendTime}). Not armed.
     */
    public static RuntimeTimer newChanTimer() {
        RuntimeTimer t = new RuntimeTimer(KIND_CHAN, null, null, Liveness.ofCurrent());
        t.chan = TimerChans.get().newTimerChan(t);
        return t;
    }

    /** The timer channel of a channel timer. */
    public Chan<Instant> chan() {
        return chan;
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

    /** An inline timer in the given heap (for tests of the heap's servicing). */
    static RuntimeTimer newInlineTimer(Runnable r, TimerHeap heap) {
        return new RuntimeTimer(heap, KIND_INLINE, r, null, null);
    }

    /**
     * Arms (or re-arms) the timer to run after {@code delayNanos} (non-positive: now), then every
     * {@code periodNanos} if that is positive. Returns whether the timer was pending — armed and not yet run, or
     * its value still undelivered in a timer channel, which this call discards (Go 1.23's {@code modify}).
     */
    public boolean reset(long delayNanos, long periodNanos) {
        Runnable spawn = null;
        boolean wasPending;
        boolean done;
        lock();
        try {
            wasPending = disarmLocked();
            long now = nanotime();
            when = when(now, delayNanos);
            period = periodNanos > 0 ? periodNanos : 0;
            pending = true;
            if (kind != KIND_CHAN && period == 0 && (when <= now || (when - now < 1_000 && when <= nanotime()))) {
                // Already due (a non-positive or sub-microsecond delay that has elapsed): run it here rather than
                // through the heap and the service thread. A channel timer needs no such case: nobody blocked on
                // it means no heap, and the next receive runs it (maybeRunChan).
                spawn = runLocked(when);
            }
            syncHeapLocked();
            done = recountLocked();
            publishLocked();
        } finally {
            unlock();
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
        lock();
        try {
            was = disarmLocked();
            done = recountLocked();
            publishLocked();
        } finally {
            unlock();
        }
        if (done) {
            timerDone();
        }
        return was;
    }

    /**
     * Requires this lock. Makes the timer not pending, takes it out of its heap, invalidates an in-flight run,
     * drains its channel; the caller then calls {@link #recountLocked} and {@link #publishLocked}.
     */
    private boolean disarmLocked() {
        boolean was = pending && period == 0;
        pending = false;
        seq++;
        if (inHeap) {
            heap.remove(this);
            inHeap = false;
        }
        if (kind == KIND_CHAN && TimerChans.get().drain(chan)) {
            was = true;
        }
        return was;
    }

    /**
     * Requires this lock. Puts the timer into its heap or takes it out so that it is there exactly when it must be
     * (Go's {@code needsAdd}: pending, and for a channel timer some goroutine blocked on the channel). A timer put
     * back with a new when must have been taken out first ({@link #disarmLocked}).
     */
    private void syncHeapLocked() {
        boolean want = pending && (kind != KIND_CHAN || blocked > 0);
        if (want && !inHeap) {
            heapSeq = seq;
            inHeap = true;
            heap.add(this, when);
        } else if (!want && inHeap) {
            heap.remove(this);
            inHeap = false;
            seq++; // an in-flight run popped before this removal must not run: nobody is waiting for it now
        }
    }

    /**
     * Requires this lock. Brings {@link #counted} in line with "can wake a goroutine of the run": takes the count
     * at once; returns true if the caller must retire it ({@link #timerDone()}) after unlocking and delivering.
     */
    private boolean recountLocked() {
        if (lv == null) {
            return false;
        }
        boolean want = pending && (kind != KIND_CHAN || blocked > 0);
        if (want && !counted) {
            counted = true;
            lv.timerArmed();
        } else if (!want && counted) {
            counted = false;
            return true;
        }
        return false;
    }

    /** Requires this lock. Publishes {@link #lazyWhen} for {@link #maybeRunChan}'s lock-free check. */
    private void publishLocked() {
        if (kind == KIND_CHAN) {
            lazyWhen = pending && !inHeap ? when : 0;
        }
    }

    /** Retires this timer's count on its run's liveness (after {@link #recountLocked} returned true). */
    private void timerDone() {
        lv.timerDone();
    }

    /** Whether the timer is armed (for tests). */
    public boolean isPending() {
        lock();
        try {
            return pending;
        } finally {
            unlock();
        }
    }

    @Override
    public void maybeRunChan() {
        long w = lazyWhen;
        if (w == 0 || w > nanotime()) {
            return; // in a heap (the service thread sends), not pending, or not due yet
        }
        lock();
        try {
            long now = nanotime();
            if (!pending || inHeap || when > now) {
                return;
            }
            long fired = when;
            if (period > 0) {
                when = nextTick(fired, now);
            }
            runLocked(fired); // nobody blocked (else it would be in the heap): the value goes into the slot
            syncHeapLocked();
            publishLocked();
            // A channel timer nobody waits on is not counted, so there is no count to retire.
        } finally {
            unlock();
        }
    }

    @Override
    public void blockTimerChan() {
        lock();
        try {
            blocked++;
            syncHeapLocked();
            recountLocked(); // only ever takes the count here, before the caller parks
            publishLocked();
        } finally {
            unlock();
        }
    }

    @Override
    public void unblockTimerChan() {
        boolean done;
        lock();
        try {
            blocked--;
            syncHeapLocked();
            done = recountLocked();
            publishLocked();
        } finally {
            unlock();
        }
        if (done) {
            timerDone();
        }
    }

    /** Go's ticker catch-up: the next tick is the first multiple of period after now. Requires this lock. */
    private long nextTick(long fired, long now) {
        long next = fired + period * (1 + (now - fired) / period);
        return next < fired ? Long.MAX_VALUE : next;
    }

    /**
     * Called by a heap's servicer that holds this timer's lock and has just taken it out of the heap, where it was
     * inserted with {@code poppedSeq}: runs the timer if that arming is still current, and releases the lock.
     */
    void fireAndUnlock(int poppedSeq) {
        Runnable spawn;
        boolean done;
        try {
            if (poppedSeq != seq || !pending) {
                return; // stopped, re-armed or taken out of the heap since it was inserted
            }
            inHeap = false;
            long fired = when;
            if (period > 0) {
                when = nextTick(fired, nanotime());
            }
            spawn = runLocked(fired);
            syncHeapLocked(); // a ticker with a receiver still blocked goes back in
            done = recountLocked();
            publishLocked();
        } finally {
            unlock();
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
     * this lock; the caller then calls {@link #syncHeapLocked}, {@link #recountLocked} and {@link #publishLocked}.
     */
    private Runnable runLocked(long fired) {
        if (period == 0) {
            pending = false;
        }
        switch (kind) {
            case KIND_CHAN -> {
                try {
                    chan.trySend(instantOf(fired)); // slot full (slow ticker receiver): the tick is dropped
                } catch (go4j.RuntimeError closedByMisuse) {
                    // Only possible if the program cast the receive-only channel to Chan and closed it (Go
                    // rejects that at compile time): the timer can never deliver again, so retire it.
                    pending = false;
                }
                return null;
            }
            case KIND_FUNC -> {
                return action;
            }
            default -> {
                action.run();
                return null;
            }
        }
    }

    private void startGoroutine(Runnable f) {
        Program p = program.hasEnded() ? Program.DETACHED : program;
        Sched.spawn(new G(p, 0, null, f));
    }

    /**
     * The heap for a timer made by the caller: its P's when the caller is a goroutine running on go4j's G-M-P
     * scheduler (Go's per-P timers), else the thread-sharded heap of the caller's thread.
     */
    private static TimerHeap heapForCaller() {
        Scheduler s = Sched.gmp();
        if (s != null) {
            TimerHeap h = s.currentTimerHeap();
            if (h != null) {
                return h;
            }
        }
        return HEAPS[(int) Thread.currentThread().threadId() & HEAP_MASK];
    }

    /** Timers in the Ps' heaps (for tests: timers made by goroutines on go4j's scheduler go there). */
    public static int pendingInPHeaps() {
        Scheduler s = Sched.gmp();
        return s == null ? 0 : pending(s.timerHeaps());
    }

    private static List<TimerHeap> allHeaps() {
        List<TimerHeap> all = new ArrayList<>(Arrays.asList(HEAPS));
        Scheduler s = Sched.gmp();
        if (s != null) {
            all.addAll(s.timerHeaps());
        }
        return all;
    }

    /** Timers in all heaps (for tests and diagnostics). */
    public static int pendingCount() {
        return pending(allHeaps());
    }

    private static int pending(List<TimerHeap> heaps) {
        int n = 0;
        for (TimerHeap h : heaps) {
            n += h.size();
        }
        return n;
    }

    /** Heap array slots allocated over all heaps (for tests). */
    public static int heapCapacity() {
        int n = 0;
        for (TimerHeap h : allHeaps()) {
            n += h.capacity();
        }
        return n;
    }
}
