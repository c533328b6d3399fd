package go4j.sync;

import go4j.internal.WaitReason;

import java.util.function.Supplier;

/**
 * Go's {@code sync.Once}: performs exactly one action. {@link #run} is Go's {@code once.Do(f)} (Java reserves
 * {@code do}); {@link #onceFunc}, {@link #onceValue} and {@link #onceValues} are Go 1.21's {@code sync.OnceFunc},
 * {@code OnceValue} and {@code OnceValues}.
 *
 * <h2>Design (Go's {@code sync/once.go})</h2>
 * {@link #done} is the hot-path flag, read with acquire semantics; the slow path takes {@link #m}, re-checks, runs
 * {@code f} and sets {@code done} (release) when {@code f} returns <em>or throws</em>. Goroutines that arrive
 * while {@code f} runs block on the mutex (Go shows them as {@code sync.Mutex.Lock}) until it finishes: when
 * {@code run} returns, {@code f} has returned.
 *
 * <h2>Panics</h2>
 * If {@code f} panics (throws), {@code run} rethrows it, and the Once counts as done: later calls do not call
 * {@code f} again and return normally (Go's rule). {@link #onceFunc}/{@link #onceValue}/{@link #onceValues}
 * instead re-throw the same throwable on every call.
 *
 * <p>A deadlock results if {@code f} calls {@code run} on the same Once (as in Go; the mutex is not reentrant).
 *
 * <p>Happens-before: the return from {@code f} (or its throw) happens before any {@code run} of this Once
 * returns.
 */
public class Once {
    /** Set (release) after f returned or threw; read (acquire) by the fast path. */
    private volatile boolean done;
    /** Serialises the slow path; waiters show {@code sync.Mutex.Lock}. */
    private final Mutex m = new Mutex(WaitReason.SYNC_ONCE);

    /** A Once that has not run (Go's zero value). */
    public Once() {}

    /**
     * Calls {@code f} if and only if this is the first call of {@code run} on this Once; every other call waits
     * for that first call to finish and then returns without calling anything.
     */
    public void run(Runnable f) {
        // Not a CAS: run must not return before f has finished (a CAS winner would run f while losers return).
        if (!done) {
            runSlow(f);
        }
    }

    private void runSlow(Runnable f) {
        m.lock();
        try {
            if (!done) {
                try {
                    f.run();
                } finally {
                    done = true;
                }
            }
        } finally {
            m.unlock();
        }
    }

    /** Whether the action has run (or is known to have been attempted): Go has no such accessor; for tests. */
    public boolean isDone() {
        return done;
    }

    /**
     * Go's {@code sync.OnceFunc(f)}: a function that calls {@code f} only once. If {@code f} throws, the returned
     * function throws the same throwable on every call.
     */
    public static Runnable onceFunc(Runnable f) {
        OnceCall<Object> c = new OnceCall<>(() -> {
            f.run();
            return null;
        });
        return c::get;
    }

    /**
     * Go's {@code sync.OnceValue(f)}: a supplier that calls {@code f} only once and returns its value on every
     * call. If {@code f} throws, every call throws the same throwable.
     */
    public static <T> Supplier<T> onceValue(Supplier<? extends T> f) {
        return new OnceCall<>(f);
    }

    /**
     * Go's {@code sync.OnceValues(f)}: as {@link #onceValue}, for a function with two results (typically a value
     * and an error), carried as {@link Values}.
     */
    public static <A, B> Supplier<Values<A, B>> onceValues(Supplier<? extends Values<A, B>> f) {
        return new OnceCall<>(f);
    }

    /** Two results, as returned by the function given to {@link #onceValues}. */
    public record Values<A, B>(A first, B second) {}

    /** The shared machinery of onceFunc/onceValue/onceValues: a Once plus the outcome. */
    private static final class OnceCall<T> implements Supplier<T> {
        private final Once once = new Once();
        /** Dropped after the call, so that what f captured can be collected (Go sets f = nil). */
        private Supplier<? extends T> f;
        /** Written inside once.run, read after it: the Once's happens-before publishes them. */
        private T value;
        private Throwable failure;

        OnceCall(Supplier<? extends T> f) {
            this.f = f;
        }

        @Override
        public T get() {
            once.run(() -> {
                try {
                    value = f.get();
                } catch (Throwable t) {
                    failure = t;
                } finally {
                    f = null;
                }
            });
            Throwable t = failure;
            if (t != null) {
                throw sneaky(t);
            }
            return value;
        }

        @SuppressWarnings("unchecked")
        private static <E extends Throwable> RuntimeException sneaky(Throwable t) throws E {
            throw (E) t;
        }
    }
}
