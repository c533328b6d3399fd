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

    /** An index for the current carrier (or thread), to be masked by the caller; stable while it does not block. */
    public static int probe() {
        Thread t = Thread.currentThread();
        if (CURRENT_CARRIER != null && t.isVirtual()) {
            try {
                t = (Thread) CURRENT_CARRIER.invokeExact();
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }
        // Thread ids are handed out consecutively, and a scheduler's carriers (like a benchmark's or a server's
        // worker threads) are created together: the id itself, masked by the caller, spreads them over distinct
        // shards better than a hash, which makes two of a handful of carriers collide with high probability.
        return (int) t.threadId();
    }

    /** Whether the probe sees carrier threads (true) or only the calling threads (false). */
    public static boolean seesCarriers() {
        return CURRENT_CARRIER != null;
    }
}
