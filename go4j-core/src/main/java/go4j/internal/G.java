package go4j.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A goroutine: go4j's record of one virtual thread started by {@link go4j.Go#go(Runnable)} or
 * {@link go4j.Go#run(Runnable)} (Go's {@code runtime.g}).
 *
 * <h2>States</h2>
 * <pre>
 *   RUNNABLE --(starts / is mounted)--------------> RUNNING
 *   RUNNING  --(parks in a go4j primitive)--------> WAITING (waitReason, waitSince set before the state)
 *   WAITING  --(woken by another goroutine)-------> RUNNABLE
 *   RUNNABLE --(resumes after the park)-----------> RUNNING
 *   RUNNING  --(returns or dies of a panic)-------> DEAD
 * </pre>
 * Only the goroutine itself moves RUNNABLE→RUNNING, RUNNING→WAITING and →DEAD; wakers move WAITING→RUNNABLE.
 * The fields are written with release semantics and read by diagnostics with acquire semantics: a dump sees a
 * consistent (reason, since) pair for a WAITING goroutine because they are written before the state.
 *
 * <p>A goroutine belongs to one {@link Program}: the {@code Go.run} that (transitively) started it, or the
 * process-wide program of goroutines started outside any run. Ids are per program; the main goroutine of a
 * run is goroutine 1, as in Go.
 */
public final class G implements Runnable {
    public static final int RUNNABLE = 0;
    public static final int RUNNING = 1;
    public static final int WAITING = 2;
    public static final int DEAD = 3;

    private static final ThreadLocal<G> CURRENT = new ThreadLocal<>();
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(G.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    public final long id;
    public final Program program;
    /** The goroutine that started this one, 0 if started by a thread that is not a goroutine. */
    public final long parentId;
    /** Where {@code go} was called: the caller's frame, or null when creation sites are not recorded. */
    public final StackTraceElement createdAt;
    /** The function the goroutine runs (its class names the enclosing code of a lambda). */
    public final Runnable fn;
    /** The virtual thread; set once before it starts. */
    public Thread thread;

    /** One of RUNNABLE..DEAD; see the transition table. */
    @SuppressWarnings("unused")
    private volatile int state;
    /** Valid while WAITING: why, and since when ({@link System#nanoTime()}). */
    private WaitReason waitReason;
    private long waitSince;
    /** Nanotime at creation (for dumps). */
    public final long createdNanos;

    public G(Program program, long parentId, StackTraceElement createdAt, Runnable fn) {
        this.program = program;
        this.id = program.nextId();
        this.parentId = parentId;
        this.createdAt = createdAt;
        this.fn = fn;
        this.createdNanos = System.nanoTime();
        STATE.setRelease(this, RUNNABLE);
    }

    /** The goroutine running on the current thread, or null if the thread is not a goroutine. */
    public static G current() {
        return CURRENT.get();
    }

    /** Binds a goroutine to the current thread (the main goroutine of {@code Go.run} on a started thread). */
    static void bind(G g) {
        CURRENT.set(g);
    }

    @Override
    public void run() {
        CURRENT.set(this);
        STATE.setRelease(this, RUNNING);
        try {
            fn.run();
        } catch (Throwable t) {
            program.goroutinePanicked(this, t);
        } finally {
            STATE.setRelease(this, DEAD);
            program.exited(this);
        }
    }

    public int state() {
        return (int) STATE.getAcquire(this);
    }

    /** The wait reason while WAITING, else null. */
    public WaitReason waitReason() {
        return state() == WAITING ? waitReason : null;
    }

    /** When the current wait began (nanoTime), meaningful while WAITING. */
    public long waitSince() {
        return waitSince;
    }

    /** Called by the goroutine itself right before it parks. */
    public void parking(WaitReason reason) {
        this.waitReason = reason;
        this.waitSince = System.nanoTime();
        STATE.setRelease(this, WAITING);
    }

    /** Called by the goroutine itself once it runs again after {@link #parking}. */
    public void resumed() {
        if ((int) STATE.getAcquire(this) != RUNNING) {
            STATE.setRelease(this, RUNNING);
        }
    }

    /** Called by a waker before it unparks this goroutine. */
    public void readied() {
        STATE.compareAndSet(this, WAITING, RUNNABLE);
    }

    /** Go's state text for a dump: "running", "runnable" or the wait reason. */
    public String stateText() {
        return switch (state()) {
            case RUNNING -> "running";
            case RUNNABLE -> "runnable";
            case WAITING -> {
                WaitReason r = waitReason;
                yield r == null ? "waiting" : r.text();
            }
            default -> "dead";
        };
    }

    @Override
    public String toString() {
        return "goroutine " + id + " [" + stateText() + "]";
    }
}
