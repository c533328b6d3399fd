package go4j.internal;

import java.util.concurrent.ThreadFactory;

/**
 * Where goroutines run: the factory of their virtual threads.
 *
 * <p>The scheduler is chosen once, from the system property {@code go4j.scheduler}: {@code jdk} is the JDK's
 * default virtual-thread scheduler; {@code auto} (the default) is the same until go4j's own G-M-P scheduler is
 * available. {@link #description()} says which one is in use.
 */
public final class Sched {
    private Sched() {}

    private static final ThreadFactory FACTORY;
    private static final String DESCRIPTION;

    static {
        FACTORY = Thread.ofVirtual().factory();
        DESCRIPTION = "jdk (default virtual-thread scheduler)";
    }

    /** An unstarted virtual thread that will run r. */
    public static Thread newThread(Runnable r) {
        return FACTORY.newThread(r);
    }

    /** Which scheduler runs goroutines, for {@code Go.runtimeInfo()} and diagnostics. */
    public static String description() {
        return DESCRIPTION;
    }

    /** Whether a goroutine about to park should spin first at all (more than one processor). */
    public static final boolean MULTICORE = Runtime.getRuntime().availableProcessors() > 1;
}
