package go4j.internal.sched;

import go4j.internal.timer.TimerHeap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A processor (Go's {@code p}): the right to run goroutines, with its own run queue. An M (carrier thread) must
 * own a P to run goroutine tasks; there are {@code GOMAXPROCS} Ps.
 *
 * <h2>Run queue (Go's {@code runqput}/{@code runqget}/{@code runqgrab}/{@code runqsteal})</h2>
 * A {@link #runnext} slot and a ring of {@value #RUNQ_SIZE} tasks. Invariants:
 * <ul>
 *   <li>Only the owner of the P writes {@link #tail} and the ring slots (single producer); anyone may consume by a
 *       CAS of {@link #head} (owner: one task, thieves: half the queue). {@code tail - head} is in
 *       {@code [0, RUNQ_SIZE]} (int arithmetic wraps, as Go's uint32).</li>
 *   <li>A slot {@code ring[i & MASK]} with {@code head <= i < tail} is published: its write happened before the
 *       release store of {@code tail} that covered it, and a consumer reads it after an acquire load of
 *       {@code tail}; a consumer that read a slot being overwritten fails its CAS on {@code head} (the owner only
 *       overwrites slots below {@code head}).</li>
 *   <li>{@link #runnext}: only the owner puts a task in, by a release store when it is empty (nobody else can
 *       fill it meanwhile) or by an atomic swap (the old occupant goes to the ring's tail); the owner or a thief
 *       takes it out by CAS. A task is never in runnext and the ring at once.</li>
 * </ul>
 *
 * <h2>Ownership ({@link #status}, packed)</h2>
 * Bits {@code 0..3} the state, bits {@code 4..31} the owning M's id ({@link #OWNER_SHIFT}).
 * <pre>
 *   IDLE     (no owner)  --acquirep(m)---------------------> RUNNING(m)
 *   RUNNING  (m)         --m starts a task-----------------> IN_TASK(m)
 *   IN_TASK  (m)         --task code on m submits work-----> PUTTING(m) --put done--> IN_TASK(m)
 *   IN_TASK  (m)         --task returns, m's CAS-----------> RUNNING(m)
 *   IN_TASK  (m)         --sysmon retake CAS---------------> HANDOFF (no owner) --handoffp--> RUNNING(m2) or IDLE
 *   RUNNING  (m)         --m finds no work, pidleput-------> IDLE
 * </pre>
 * Only the owner moves its P out of RUNNING; the retake CAS succeeds only from {@code IN_TASK(m)}, so it never
 * races with a put (the owner id in the word makes a stale M's CAS fail after the P changed hands).
 */
public final class P {
    /** Capacity of the local ring (Go's {@code len(p.runq)}). */
    public static final int RUNQ_SIZE = 256;
    private static final int MASK = RUNQ_SIZE - 1;

    static final int IDLE = 0;
    static final int RUNNING = 1;
    static final int IN_TASK = 2;
    static final int PUTTING = 3;
    static final int HANDOFF = 4;
    static final int STATE_MASK = 0xF;
    static final int OWNER_SHIFT = 4;

    private static final VarHandle HEAD;
    private static final VarHandle TAIL;
    private static final VarHandle RUNNEXT;
    private static final VarHandle STATUS;
    private static final VarHandle RING = MethodHandles.arrayElementVarHandle(Runnable[].class);

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(P.class, "head", int.class);
            TAIL = l.findVarHandle(P.class, "tail", int.class);
            RUNNEXT = l.findVarHandle(P.class, "runnext", Runnable.class);
            STATUS = l.findVarHandle(P.class, "status", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public final int id;
    /** Ownership word (state | owner id); see the transition table. */
    @SuppressWarnings("unused")
    private volatile int status;
    /** Consumers' index (CAS). */
    @SuppressWarnings("unused")
    private volatile int head;
    /** Producer's index (owner only; release store). */
    @SuppressWarnings("unused")
    private volatile int tail;
    private final Runnable[] ring = new Runnable[RUNQ_SIZE];
    /** The task to run next (Go's {@code runnext}): a goroutine readied by the running one. */
    @SuppressWarnings("unused")
    private volatile Runnable runnext;

    /** Set when GOMAXPROCS shrank below this P: its owner drains it and drops it. */
    volatile boolean dead;

    // Owner-only bookkeeping (read racily by sysmon and stats).
    /** Tasks started on this P (Go's {@code schedtick}); sysmon reads it racily, only comparing for change. */
    long taskTick;
    /** Scheduling ticks that did not inherit the time slice (fairness: every 61st checks the global queue). */
    long schedTick;
    /**
     * Consecutive runnext picks that inherited the time slice, and when that slice's clock started (nanoTime; set at
     * the 64th inherited pick, {@link #NO_SLICE} before: see {@code M.localGet}).
     */
    int inherited;
    long sliceStart = NO_SLICE;
    static final long NO_SLICE = Long.MIN_VALUE;

    /** The M that last acquired this P (for sysmon: is it blocked in the JDK?); meaningful while owned. */
    volatile M owner;

    // Statistics (written by the owner, read racily).
    volatile long steals;
    volatile long handoffs;

    // Sysmon's view (sysmon thread only): the tick it last saw and since when.
    long sysmonTick = -1;
    long sysmonWhen;

    /** This P's timers (Go's {@code pp.timers}), run by its M's scheduling loop and by sysmon. */
    public final TimerHeap timers;

    P(int id) {
        this(id, null);
    }

    /** A P whose timer heap tells {@code servicer} (the scheduler) about new earliest timers. */
    P(int id, TimerHeap.Servicer servicer) {
        this.id = id;
        this.timers = new TimerHeap(1000 + id, servicer);
    }

    // ------------------------------------------------------------------------------------------ ownership

    static int word(int state, int ownerId) {
        return state | (ownerId << OWNER_SHIFT);
    }

    int status() {
        return (int) STATUS.getVolatile(this);
    }

    /** Release store: only the owner (or the lock holder for an idle P) writes a plain transition. */
    void setStatus(int w) {
        STATUS.setRelease(this, w);
    }

    boolean casStatus(int expect, int update) {
        return STATUS.compareAndSet(this, expect, update);
    }

    /** The owning M's id, 0 if none. */
    int ownerId() {
        return status() >>> OWNER_SHIFT;
    }

    // ------------------------------------------------------------------------------------------ run queue

    /**
     * Go's {@code runqput}: puts t in runnext ({@code next}) or at the tail. The old runnext occupant moves to the
     * tail; a full ring moves half of itself plus the task to {@code overflow}. Owner only.
     *
     * @return true if the ring grew (work other Ps could steal), false if t only went to runnext
     */
    public boolean put(Runnable t, boolean next, Overflow overflow) {
        if (next) {
            Runnable old = (Runnable) RUNNEXT.getAcquire(this);
            if (old == null) {
                RUNNEXT.setRelease(this, t); // thieves only take out: an empty runnext stays empty until we fill it
                return false;
            }
            old = (Runnable) RUNNEXT.getAndSet(this, t);
            if (old == null) {
                return false;
            }
            t = old;
        }
        while (true) {
            int h = (int) HEAD.getAcquire(this);
            int tl = (int) TAIL.get(this);
            if (tl - h < RUNQ_SIZE) {
                RING.setRelease(ring, tl & MASK, t);
                TAIL.setRelease(this, tl + 1);
                return true;
            }
            if (putSlow(t, h, tl, overflow)) {
                return true;
            }
            // the ring is not full any more (thieves took some): retry
        }
    }

    /** Go's {@code runqputslow}: moves half the ring and t to the global queue. Owner only. */
    private boolean putSlow(Runnable t, int h, int tl, Overflow overflow) {
        int n = (tl - h) / 2;
        Runnable[] batch = new Runnable[n + 1];
        for (int i = 0; i < n; i++) {
            batch[i] = (Runnable) RING.getAcquire(ring, (h + i) & MASK);
        }
        if (!HEAD.compareAndSet(this, h, h + n)) {
            return false;
        }
        batch[n] = t;
        overflow.putBatch(batch);
        return true;
    }

    /** Where a full ring sends half of itself (the global queue). */
    public interface Overflow {
        void putBatch(Runnable[] batch);
    }

    /** Go's {@code runqget}: runnext first, then the head of the ring; null if empty. Owner only. */
    public Runnable get() {
        Runnable next = (Runnable) RUNNEXT.getVolatile(this);
        if (next != null && RUNNEXT.compareAndSet(this, next, null)) {
            return next;
        }
        return getFromRing();
    }

    /** The head of the ring only (runnext left in place); null if the ring is empty. */
    Runnable getFromRing() {
        while (true) {
            int h = (int) HEAD.getAcquire(this);
            int tl = (int) TAIL.getAcquire(this);
            if (tl == h) {
                return null;
            }
            Runnable t = (Runnable) RING.getAcquire(ring, h & MASK);
            if (HEAD.compareAndSet(this, h, h + 1)) {
                return t;
            }
        }
    }

    /** Takes runnext out if set (owner or thief); null if empty. */
    Runnable takeRunnext() {
        Runnable next = (Runnable) RUNNEXT.getVolatile(this);
        if (next != null && RUNNEXT.compareAndSet(this, next, null)) {
            return next;
        }
        return null;
    }

    /** Whether the ring is empty (runnext not considered; racy). */
    boolean ringEmpty() {
        return (int) TAIL.getVolatile(this) == (int) HEAD.getVolatile(this);
    }

    boolean hasRunnext() {
        return RUNNEXT.getVolatile(this) != null;
    }

    /** Go's {@code runqempty}: no task in runnext nor the ring (a consistent snapshot, as Go's). */
    public boolean isEmpty() {
        while (true) {
            int h = (int) HEAD.getVolatile(this);
            int tl = (int) TAIL.getVolatile(this);
            Object next = RUNNEXT.getVolatile(this);
            if ((int) TAIL.getVolatile(this) == tl) {
                return h == tl && next == null;
            }
        }
    }

    /** Tasks in the ring plus runnext (racy; for statistics). */
    public int size() {
        int n = (int) TAIL.getVolatile(this) - (int) HEAD.getVolatile(this);
        n = Math.max(0, Math.min(RUNQ_SIZE, n));
        return n + (hasRunnext() ? 1 : 0);
    }

    /**
     * Go's {@code runqgrab}: takes half of this P's ring into {@code batch} starting at {@code batchHead}; if the
     * ring is empty and {@code stealRunnext}, takes runnext instead (after a short pause when this P is running a
     * task: its owner is likely about to run it). Any thread.
     *
     * @return how many tasks were taken
     */
    int grab(Runnable[] batch, int batchHead, boolean stealRunnext) {
        return grab(batch, batchHead, stealRunnext, false);
    }

    /** {@link #grab(Runnable[], int, boolean)}; {@code hot}: no pause before taking a running P's runnext. */
    int grab(Runnable[] batch, int batchHead, boolean stealRunnext, boolean hot) {
        while (true) {
            int h = (int) HEAD.getAcquire(this);
            int tl = (int) TAIL.getAcquire(this);
            int n = tl - h;
            n = n - n / 2;
            if (n == 0) {
                if (stealRunnext) {
                    Runnable next = (Runnable) RUNNEXT.getVolatile(this);
                    if (next != null) {
                        if (!hot && (status() & STATE_MASK) != IDLE) {
                            // Go sleeps 3 µs here: the owner will most likely schedule runnext soon, and stealing
                            // it would make a hand-off cross cores.
                            LockSupport.parkNanos(3_000);
                            if (!RUNNEXT.compareAndSet(this, next, null)) {
                                // It did. Unlike Go, do not look again: a pair taking turns through runnext keeps
                                // it filled with the other one by now, and a thief that slept before every look
                                // would never reach its idle spin, the only place pair splitting starts from.
                                return 0;
                            }
                        } else if (!RUNNEXT.compareAndSet(this, next, null)) {
                            continue;
                        }
                        RING.setRelease(batch, batchHead & MASK, next);
                        return 1;
                    }
                }
                return 0;
            }
            if (n > RUNQ_SIZE / 2) {
                continue; // read an inconsistent h and t
            }
            for (int i = 0; i < n; i++) {
                Runnable t = (Runnable) RING.getAcquire(ring, (h + i) & MASK);
                RING.setRelease(batch, (batchHead + i) & MASK, t);
            }
            if (HEAD.compareAndSet(this, h, h + n)) {
                return n;
            }
        }
    }

    /**
     * Go's {@code runqsteal}: steals half of victim's ring into this P's ring and returns one of the stolen
     * tasks, or null. Owner of this P only.
     */
    public Runnable steal(P victim, boolean stealRunnext) {
        return steal(victim, stealRunnext, false);
    }

    /** {@link #steal(P, boolean)}; {@code hot}: take a running P's runnext without the courtesy pause. */
    Runnable steal(P victim, boolean stealRunnext, boolean hot) {
        int tl = (int) TAIL.get(this);
        int n = victim.grab(ring, tl, stealRunnext, hot);
        if (n == 0) {
            return null;
        }
        n--;
        Runnable t = (Runnable) RING.getAcquire(ring, (tl + n) & MASK);
        if (n == 0) {
            return t;
        }
        int h = (int) HEAD.getAcquire(this);
        if (tl - h + n >= RUNQ_SIZE) {
            throw new IllegalStateException("runqsteal: runq overflow");
        }
        TAIL.setRelease(this, tl + n);
        return t;
    }

    /** Empties runnext and the ring into out (owner only; used when the P is destroyed). */
    void drainTo(Overflow out) {
        Runnable next = takeRunnext();
        if (next != null) {
            out.putBatch(new Runnable[] {next});
        }
        Runnable t;
        while ((t = getFromRing()) != null) {
            out.putBatch(new Runnable[] {t});
        }
    }
}
