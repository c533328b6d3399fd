package go4j.internal.sched;

import go4j.internal.Liveness;
import go4j.internal.timer.RuntimeTimer;
import go4j.internal.timer.TimerHeap;

import java.util.concurrent.locks.LockSupport;

/**
 * The system monitor (Go's {@code sysmon}): a platform thread, outside any P, that keeps run queues moving.
 *
 * <ul>
 *   <li><b>Retake</b> (Go's {@code retake} + {@code handoffp}): a P whose M runs the same task while work waits
 *       (in that P's queues or the global queue) is taken from that M and handed to another M, so the queue keeps
 *       moving: after one sysmon period if the M is blocked in the JDK (its thread is WAITING, TIMED_WAITING or
 *       BLOCKED: a goroutine pinned by a monitor, a class initializer or a native call, or in the raw mode any
 *       JDK blocking call — Go's syscall hand-off), after {@link #RETAKE_NANOS} if it runs (CPU-bound, or
 *       descheduled by the OS). The stuck M gets a P back, or parks, when its task returns.</li>
 *   <li><b>Waiting runnext</b>: a P running the same task for a whole sysmon period with a task queued and an
 *       idle P available gets a spinning M woken to steal it ({@link Scheduler#execute} does not wake anyone for
 *       a runnext hand-off).</li>
 *   <li><b>schedtrace</b>: Go's {@code GODEBUG=schedtrace=N} line on stderr every N ms when asked.</li>
 * </ul>
 * Period: {@value #MIN_DELAY_NANOS} ns after it did something, doubling after quiet rounds up to
 * {@value #MAX_DELAY_NANOS} ns (Go: 20 µs to 10 ms); it sleeps until woken while every P is idle (Go's
 * {@code sysmonwait}), so an idle go4j burns no CPU.
 */
final class Sysmon extends Thread {
    static final long RETAKE_NANOS = 10_000_000L;
    static final long MIN_DELAY_NANOS = 20_000L;
    static final long MAX_DELAY_NANOS = 1_000_000L;

    private final Scheduler sched;
    private final long traceNanos;
    private final long startNanos = System.nanoTime();
    /** Set while sysmon sleeps because all Ps are idle; {@link #wake()} unparks it. */
    private volatile boolean sleeping;
    /**
     * When sysmon will wake up next ({@link RuntimeTimer#nanotime()} terms; {@code Long.MAX_VALUE}: only when
     * unparked; {@code Long.MIN_VALUE}: it is awake). See {@link #sleepUntil}.
     */
    private volatile long wakeAt = Long.MIN_VALUE;

    Sysmon(Scheduler sched, long schedtraceMillis) {
        super("go4j-sysmon");
        this.sched = sched;
        this.traceNanos = schedtraceMillis * 1_000_000L;
        setDaemon(true);
    }

    /** Called when a P leaves the idle list: resumes monitoring if sysmon sleeps. */
    void wake() {
        if (sleeping) {
            sleeping = false;
            LockSupport.unpark(this);
        }
    }

    @Override
    public void run() {
        long delay = MIN_DELAY_NANOS;
        int idle = 0;
        long nextTrace = startNanos + traceNanos;
        while (true) {
            if (traceNanos == 0 && sched.npidle.get() == sched.gomaxprocs()) {
                sleeping = true;
                // re-check after publishing: a P taken from the idle list after this sees sleeping and wakes us
                while (sleeping && sched.npidle.get() == sched.gomaxprocs()) {
                    sleepUntil(Long.MAX_VALUE); // wakes for the Ps' timers too
                }
                sleeping = false;
                delay = MIN_DELAY_NANOS;
                idle = 0;
            }
            sleepUntil(RuntimeTimer.nanotime() + delay);
            long now = System.nanoTime();
            sched.stampClock(now);
            Liveness.pollAll(); // deadlocks completed on an M (see Liveness)
            if (retake(now)) {
                idle = 0;
                delay = MIN_DELAY_NANOS;
            } else {
                idle++;
                if (idle > 10) {
                    delay = Math.min(delay * 2, MAX_DELAY_NANOS);
                }
            }
            if (traceNanos > 0 && now - nextTrace >= 0) {
                nextTrace = now + traceNanos;
                System.err.println(traceLine(now));
            }
        }
    }

    /**
     * Runs the Ps' due timers, then parks until {@code until} or the earliest remaining P timer, whichever is first
     * ({@link RuntimeTimer#nanotime()} terms; {@code Long.MAX_VALUE}: until unparked). {@link #wakeAt} is published
     * before the heaps are read, so an insert of an earlier timer ({@link #timerAdded}) either is seen here or sees
     * the new wakeAt and unparks this thread.
     */
    private void sleepUntil(long until) {
        wakeAt = until;
        long now = RuntimeTimer.nanotime();
        long next = runTimers(now);
        if (next < until) {
            until = next;
            wakeAt = next;
        }
        now = RuntimeTimer.nanotime();
        if (until == Long.MAX_VALUE) {
            LockSupport.park(this);
        } else if (until > now) {
            LockSupport.parkNanos(this, until - now);
        }
        wakeAt = Long.MIN_VALUE; // awake: nobody needs to unpark us (the next sleepUntil runs what fell due)
    }

    /** How soon sysmon looks again at a due timer whose lock was busy. */
    private static final long BUSY_TIMER_RETRY_NANOS = 20_000;

    /** Runs every P heap's due timers; returns the earliest remaining when ({@code Long.MAX_VALUE}: none). */
    private long runTimers(long now) {
        long next = Long.MAX_VALUE;
        for (TimerHeap h : sched.timerHeaps()) {
            long f = h.first();
            if (f <= now) {
                h.runDue(now);
                f = h.first();
                if (f <= now) {
                    // A due timer's lock is held by a goroutine or thread (runDue only tries it): look again soon
                    // instead of spinning on it.
                    f = now + BUSY_TIMER_RETRY_NANOS;
                }
            }
            next = Math.min(next, f);
        }
        return next;
    }

    /** A P heap got a new earliest timer: wake up for it if sysmon sleeps past it. */
    void timerAdded(long when) {
        if (when < wakeAt) {
            LockSupport.unpark(this);
        }
    }

    /** One pass over the Ps; true if it handed a P off or woke an M. */
    private boolean retake(long now) {
        boolean did = false;
        for (P pp : sched.allp) {
            did |= retake(pp, now);
        }
        for (P pp : sched.retiring) {
            did |= retake(pp, now);
        }
        return did;
    }

    /** Retakes pp from a stuck M, or wakes an M to steal its waiting runnext; true if it did either. */
    private boolean retake(P pp, long now) {
        int w = pp.status();
        if ((w & P.STATE_MASK) != P.IN_TASK) {
            pp.sysmonTick = -1;
            return false;
        }
        long tick = pp.taskTick;
        if (tick != pp.sysmonTick) {
            pp.sysmonTick = tick;
            pp.sysmonWhen = now;
            return false;
        }
        // The same task has been running since sysmonWhen (at least one sysmon period).
        boolean localWork = !pp.isEmpty();
        if ((localWork || sched.globalSize() > 0 || pp.dead)
                && (now - pp.sysmonWhen >= RETAKE_NANOS || blockedInJdk(pp))) {
            if (pp.casStatus(w, P.word(P.HANDOFF, 0))) {
                pp.handoffs = pp.handoffs + 1;
                pp.sysmonTick = -1;
                sched.handoffp(pp);
                return true;
            }
            return false;
        }
        if (localWork && sched.npidle.get() > 0 && sched.nmspinning.get() == 0) {
            sched.wakep();
            return true;
        }
        return false;
    }

    /** Whether pp's M is blocked in the JDK (Go's {@code _Psyscall}): its carrier thread is not RUNNABLE. */
    private static boolean blockedInJdk(P pp) {
        M m = pp.owner;
        if (m == null) {
            return false;
        }
        Thread.State st = m.getState();
        return st == Thread.State.WAITING || st == Thread.State.TIMED_WAITING || st == Thread.State.BLOCKED;
    }

    /** Go's schedtrace line. */
    String traceLine(long now) {
        Scheduler.Stats s = sched.stats();
        StringBuilder sb = new StringBuilder("SCHED ").append((now - startNanos) / 1_000_000).append("ms: gomaxprocs=")
                .append(s.gomaxprocs()).append(" idleprocs=").append(s.idleProcs()).append(" threads=")
                .append(s.threads()).append(" spinningthreads=").append(s.spinningThreads()).append(" idlethreads=")
                .append(s.idleThreads()).append(" runqueue=").append(s.globalRunqueue()).append(" [");
        int[] local = s.localRunqueues();
        for (int i = 0; i < local.length; i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(local[i]);
        }
        return sb.append("] steals=").append(s.steals()).append(" handoffs=").append(s.handoffs())
                .append(" splitoffs=").append(s.splitOffs()).toString();
    }
}
