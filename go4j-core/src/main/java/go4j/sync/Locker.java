package go4j.sync;

/**
 * Go's {@code sync.Locker}: an object that can be locked and unlocked ({@link Mutex}, {@link RWMutex}, the read
 * view {@link RWMutex#rLocker()}).
 *
 * <p>{@link #locked()} is Go's {@code mu.Lock(); defer mu.Unlock()} as try-with-resources:
 * <pre>{@code
 * try (var held = mu.locked()) {
 *     counter++;
 * }
 * }</pre>
 */
public interface Locker {
    /** Acquires the lock, blocking until it is available. */
    void lock();

    /** Releases the lock. */
    void unlock();

    /** Locks and returns a guard whose {@link Guard#close()} unlocks: for try-with-resources. */
    default Guard locked() {
        lock();
        return this::unlock;
    }

    /** What {@link #locked()} returns: closing it unlocks (exactly what {@code defer mu.Unlock()} does). */
    @FunctionalInterface
    interface Guard extends AutoCloseable {
        /** Unlocks. Closing twice unlocks twice (a fatal error for an unlocked {@link Mutex}, as in Go). */
        @Override
        void close();
    }
}
