package go4j.internal.sched;

import go4j.internal.timer.TimerHeap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Constructor;
import go4j.internal.timer.TimerHeap;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * go4j's G-M-P scheduler for virtual threads (Go's {@code runtime/proc.go}): the executor that the JDK hands every
 * goroutine continuation to. G = a goroutine's virtual thread (its continuation task), M = a carrier platform
 * thread ({@link M}), P = a processor with a runnext slot and a local run queue ({@link P}).
 *
 * <h2>Submission ({@link #execute})</h2>
 * A task submitted by code running on an M that owns a P (a goroutine readying another, or starting one) goes to
 * that P's runnext: the hand-off runs next on the same core. The old runnext occupant moves to the tail; a full
 * ring sends half of itself to the global queue. A task re-submitted by the carrier itself (after
 * {@code Thread.yield}) goes to the tail. Anything else (platform threads, timers, other schedulers' virtual
 * threads, an M whose P sysmon retook) goes to the global queue. {@code execute} never runs a task inline and
 * never blocks: it takes no lock except, rarely, the idle lists' spin lock for a wake-up.
 *
 * <h2>Wake-ups (Go's {@code wakep})</h2>
 * An idle P is woken (with a spinning M) when a task lands in a ring or the global queue, or a goroutine is
 * started, and no M is spinning already. Filling only runnext wakes nobody: the readying goroutine is usually about
 * to block (a channel hand-off), and waking a thread per hand-off would cost more than the hand-off; if it keeps
 * running instead, sysmon notices the waiting runnext and wakes a P that steals it. If it blocks on a channel
 * and spinning may bring the answer, {@link #canSpin} wakes a P instead (pair splitting). An M that finds no work
 * first keeps looking for a short while (its idle spin, during which it takes runnext from running Ps at once),
 * then gives its P back, stops spinning, re-checks every queue (Dekker with submitters: they publish work, then
 * read {@link #npidle}/{@link #nmspinning}) and parks.
 *
 * <h2>Locks</h2>
 * A spin lock ({@link #idleLock}) guards the idle-P and idle-M lists only (Go's {@code sched.lock}); run queues
 * are lock-free and the global queue is a lock-free queue with a separate size counter.
 */
public final class Scheduler implements Executor, P.Overflow, TimerHeap.Servicer {
    private static final MethodHandle CURRENT_CARRIER;
    private static final MethodHandle GET_AND_CLEAR_INTERRUPT;
    private static final Constructor<?> VT_BUILDER;
    private static final Throwable UNAVAILABLE;
    private static final java.lang.invoke.VarHandle IDLE_LOCK;

    static {
        MethodHandle carrier = null;
        MethodHandle clear = null;
        Constructor<?> builder = null;
        Throwable failure = null;
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            carrier = l.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
            clear = l.findVirtual(Thread.class, "getAndClearInterrupt", MethodType.methodType(boolean.class));
            Class<?> c = Class.forName("java.lang.ThreadBuilders$VirtualThreadBuilder");
            builder = c.getDeclaredConstructor(Executor.class);
            builder.setAccessible(true);
        } catch (Throwable t) {
            failure = t;
            carrier = null;
            clear = null;
            builder = null;
        }
        CURRENT_CARRIER = carrier;
        GET_AND_CLEAR_INTERRUPT = clear;
        VT_BUILDER = builder;
        UNAVAILABLE = failure;
        try {
            IDLE_LOCK = MethodHandles.lookup().findVarHandle(Scheduler.class, "idleLock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Why the scheduler cannot be used (missing {@code --add-opens java.base/java.lang}), or null if it can. */
    public static Throwable unavailable() {
        return UNAVAILABLE;
    }

    /**
     * The thread the caller runs on: a virtual thread's carrier, else the thread itself. Unlike
     * {@code Thread.currentThread()}, which C2 may keep in a register across a call (it cannot change under a
     * virtual thread), this is read afresh after a raw continuation's yield moved the goroutine to another carrier.
     */
    public static Thread currentCarrier() {
        try {
            return (Thread) CURRENT_CARRIER.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * The deadlock-detector slot of the M (of any go4j scheduler) the caller runs on, or 0 when the caller's
     * carrier is not an M (see {@code M.liveSlot} and {@code Liveness}).
     */
    public static int currentLiveSlot() {
        return currentCarrier() instanceof M m ? m.liveSlot : 0;
    }

    /** {@code Thread.interrupted()} for carrier t, which must be the calling thread's carrier. */
    public static boolean getAndClearInterrupt(Thread t) {
        try {
            return (boolean) GET_AND_CLEAR_INTERRUPT.invokeExact(t);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** The M the caller runs on if it belongs to this scheduler, else null. */
    M currentM() {
        return currentCarrier() instanceof M m && m.sched == this ? m : null;
    }

    /** Every P, index = id (replaced as a whole by {@link #gomaxprocs(int)}). */
    volatile P[] allp;
    /** Ps removed by a GOMAXPROCS shrink while owned by an M, until that M drops them. */
    final java.util.concurrent.CopyOnWriteArrayList<P> retiring = new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile int gomaxprocs;
    private final ConcurrentLinkedQueue<Runnable> global = new ConcurrentLinkedQueue<>();
    private final AtomicInteger globalSize = new AtomicInteger();
    /**
     * Guards {@link #pidle}, {@link #midle}, {@link #nmidle}, {@link #mcount} (Go's {@code sched.lock}): a spin
     * lock, never a monitor, because goroutines take it too ({@link #canSpin} wakes a P): a virtual thread that
     * blocked on a monitor here would unmount while holding {@link #nmspinning}, and the wake-up that re-submits
     * it would see "an M is spinning" and wake nobody. Held for a few list operations only; nothing parks
     * under it.
     */
    @SuppressWarnings("unused")
    private volatile int idleLock;
    /** Serializes GOMAXPROCS changes (which take {@link #idleLock} for their list edits only). */
    private final java.util.concurrent.locks.ReentrantLock resizeLock = new java.util.concurrent.locks.ReentrantLock();
    /** Idle Ps (guarded by idleLock). */
    private final ArrayDeque<P> pidle = new ArrayDeque<>();
    /** Idle Ms, a stack linked through {@link M#nextIdle} (guarded by idleLock). */
    private M midle;
    private int nmidle;
    private int mcount;
    final AtomicInteger npidle = new AtomicInteger();
    final AtomicInteger nmspinning = new AtomicInteger();
    /**
     * Spinning Ms in their idle spin with runnext-taking on ({@code M.idleSpin}): an M that takes a running P's
     * runnext within about half a microsecond. Only these make a turn-taking wait's spin worth it (see
     * {@link #canSpin}); an M in its steal rounds pauses before it takes runnext, one being woken is tens of
     * microseconds away.
     */
    final AtomicInteger nmhot = new AtomicInteger();
    private final AtomicLong retiredSteals = new AtomicLong();
    private final AtomicLong retiredHandoffs = new AtomicLong();
    private final ThreadFactory factory;
    private final CopyOnWriteArrayList<TimerHeap> timerHeaps = new CopyOnWriteArrayList<>();
    final Sysmon sysmon;
    /**
     * A coarse {@link System#nanoTime()} for wait-start stamps (Go's {@code waitsince}, which Go too records
     * lazily and approximately): written by sysmon every loop (at most 1 ms apart while any P is busy) and when a P
     * leaves the idle list (sysmon may have slept), so that it lags real time by at most about a millisecond
     * whenever a goroutine can run. Saves a clock read per park.
     */
    private volatile long clock = System.nanoTime();

    /**
     * Starts a scheduler with {@code procs} Ps (all idle; Ms start on demand) and its sysmon.
     *
     * @param schedtraceMillis print Go's schedtrace line to stderr every this many ms (0 = never)
     */
    public Scheduler(int procs, long schedtraceMillis) {
        if (UNAVAILABLE != null) {
            throw new IllegalStateException("go4j G-M-P scheduler unavailable", UNAVAILABLE);
        }
        P[] ps = new P[procs];
        for (int i = 0; i < procs; i++) {
            ps[i] = newP(i);
        }
        allp = ps;
        gomaxprocs = procs;
        noSplitUntil = clock;
        for (int i = procs - 1; i >= 0; i--) {
            pidleput(ps[i]);
        }
        try {
            factory = ((Thread.Builder.OfVirtual) VT_BUILDER.newInstance(this)).factory();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        sysmon = new Sysmon(this, schedtraceMillis);
        sysmon.start();
    }

    private P newP(int id) {
        P pp = new P(id, this);
        timerHeaps.add(pp.timers);
        return pp;
    }

    /**
     * Every P's timer heap, including those of Ps removed by a GOMAXPROCS shrink (their timers stay where they
     * are and sysmon keeps running them).
     */
    public List<TimerHeap> timerHeaps() {
        return timerHeaps;
    }

    /** The timer heap of the P the caller's goroutine runs on, or null if the caller is not on one of our Ps. */
    public TimerHeap currentTimerHeap() {
        M m = currentM();
        P pp = m == null ? null : m.p;
        return pp == null ? null : pp.timers;
    }

    @Override
    public void timerAdded(long when) {
        Sysmon s = sysmon;
        if (s != null) {
            s.timerAdded(when);
        }
    }

    /**
     * Pair splitting's governor. A split pair pays a cache-line transfer per hand-off; on a virtual machine that
     * cost drifts with the host's placement of the vCPUs (50 ns round trips most of the time on the reference
     * machine, 450 ns in some minutes, where a split PingPong takes twice as long as taking turns on one P).
     * Owners woken while spinning report sampled wake latencies; a run of slow ones (a saturating count, so that
     * a preempted sample does not count alone) turns splitting off for {@link #NO_SPLIT_NANOS}: turn-taking waits
     * then park at once and the pair falls back to runnext on one P. Racy by design: a hint, not state. Sampled
     * latencies on the reference machine: 50–150 ns when a cache line's round trip takes 50–75 ns.
     *
     * <p>A sample is slow above {@link #SLOW_HANDOFF_NANOS} or {@link #SLOW_FACTOR} times the fastest sample seen so
     * far, whichever is more. Until the hand-off path is compiled every sample is slow (800–1,850 ns measured in a
     * fresh JVM) and so is the unsplit alternative; judged by the absolute threshold alone, warm-up turned splitting
     * off again and again, and a pair then took 530–1,000 ns per round trip where split it took 400–600.
     */
    static final long SLOW_HANDOFF_NANOS = 200;
    static final long SLOW_FACTOR = 4;
    static final long NO_SPLIT_NANOS = 100_000_000L;
    private int slowHandoffs;
    /** The fastest sampled wake latency so far (racy): a hand-off's cost here with the code warm. */
    private long bestHandoff = Long.MAX_VALUE;
    /** How often the governor turned splitting off (diagnostics: {@link Stats#splitOffs}). Racy, like the rest. */
    private volatile long splitOffs;
    /** Splitting is off while the coarse clock is before this (set from the clock in the constructor: on). */
    private volatile long noSplitUntil;
    /** A sampled wake latency (see above). Any thread; racy. */
    public void handoffSample(long nanos) {
        long best = bestHandoff;
        if (nanos < best) {
            bestHandoff = best = nanos;
        }
        int n = slowHandoffs;
        if (nanos > Math.max(SLOW_HANDOFF_NANOS, SLOW_FACTOR * best)) {
            if (++n >= 8) {
                n = 0;
                noSplitUntil = clock + NO_SPLIT_NANOS;
                splitOffs = splitOffs + 1;
            }
        } else if (n > 0) {
            n--;
        }
        slowHandoffs = n;
    }

    /** Whether pair splitting is on (the governor has not turned it off for a while; see {@link #handoffSample}). */
    boolean splitting() {
        return clock - noSplitUntil >= 0;
    }

    /** The coarse clock (see {@link #clock}). */
    public long coarseNanos() {
        return clock;
    }

    void stampClock(long now) {
        clock = now;
    }

    /** Virtual threads scheduled by this scheduler. */
    public ThreadFactory factory() {
        return factory;
    }

    public int gomaxprocs() {
        return gomaxprocs;
    }

    // ------------------------------------------------------------------------------------------ submission

    @Override
    public void execute(Runnable task) {
        Thread carrier = currentCarrier();
        if (carrier instanceof M m && m.sched == this) {
            if (m.yieldGlobal && Thread.currentThread() == carrier) {
                m.yieldGlobal = false;
                globalSubmit(task); // a goroutine's Gosched (see gosched())
                return;
            }
            P pp = m.p;
            if (pp != null) {
                int inTask = P.word(P.IN_TASK, m.mid);
                if (pp.casStatus(inTask, P.word(P.PUTTING, m.mid))) {
                    // From a goroutine (a virtual thread on this carrier, or a raw continuation mounted on it):
                    // runnext. From the carrier's own code (a virtual thread's Thread.yield, a continuation's
                    // goyield): the tail.
                    boolean fromG = Thread.currentThread() != carrier || m.curg != null;
                    boolean grew;
                    try {
                        grew = pp.put(task, fromG, this);
                    } finally {
                        pp.setStatus(inTask);
                    }
                    if ((grew && fromG) || m.spawning) {
                        wakep();
                    }
                    return;
                }
            }
        }
        globalPut(task);
        wakep();
    }

    /** Starts a goroutine's thread, telling {@link #execute} that it is a new goroutine (always worth a wake-up). */
    public void start(Thread t) {
        M m = beginSpawn();
        try {
            t.start();
        } finally {
            endSpawn(m);
        }
    }

    /** Starts a goroutine on a raw continuation (see {@link #start(Thread)}). */
    public void start(Coroutine c) {
        M m = beginSpawn();
        try {
            execute(c);
        } finally {
            endSpawn(m);
        }
    }

    /** Marks the caller's M, if it runs on one, as starting a goroutine (execute then always wakes an idle P). */
    private M beginSpawn() {
        M m = currentM();
        if (m != null) {
            m.spawning = true;
        }
        return m;
    }

    private static void endSpawn(M m) {
        if (m != null) {
            m.spawning = false;
        }
    }

    /** A raw-mode goroutine continuation for g, to be started with {@link #start(Coroutine)}. */
    public Coroutine newCoroutine(go4j.internal.G g) {
        return new Coroutine(this, g);
    }

    /**
     * Go's {@code Gosched} for a virtual-thread goroutine: Thread.yield re-submits the continuation from the
     * carrier, and this makes that submission go to the global queue, as Go's {@code goschedImpl} does, instead of
     * the local tail.
     */
    public void gosched() {
        M m = currentM();
        if (m == null) {
            Thread.yield();
            return;
        }
        m.yieldGlobal = true; // consumed by execute() on the carrier after the virtual thread unmounted
        Thread.yield();
        if (currentM() == m) {
            m.yieldGlobal = false; // the yield did not unmount (pinned): nothing consumed it
        }
    }

    /** Puts a task on the global queue and wakes an idle P for it (Go's {@code globrunqput} + {@code wakep}). */
    void globalSubmit(Runnable task) {
        globalPut(task);
        wakep();
    }

    private void globalPut(Runnable task) {
        global.add(task);
        globalSize.incrementAndGet();
    }

    @Override
    public void putBatch(Runnable[] batch) {
        for (Runnable t : batch) {
            global.add(t);
        }
        globalSize.addAndGet(batch.length);
    }

    int globalSize() {
        return globalSize.get();
    }

    /**
     * Go's {@code globrunqget}: takes a fair share of the global queue (at most {@code max} when {@code max > 0},
     * at most half a ring), returns one and puts the rest on pp's ring. Owner of pp, outside a task.
     */
    Runnable globalGet(P pp, int max) {
        int size = globalSize.get();
        if (size <= 0) {
            return null;
        }
        int n = Math.min(size, size / gomaxprocs + 1);
        if (max > 0 && n > max) {
            n = max;
        }
        n = Math.min(n, P.RUNQ_SIZE / 2);
        Runnable first = poll();
        if (first == null) {
            return null;
        }
        for (int i = 1; i < n; i++) {
            Runnable t = poll();
            if (t == null) {
                break;
            }
            pp.put(t, false, this);
        }
        return first;
    }

    private Runnable poll() {
        Runnable t = global.poll();
        if (t != null) {
            globalSize.decrementAndGet();
        }
        return t;
    }

    // ------------------------------------------------------------------------------------------ idle Ps and Ms

    private void lockIdle() {
        if (!IDLE_LOCK.compareAndSet(this, 0, 1)) {
            lockIdleSlow();
        }
    }

    private void lockIdleSlow() {
        for (int spins = 0; ; spins++) {
            if ((int) IDLE_LOCK.getOpaque(this) == 0 && IDLE_LOCK.compareAndSet(this, 0, 1)) {
                return;
            }
            if (spins < 256) {
                Thread.onSpinWait();
            } else {
                Thread.yield(); // the holder's thread was descheduled
            }
        }
    }

    private void unlockIdle() {
        IDLE_LOCK.setRelease(this, 0);
    }

    /** Go's {@code wakep}: starts a spinning M on an idle P unless an M is spinning already. */
    void wakep() {
        if (nmspinning.get() != 0 || npidle.get() == 0 || !nmspinning.compareAndSet(0, 1)) {
            return;
        }
        P pp = pidleget();
        if (pp == null) {
            nmspinning.decrementAndGet();
            return;
        }
        startm(pp, true);
    }

    /** Go's {@code startm}: runs pp on an idle M, or a new one. */
    void startm(P pp, boolean spinning) {
        M m;
        int id = 0;
        lockIdle();
        m = midle;
        if (m != null) {
            midle = m.nextIdle;
            m.nextIdle = null;
            nmidle--;
        } else {
            id = ++mcount;
        }
        unlockIdle();
        if (m == null) {
            m = new M(this, id, pp, spinning);
            m.start();
        } else {
            m.spinning = spinning;
            m.nextp = pp;
            LockSupport.unpark(m);
        }
        sysmon.wake();
    }

    /**
     * Go's {@code handoffp}: the P of a stuck M (retaken by sysmon). Runs it on another M if there is work for it,
     * else makes it idle (re-checking the global queue after publishing the idle P).
     */
    void handoffp(P pp) {
        if (pp.dead) {
            startm(pp, false); // the M drains it
            return;
        }
        if (!pp.isEmpty() || globalSize() > 0) {
            startm(pp, false);
            return;
        }
        pidleput(pp);
        if (globalSize() > 0) {
            wakep();
        }
    }

    /** Makes pp idle; a P removed by a GOMAXPROCS shrink is dropped instead. */
    void pidleput(P pp) {
        lockIdle();
        pp.setStatus(P.IDLE);
        boolean dead = pp.dead;
        if (!dead) {
            pidle.push(pp);
            npidle.incrementAndGet();
        }
        unlockIdle();
        if (dead) {
            retired(pp);
        }
    }

    P pidleget() {
        clock = System.nanoTime();
        lockIdle();
        P pp = pidle.poll();
        if (pp != null) {
            pp.setStatus(P.HANDOFF);
        }
        unlockIdle();
        if (pp == null) {
            return null;
        }
        npidle.decrementAndGet();
        sysmon.wake();
        return pp;
    }

    /** A dead P was drained and dropped by its M. */
    void retired(P pp) {
        retiring.remove(pp);
    }

    void midleput(M m) {
        lockIdle();
        m.nextIdle = midle;
        midle = m;
        nmidle++;
        unlockIdle();
    }

    /**
     * After an M stopped spinning and released its P: if any P's queue or the global queue has work, an idle P
     * to look for it with (the caller spins again), else null.
     */
    P recheckAfterSpinning() {
        for (P pp : allp) {
            if (!pp.isEmpty()) {
                return pidleget();
            }
        }
        if (globalSize() > 0) {
            return pidleget();
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ GOMAXPROCS

    /**
     * Sets the number of Ps (Go's {@code procresize}); returns the previous value. Growing adds idle Ps; shrinking
     * marks the extra Ps dead: idle ones go at once, owned ones are drained to the global queue by their M at its
     * next scheduling point.
     */
    public int gomaxprocs(int n) {
        int old;
        resizeLock.lock();
        try {
            old = resize(n);
        } finally {
            resizeLock.unlock();
        }
        if (n > old) {
            wakeForWork();
        }
        return old;
    }

    /** Requires {@link #resizeLock}. */
    private int resize(int n) {
        int old = gomaxprocs;
        if (n < 1 || n == old) {
            return old;
        }
        P[] cur = allp;
        P[] next = new P[n];
        for (int i = 0; i < n; i++) {
            next[i] = i < cur.length ? cur[i] : newP(i);
        }
        List<P> gone = List.of(cur).subList(Math.min(n, cur.length), cur.length);
        // Listed first: an owned P's M drops it from the list as soon as it sees it dead.
        retiring.addAll(gone);
        List<P> wasIdle = new java.util.ArrayList<>();
        lockIdle();
        for (P pp : gone) {
            retiredSteals.addAndGet(pp.steals);
            retiredHandoffs.addAndGet(pp.handoffs);
            pp.dead = true;
            if (pidle.remove(pp)) {
                npidle.decrementAndGet();
                wasIdle.add(pp);
            }
        }
        allp = next;
        gomaxprocs = n;
        for (int i = cur.length; i < n; i++) {
            next[i].setStatus(P.IDLE);
            pidle.push(next[i]);
            npidle.incrementAndGet();
        }
        unlockIdle();
        retiring.removeAll(wasIdle); // idle: gone at once; owned ones stay until their M drains them
        return old;
    }

    private void wakeForWork() {
        for (P pp : allp) {
            if (!pp.isEmpty() || globalSize() > 0) {
                wakep();
                return;
            }
        }
    }

    // ------------------------------------------------------------------------------------------ introspection

    /** A snapshot of the scheduler's state (racy, for diagnostics). */
    public Stats stats() {
        P[] ps = allp;
        int[] local = new int[ps.length];
        long steals = retiredSteals.get();
        long handoffs = retiredHandoffs.get();
        for (int i = 0; i < ps.length; i++) {
            local[i] = ps[i].size();
            steals += ps[i].steals;
            handoffs += ps[i].handoffs;
        }
        int threads;
        int idleThreads;
        lockIdle();
        threads = mcount;
        idleThreads = nmidle;
        unlockIdle();
        return new Stats(gomaxprocs, npidle.get(), threads, nmspinning.get(), idleThreads, globalSize.get(), local,
                steals, handoffs, splitOffs);
    }

    /**
     * Figures of {@link #stats()}: Go's schedtrace fields plus steal and hand-off counters, and how often the
     * governor turned pair splitting off ({@code splitOffs}, see {@link #handoffSample}).
     */
    public record Stats(int gomaxprocs, int idleProcs, int threads, int spinningThreads, int idleThreads,
                        int globalRunqueue, int[] localRunqueues, long steals, long handoffs, long splitOffs) {}

    // ------------------------------------------------------------------------------------------ spinning

    /**
     * Whether a goroutine about to park on a channel should spin first (Go's {@code sync_runtime_canSpin}, plus
     * go4j's pair splitting). Spinning can only help when whoever will wake the caller runs, or can soon run, on
     * another P:
     * <ul>
     *   <li>The caller's P has nothing queued and another P is running a goroutine (not just an M spinning to find
     *       one; Go's rule): spin — the partner may be over there.</li>
     *   <li>For a turn-taking wait ({@code pair}: an unbuffered or one-slot channel, where every operation waits
     *       for one step of the partner): the caller's P holds exactly one queued goroutine, in runnext (the ring
     *       is empty), most likely the partner it has just readied: spin if an M polls in its idle spin right
     *       now ({@link #nmhot}). That M takes runnext within about half a microsecond and runs the partner on
     *       the other P while the caller spins: a ping-pong pair splits over two cores and then hands values over
     *       without parking (Go keeps the pair on one P, where its switch costs ~100 ns; a virtual-thread park
     *       and remount costs ~200 ns per hop, a cross-core hand-off less). If nobody takes runnext within the
     *       spin, the caller parks and the partner runs next here, as in Go. With no such M but an idle P and no
     *       spinning M: wake one ({@link #wakep}) for the next wait, and park now. (Spins granted for an M in its
     *       steal rounds, which pause before they take runnext, or for one still being woken made up nearly all
     *       failed spins: in a slow phase of a two-P PingPong, 111k of the 112k failures among 558k granted spins.)
     *       </li>
     *   <li>Otherwise (more work queued here: a chain or a crowd, where spinning delays it; a buffered channel,
     *       where the pair batches up to a buffer's worth of values per switch on one P — cheaper than a cache-line
     *       transfer per value between two; or no other P at all): no.</li>
     * </ul>
     * A caller outside this scheduler (a platform thread) runs on its own core: yes. Called only for waits with a
     * spin budget (channel operations and select).
     */
    public boolean canSpin(boolean pair) {
        M m = currentM();
        if (m == null) {
            return true; // not on a P of ours (a platform thread waiting for goroutines): its own core
        }
        P pp = m.p;
        if (pp == null || pp.ownerId() != m.mid) {
            return false;
        }
        int procs = gomaxprocs;
        if (procs <= 1 || (pair && !splitting())) {
            return false; // one P; or hand-offs across cores are slow now: the pair takes turns on one P
        }
        if (pp.isEmpty()) {
            return procs - npidle.get() - nmspinning.get() > 1;
        }
        if (!pair || !pp.ringEmpty()) {
            return false;
        }
        if (nmhot.get() > 0) {
            return true;
        }
        if (npidle.get() > 0) {
            wakep(); // for the next wait: this one would be over before the woken M polls
        }
        return false;
    }
}
