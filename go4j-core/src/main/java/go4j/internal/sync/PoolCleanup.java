package go4j.internal.sync;

import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.ref.WeakReference;
import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Go's {@code poolCleanup}: once per garbage collection, every registered pool moves its primary cache to its
 * victim cache and drops the old victim cache. Go runs it at the start of each GC (stop-the-world); go4j runs it
 * when the JVM reports a finished collection (the {@code com.sun.management.gc.notification} notifications of
 * the {@link GarbageCollectorMXBean}s), on the JMX notification thread.
 *
 * <p>Pools are held weakly: an unreachable pool leaves the registry at the next cleanup.
 */
public final class PoolCleanup {
    private PoolCleanup() {}

    /** A registered pool (weakly held) and what to do with it at each cleanup. */
    private record Registered(WeakReference<Object> pool, Consumer<Object> rotate) {}

    private static final String GC_NOTIFICATION = "com.sun.management.gc.notification";
    private static final ConcurrentLinkedQueue<Registered> POOLS = new ConcurrentLinkedQueue<>();
    private static final AtomicLong CYCLES = new AtomicLong();
    private static final boolean LISTENING;
    /** Whether GC notifications rotate the pools (tests turn it off, as Go's tests use SetGCPercent(-1)). */
    private static volatile boolean gcRotation = true;

    static {
        boolean ok = false;
        try {
            NotificationListener listener = (Notification n, Object handback) -> {
                if (gcRotation && GC_NOTIFICATION.equals(n.getType())) {
                    cleanup();
                }
            };
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                if (gc instanceof NotificationEmitter emitter) {
                    emitter.addNotificationListener(listener, null, null);
                    ok = true;
                }
            }
        } catch (RuntimeException | LinkageError e) {
            ok = false; // no management support: pools then only lose items to their own bounds
        }
        LISTENING = ok;
    }

    /**
     * Registers a pool (call once, when it first caches something); {@code rotate} must not capture the pool (it is
     * held weakly, so that an unreachable pool can be collected).
     */
    @SuppressWarnings("unchecked")
    public static <P> void register(P pool, Consumer<? super P> rotate) {
        POOLS.add(new Registered(new WeakReference<>(pool), (Consumer<Object>) rotate));
    }

    /** Rotates every live pool's caches (also callable directly, e.g. by tests). */
    public static void cleanup() {
        for (Iterator<Registered> it = POOLS.iterator(); it.hasNext(); ) {
            Registered r = it.next();
            Object p = r.pool.get();
            if (p == null) {
                it.remove();
            } else {
                r.rotate.accept(p);
            }
        }
        CYCLES.incrementAndGet();
    }

    /**
     * Turns GC-driven rotation on or off (on by default). For tests that check pool contents and would be
     * disturbed by a collection, as Go's pool tests disable the GC with {@code debug.SetGCPercent(-1)};
     * {@link #cleanup()} called directly still rotates.
     */
    public static void setGcRotation(boolean on) {
        gcRotation = on;
    }

    /** How many cleanups have run (tests wait for it to advance after {@code System.gc()}). */
    public static long cycles() {
        return CYCLES.get();
    }

    /** Whether GC notifications are being received. */
    public static boolean listening() {
        return LISTENING;
    }
}
