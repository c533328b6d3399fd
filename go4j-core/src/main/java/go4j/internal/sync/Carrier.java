package go4j.internal.sync;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A cheap "which processor am I on" probe for per-P sharding (Pool): the carrier thread of the calling virtual
 * thread, or the calling thread itself. Virtual threads are only unmounted at blocking points, so code that does
 * not block between two probes stays on one carrier — go4j's stand-in for Go's {@code procPin}.
 *
 * <p>The carrier is read with {@code Thread.currentCarrierThread()} when {@code java.lang} is opened to go4j
 * ({@code --add-opens java.base/java.lang=go4j} or {@code =ALL-UNNAMED}); otherwise the probe is the calling
 * thread, which still spreads goroutines over shards, only less cache-friendly.
 */
public final class Carrier {
    private Carrier() {}

    private static final MethodHandle CURRENT_CARRIER;

    static {
        MethodHandle mh = null;
        try {
            MethodHandles.Lookup l = MethodHandles.privateLookupIn(Thread.class, MethodHandles.lookup());
            mh = l.findStatic(Thread.class, "currentCarrierThread", MethodType.methodType(Thread.class));
            Thread t = (Thread) mh.invokeExact();
            if (t == null) {
                mh = null;
            }
        } catch (Throwable e) {
            mh = null;
        }
        CURRENT_CARRIER = mh;
    }

    /** A well-mixed hash of the current carrier (or thread); stable while the caller does not block. */
    public static int probe() {
        Thread t = Thread.currentThread();
        if (CURRENT_CARRIER != null && t.isVirtual()) {
            try {
                t = (Thread) CURRENT_CARRIER.invokeExact();
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
        long h = t.threadId() * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32));
    }

    /** Whether the probe sees carrier threads (true) or only the calling threads (false). */
    public static boolean seesCarriers() {
        return CURRENT_CARRIER != null;
    }
}
