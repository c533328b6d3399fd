package go4j.internal.sched;

import go4j.internal.Liveness;
import go4j.internal.timer.RuntimeTimer;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * A machine (Go's {@code m}): a platform carrier thread that runs goroutine tasks while it owns a P, and its
 * scheduling loop (Go's {@code schedule}/{@code findRunnable}/{@code stealWork}/{@code stopm}).
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>{@link #p} is written only by this M; while this M runs a task the P's status is {@code IN_TASK(this)}
 *       unless sysmon retook it (then this M lost it and drops {@link #p} when the task returns).</li>
 *   <li>{@link #nextp} is handed over by a waker ({@link Scheduler#startm}) while this M is parked in
 *       {@link #stopm}, or at creation; this M consumes it.</li>
 *   <li>{@link #spinning}: this M counts in {@link Scheduler#nmspinning}; set by the waker that started it
 *       spinning or by this M itself, cleared (and the count decremented) by this M only.</li>
 * </ul>
 */
final class M extends Thread {
    /** Go's fairness constant: every 61st tick the global queue is checked first. */
    static final int GLOBAL_CHECK_TICKS = 61;
    /** A time slice (Go's {@code forcePreemptNS}): runnext hand-offs inherit the slice up to this long. */
    static final long TIME_SLICE_NANOS = 10_000_000L;

    /** Hands out {@link #liveSlot}s, process-wide (test code runs several schedulers, each with its own mids). */
    private static final AtomicInteger LIVE_SLOTS = new AtomicInteger();

    final Scheduler sched;
    final int mid;
    /**
     * This M's slot in every run's deadlock-detector cells (1, 2, ... in creation order over all schedulers; Ms
     * never exit): the first {@code Liveness.EXCLUSIVE} slots own a cell that only this M writes.
     */
    final int liveSlot = LIVE_SLOTS.incrementAndGet();
    /** The P this M owns, or null. Only this M writes it. */
    P p;
    /** A P handed over by a waker while this M is idle. */
    volatile P nextp;
    /** Whether this M is spinning (looking for work, counted in nmspinning). */
    volatile boolean spinning;
    /** Set while a goroutine running on this M starts another one (a hint for {@link Scheduler#execute}). */
    boolean spawning;
    /** Parked in the idle-M list (only the waker that pops it unparks it). */
    M nextIdle;
    /** Set while a virtual-thread goroutine on this carrier calls Gosched (its re-submission goes global). */
    volatile boolean yieldGlobal;
    /** Raw mode: the goroutine continuation mounted on this M, or null (this M's thread only). */
    Coroutine curg;

    M(Scheduler sched, int mid, P first, boolean spinning) {
        super("go4j-m" + mid);
        this.sched = sched;
        this.mid = mid;
        this.nextp = first;
        this.spinning = spinning;
        setDaemon(true);
    }

    @Override
    public void run() {
        P pp = nextp;
        nextp = null;
        acquire(pp);
        while (true) {
            Runnable task = findRunnable();
            runTask(task);
        }
    }

    private void acquire(P pp) {
        pp.owner = this;
        pp.setStatus(P.word(P.RUNNING, mid));
        p = pp;
    }

    /** Runs one task with the P marked IN_TASK (retakeable); afterwards re-acquires the P or finds another. */
    private void runTask(Runnable task) {
        P pp = p;
        int inTask = P.word(P.IN_TASK, mid);
        pp.taskTick = pp.taskTick + 1;
        pp.setStatus(inTask);
        try {
            task.run();
        } catch (Throwable t) {
            // runContinuation handles everything a goroutine throws; this is a JDK failure: report, keep the M.
            System.err.println("go4j scheduler: a task threw " + t);
            t.printStackTrace();
        }
        if (!pp.casStatus(inTask, P.word(P.RUNNING, mid))) {
            // sysmon handed our P to another M while the task ran (Go's exitsyscall slow path)
            p = null;
            P idle = sched.pidleget();
            if (idle != null) {
                acquire(idle);
            } else {
                stopm();
            }
        }
    }

    /**
     * Go's {@code findRunnable}: a task to run, blocking (parking this M) until there is one. On return this M
     * owns {@link #p} in state RUNNING and is not spinning.
     */
    private Runnable findRunnable() {
        Scheduler s = sched;
        while (true) {
            P pp = p;
            if (pp.dead) {
                dropDeadP(pp);
                continue;
            }
            // Go's checkTimers: this P's due timers first (what they ready goes to the global queue: the P is not
            // running a task, so a submission from this M is not a goroutine's).
            if (pp.timers.first() != Long.MAX_VALUE) {
                pp.timers.runDue(RuntimeTimer.nanotime());
            }
            Runnable t;
            // Fairness: the global queue now and then even if the local one never empties.
            if (pp.schedTick % GLOBAL_CHECK_TICKS == 0 && s.globalSize() > 0) {
                t = s.globalGet(pp, 1);
                if (t != null) {
                    tick(pp, false);
                    return found(t);
                }
            }
            t = localGet(pp);
            if (t != null) {
                return found(t);
            }
            t = s.globalGet(pp, 0);
            if (t != null) {
                tick(pp, false);
                return found(t);
            }
            // Steal, bounding spinning Ms to half the busy Ps (Go's rule).
            if (spinning || 2 * s.nmspinning.get() < s.gomaxprocs() - s.npidle.get()) {
                if (!spinning) {
                    spinning = true;
                    s.nmspinning.incrementAndGet();
                }
                t = stealWork(pp);
                if (t != null) {
                    tick(pp, false);
                    return found(t);
                }
                if (IDLE_SPIN_NANOS > 0) {
                    t = idleSpin(pp);
                    if (t != null) {
                        tick(pp, false);
                        return found(t);
                    }
                    if (pp.dead) {
                        continue;
                    }
                }
            }
            // Nothing: give the P up and sleep (Go's "spinning -> not spinning" recheck avoids lost wake-ups).
            s.pidleput(pp);
            p = null;
            boolean wasSpinning = spinning;
            if (wasSpinning) {
                spinning = false;
                s.nmspinning.decrementAndGet();
                P back = s.recheckAfterSpinning();
                if (back != null) {
                    acquire(back);
                    spinning = true;
                    s.nmspinning.incrementAndGet();
                    continue;
                }
            }
            if (s.globalSize() > 0) {
                P back = s.pidleget();
                if (back != null) {
                    acquire(back);
                    continue;
                }
            }
            stopm();
        }
    }

    /** runnext (inheriting the time slice, up to {@link #TIME_SLICE_NANOS}), then the ring. */
    private Runnable localGet(P pp) {
        Runnable next = pp.takeRunnext();
        if (next != null) {
            // A hand-off chain inherits the slice; every 64 inherited picks look at the clock, and once the slice
            // is used up send runnext to the tail so that the ring's goroutines get their turn (Go's inheritTime
            // plus sysmon's preemption). The slice's clock starts at the first look (not at the ring pick that
            // began the chain: most chains end sooner, and a ring pick then costs no clock read); it thus runs
            // 64 hops longer than 10 ms, a few µs.
            if ((++pp.inherited & 63) != 0) {
                return next;
            }
            long now = System.nanoTime();
            if (pp.sliceStart == P.NO_SLICE) {
                pp.sliceStart = now;
                return next;
            }
            if (now - pp.sliceStart < TIME_SLICE_NANOS) {
                return next;
            }
            pp.put(next, false, sched);
        }
        Runnable t = pp.getFromRing();
        if (t != null) {
            tick(pp, false);
        }
        return t;
    }

    private void tick(P pp, boolean inherit) {
        if (!inherit) {
            pp.schedTick++;
            pp.inherited = 0;
            pp.sliceStart = P.NO_SLICE;
        }
    }

    /** Go's {@code resetspinning}: found work while spinning; keep one M spinning if Ps are idle. */
    private Runnable found(Runnable t) {
        if (spinning) {
            spinning = false;
            if (sched.nmspinning.decrementAndGet() == 0) {
                sched.wakep();
            }
        }
        return t;
    }

    /** Go's {@code stealWork}: four rounds over the other Ps in random order; runnext only in the last round. */
    private Runnable stealWork(P pp) {
        for (int round = 0; round < 4; round++) {
            boolean last = round == 3;
            P[] all = sched.allp;
            int n = all.length;
            int start = java.util.concurrent.ThreadLocalRandom.current().nextInt(n);
            for (int i = 0; i < n; i++) {
                P victim = all[(start + i) % n];
                if (victim == pp) {
                    continue;
                }
                if (sched.globalSize() > 0) {
                    Runnable g = sched.globalGet(pp, 0);
                    if (g != null) {
                        return g;
                    }
                }
                if ((victim.status() & P.STATE_MASK) == P.IDLE) {
                    continue;
                }
                Runnable t = pp.steal(victim, last);
                if (t != null) {
                    pp.steals = pp.steals + 1;
                    return t;
                }
            }
        }
        return null;
    }

    /**
     * How long a spinning M that found no work keeps looking before it gives its P up and parks (system property
     * {@code go4j.idleSpinMicros}, default 50 µs; 0 = Go's behaviour, park after the steal rounds). See
     * {@link #idleSpin}.
     */
    static final long IDLE_SPIN_NANOS = Math.max(0, Long.getLong("go4j.idleSpinMicros", 50)) * 1_000;

    /**
     * The idle spin (go4j's, not Go's): polls the global queue and every running P for up to
     * {@link #IDLE_SPIN_NANOS}, taking another P's runnext at once (no 3 µs courtesy pause; not at all while the
     * scheduler's governor has pair splitting off, see {@link Scheduler#splitting}), and runs this P's
     * due timers. This is what makes pair splitting work ({@link Scheduler#canSpin}): a goroutine that readied
     * its partner into its own runnext and now spins waiting for the answer needs a thief that is already awake
     * (waking a parked carrier takes tens of µs; the partner's answer takes a few hundred ns); while it takes
     * runnext it counts in {@link Scheduler#nmhot}, and only then do turn-taking waits spin for it. Returns null
     * when nothing turned up or this P was removed by a GOMAXPROCS shrink.
     */
    private Runnable idleSpin(P pp) {
        Scheduler s = sched;
        long deadline = System.nanoTime() + IDLE_SPIN_NANOS;
        boolean takeRunnext = s.splitting();
        if (takeRunnext) {
            s.nmhot.incrementAndGet();
        }
        try {
            return idleSpin(pp, s, deadline, takeRunnext);
        } finally {
            if (takeRunnext) {
                s.nmhot.decrementAndGet();
            }
        }
    }

    private Runnable idleSpin(P pp, Scheduler s, long deadline, boolean takeRunnext) {
        do {
            for (int k = 0; k < 16; k++) {
                Thread.onSpinWait();
            }
            if (pp.dead) {
                return null;
            }
            if (pp.timers.first() != Long.MAX_VALUE) {
                pp.timers.runDue(RuntimeTimer.nanotime()); // what they ready goes to the global queue
            }
            if (s.globalSize() > 0) {
                Runnable g = s.globalGet(pp, 0);
                if (g != null) {
                    return g;
                }
            }
            for (P victim : s.allp) {
                if (victim == pp || (victim.status() & P.STATE_MASK) == P.IDLE) {
                    continue;
                }
                Runnable t = pp.steal(victim, takeRunnext, true);
                if (t != null) {
                    pp.steals = pp.steals + 1;
                    return t;
                }
            }
        } while (System.nanoTime() - deadline < 0);
        return null;
    }

    /** GOMAXPROCS shrank below our P: send its work to the global queue and find another P. */
    private void dropDeadP(P pp) {
        pp.drainTo(sched);
        pp.setStatus(P.IDLE);
        sched.retired(pp);
        p = null;
        if (spinning) {
            spinning = false;
            sched.nmspinning.decrementAndGet();
        }
        P other = sched.pidleget();
        if (other != null) {
            acquire(other);
        } else {
            sched.wakep(); // the drained work is in the global queue: someone must look
            stopm();
        }
    }

    /** Go's {@code stopm}: parks in the idle-M list until a waker hands over a P. */
    private void stopm() {
        Liveness.pollAll(); // a deadlock completed on this M (see Liveness): sysmon may sleep now
        sched.midleput(this);
        P pp;
        while ((pp = nextp) == null) {
            LockSupport.park(this);
        }
        nextp = null;
        acquire(pp);
    }
}
