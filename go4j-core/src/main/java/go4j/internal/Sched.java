package go4j.internal;

import go4j.internal.sched.Coroutine;
import go4j.internal.sched.Scheduler;

import java.util.concurrent.locks.LockSupport;

import java.util.concurrent.ThreadFactory;

/**
 * Where goroutines run: the factory of their virtual threads, chosen once from the system property
 * {@code go4j.scheduler}:
 * <ul>
 *   <li>{@code gmp}: go4j's G-M-P scheduler ({@link Scheduler}), which needs
 *       {@code --add-opens java.base/java.lang=ALL-UNNAMED} (or {@code =go4j} on the module path);</li>
 *   <li>{@code raw}: go4j's G-M-P scheduler running goroutines as raw {@code jdk.internal.vm.Continuation}s
 *       instead of virtual threads ({@link Coroutine}; ADR 0004); needs the opens above and
 *       {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED} (or {@code =go4j}); falls back to gmp
 *       without the exports;</li>
 *   <li>{@code jdk}: the JDK's default virtual-thread scheduler;</li>
 *   <li>{@code auto} (the default): gmp when the opens are present, else jdk.</li>
 * </ul>
 * When gmp is wanted (auto or gmp) but the JDK refuses access, goroutines run on the JDK's scheduler and one line
 * on stderr says so; {@link #description()} says which scheduler is in use.
 *
 * <p>GOMAXPROCS (the number of Ps) defaults to the available processors; the system property
 * {@code go4j.gomaxprocs} or the environment variable {@code GOMAXPROCS} set it at start, {@link #gomaxprocs(int)}
 * at run time. {@code GODEBUG=schedtrace=N} (or {@code -Dgo4j.schedtrace=N}) prints Go's schedtrace line every N ms.
 */
public final class Sched {
    private Sched() {}

    private static final ThreadFactory FACTORY;
    private static final String DESCRIPTION;
    /** go4j's scheduler, or null when goroutines run on the JDK's. */
    private static final Scheduler GMP;
    /** Whether goroutines run as raw continuations on {@link #GMP} (the raw mode). */
    public static final boolean RAW;
    /** GOMAXPROCS as reported under the JDK scheduler (which has no Ps to resize). */
    private static volatile int jdkProcs = Runtime.getRuntime().availableProcessors();

    static {
        String mode = System.getProperty("go4j.scheduler", "auto").trim().toLowerCase();
        if (mode.isEmpty()) {
            mode = "auto";
        }
        Scheduler gmp = null;
        boolean raw = false;
        String description;
        if (mode.equals("jdk")) {
            description = "jdk (default virtual-thread scheduler)";
        } else {
            Throwable why = Scheduler.unavailable();
            int procs = initialProcs();
            if (why == null) {
                try {
                    gmp = new Scheduler(procs, schedtraceMillis());
                } catch (RuntimeException e) {
                    why = e;
                }
            }
            if (gmp != null && mode.equals("raw")) {
                Throwable noRaw = Coroutine.unavailable();
                if (noRaw == null) {
                    raw = true;
                    description = "raw (go4j G-M-P scheduler, goroutines on raw continuations, GOMAXPROCS=" + procs
                            + ")";
                } else {
                    description = "gmp (go4j G-M-P scheduler, GOMAXPROCS=" + procs + "; raw continuations"
                            + " unavailable: " + noRaw + ")";
                    System.err.println("go4j: raw continuations unavailable (add --add-exports"
                            + " java.base/jdk.internal.vm=ALL-UNNAMED, or =go4j on the module path); goroutines run"
                            + " as virtual threads on go4j's G-M-P scheduler");
                }
            } else if (gmp != null) {
                description = "gmp (go4j G-M-P scheduler, GOMAXPROCS=" + procs + ")";
            } else {
                description = "jdk (default virtual-thread scheduler; go4j's G-M-P scheduler unavailable: " + why
                        + ")";
                System.err.println("go4j: running goroutines on the JDK's default virtual-thread scheduler"
                        + " (add --add-opens java.base/java.lang=ALL-UNNAMED, or =go4j on the module path, for"
                        + " go4j's faster G-M-P scheduler)");
            }
        }
        GMP = gmp;
        RAW = raw;
        FACTORY = gmp != null ? gmp.factory() : Thread.ofVirtual().factory();
        DESCRIPTION = description;
    }

    private static int initialProcs() {
        String s = System.getProperty("go4j.gomaxprocs");
        if (s == null || s.isBlank()) {
            s = System.getenv("GOMAXPROCS");
        }
        if (s != null && !s.isBlank()) {
            try {
                int n = Integer.parseInt(s.trim());
                if (n > 0) {
                    return n;
                }
            } catch (NumberFormatException ignored) {
                // Go ignores a malformed GOMAXPROCS too
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    private static long schedtraceMillis() {
        String s = System.getProperty("go4j.schedtrace");
        if (s == null) {
            String godebug = System.getenv("GODEBUG");
            if (godebug != null) {
                for (String kv : godebug.split(",")) {
                    if (kv.trim().startsWith("schedtrace=")) {
                        s = kv.trim().substring("schedtrace=".length());
                    }
                }
            }
        }
        if (s == null || s.isBlank()) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(s.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Starts goroutine g (Go's {@code newproc}): registers it with its program, then runs it on a new virtual
     * thread, or a new continuation in the raw mode.
     */
    public static void spawn(G g) {
        if (RAW) {
            Coroutine c = GMP.newCoroutine(g);
            g.co = c;
            g.program.started(g);
            GMP.start(c);
            return;
        }
        Thread t = FACTORY.newThread(g);
        g.thread = t;
        g.program.started(g);
        Scheduler s = GMP;
        if (s != null) {
            s.start(t);
        } else {
            t.start();
        }
    }

    /**
     * Go's {@code Gosched}: the calling goroutine goes to the global run queue and lets others run (under the JDK
     * scheduler: {@code Thread.yield}).
     */
    public static void gosched() {
        Coroutine c;
        if (RAW && (c = Coroutine.current()) != null) {
            c.yield(true);
        } else if (GMP != null) {
            GMP.gosched();
        } else {
            Thread.yield();
        }
    }

    /** Go's {@code goyield}: the calling goroutine goes to the tail of its P's run queue (Thread.yield). */
    public static void goyield() {
        Coroutine c;
        if (RAW && (c = Coroutine.current()) != null) {
            c.yield(false);
        } else {
            Thread.yield();
        }
    }

    /** LockSupport.park for go4j code that may run on a goroutine (a raw continuation yields instead). */
    public static void park(Object blocker) {
        Coroutine c;
        if (RAW && (c = Coroutine.current()) != null) {
            c.park();
        } else {
            LockSupport.park(blocker);
        }
    }

    /** LockSupport.unpark for a thread that may be a raw-mode goroutine's stand-in ({@link G#thread()}). */
    public static void unpark(Thread t) {
        if (RAW && t instanceof Coroutine.Standin s) {
            s.coroutine().unpark();
        } else {
            LockSupport.unpark(t);
        }
    }

    /**
     * {@code Thread.currentThread().isInterrupted()} for go4j's own code. In the raw mode a goroutine's interrupt
     * status is its carrier's while it runs, and the carrier is read afresh: C2 may reuse a
     * {@code Thread.currentThread()} read before a yield after the goroutine moved to another carrier.
     */
    public static boolean isInterrupted() {
        return (RAW ? Scheduler.currentCarrier() : Thread.currentThread()).isInterrupted();
    }

    /** {@code Thread.interrupted()} for go4j's own code (see {@link #isInterrupted()}). */
    public static boolean interrupted() {
        return RAW ? Scheduler.getAndClearInterrupt(Scheduler.currentCarrier()) : Thread.interrupted();
    }

    /** {@code Thread.currentThread().interrupt()} for go4j's own code (see {@link #isInterrupted()}). */
    public static void selfInterrupt() {
        (RAW ? Scheduler.currentCarrier() : Thread.currentThread()).interrupt();
    }

    /**
     * The thread that stands for the caller: the caller itself, or in the raw mode a goroutine's stand-in, so
     * that {@link #unpark} and {@code interrupt} reach the goroutine rather than its carrier.
     */
    public static Thread currentThread() {
        Coroutine c;
        if (RAW && (c = Coroutine.current()) != null) {
            return c.thread();
        }
        return Thread.currentThread();
    }

    /**
     * {@link System#nanoTime()} for stamping when a goroutine began to wait: under go4j's scheduler its coarse
     * clock (at most about a millisecond behind; see {@code Scheduler.clock}), else the clock itself.
     */
    public static long waitClock() {
        Scheduler s = GMP;
        return s != null ? s.coarseNanos() : System.nanoTime();
    }

    /** One wake-up in this many + 1 is time-stamped to measure the hand-off's cross-core latency. */
    static final int HANDOFF_SAMPLE_MASK = 63;

    /**
     * A sampled hand-off's latency: from the waker's stamp to a spinning owner seeing the wake (one cache-line
     * transfer between two cores, plus a clock read). Goes to the G-M-P scheduler's pair-splitting governor.
     */
    static void handoffSample(long nanos) {
        Scheduler s = GMP;
        if (s != null) {
            s.handoffSample(nanos);
        }
    }

    /** Which scheduler runs goroutines, for {@code Go.runtimeInfo()} and diagnostics. */
    public static String description() {
        return DESCRIPTION;
    }

    /** Whether goroutines run on go4j's G-M-P scheduler. */
    public static boolean isGmp() {
        return GMP != null;
    }

    /** The G-M-P scheduler, or null under the JDK's. */
    public static Scheduler gmp() {
        return GMP;
    }

    /**
     * {@code runtime.GOMAXPROCS(n)}: sets the number of Ps if {@code n > 0}; returns the previous setting. Under
     * the JDK scheduler the value is only recorded and reported (the JDK's parallelism is fixed at start).
     */
    public static int gomaxprocs(int n) {
        Scheduler s = GMP;
        if (s != null) {
            return s.gomaxprocs(n);
        }
        int old = jdkProcs;
        if (n > 0) {
            jdkProcs = n;
        }
        return old;
    }

    /**
     * How long a goroutine about to park should spin first, given the caller's budget: under the G-M-P scheduler
     * the budget only when spinning can help (Go's {@code canSpin}: the partner runs on another P), else 0; under
     * the JDK scheduler the budget itself.
     */
    public static int spinBudget(int spins) {
        return spinBudget(spins, false);
    }

    /**
     * {@link #spinBudget(int)} for a wait that is one side of a turn-taking pair ({@code pair}: an unbuffered or
     * one-slot channel), which the G-M-P scheduler may split over two Ps ({@link Scheduler#canSpin(boolean)}).
     */
    public static int spinBudget(int spins, boolean pair) {
        Scheduler s = GMP;
        if (spins <= 0 || s == null) {
            return spins;
        }
        return s.canSpin(pair) ? spins : 0;
    }

    /** Whether a goroutine about to park should spin first at all (more than one processor). */
    public static final boolean MULTICORE = Runtime.getRuntime().availableProcessors() > 1;
}
