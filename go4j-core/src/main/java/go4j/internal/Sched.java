package go4j.internal;

import go4j.internal.sched.Scheduler;

import java.util.concurrent.ThreadFactory;

/**
 * Where goroutines run: the factory of their virtual threads, chosen once from the system property
 * {@code go4j.scheduler}:
 * <ul>
 *   <li>{@code gmp}: go4j's G-M-P scheduler ({@link Scheduler}), which needs
 *       {@code --add-opens java.base/java.lang=ALL-UNNAMED} (or {@code =go4j} on the module path);</li>
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
    /** GOMAXPROCS as reported under the JDK scheduler (which has no Ps to resize). */
    private static volatile int jdkProcs = Runtime.getRuntime().availableProcessors();

    static {
        String mode = System.getProperty("go4j.scheduler", "auto").trim().toLowerCase();
        if (mode.isEmpty()) {
            mode = "auto";
        }
        Scheduler gmp = null;
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
            if (gmp != null) {
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

    /** An unstarted virtual thread that will run r. */
    public static Thread newThread(Runnable r) {
        return FACTORY.newThread(r);
    }

    /** Starts a goroutine's thread made by {@link #newThread} (lets the scheduler know a goroutine is new). */
    public static void start(Thread t) {
        Scheduler s = GMP;
        if (s != null) {
            s.start(t);
        } else {
            t.start();
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
        Scheduler s = GMP;
        if (spins <= 0 || s == null) {
            return spins;
        }
        return s.canSpin() ? spins : 0;
    }

    /** Whether a goroutine about to park should spin first at all (more than one processor). */
    public static final boolean MULTICORE = Runtime.getRuntime().availableProcessors() > 1;
}
