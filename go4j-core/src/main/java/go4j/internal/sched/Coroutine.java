package go4j.internal.sched;

import go4j.internal.G;
import go4j.internal.timer.RuntimeTimer;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * A goroutine on a raw {@code jdk.internal.vm.Continuation} (go4j's "raw" goroutine mode, ADR 0004): G = this
 * continuation, M = the carrier {@link M} that mounts it, P as in the virtual-thread mode. It is the run-queue task
 * of its goroutine: {@link M} runs it, it mounts the continuation, and the goroutine's park is a
 * {@code Continuation.yield} back to the M's scheduling loop — no virtual thread, no JDK scheduler, about a third
 * of a virtual thread's park + unpark + remount.
 *
 * <h2>Run state ({@link #state}) — the virtual thread's protocol, reduced</h2>
 * <pre>
 *   NEW / UNPARKED / YIELDED --M mounts it--------------> RUNNING
 *   RUNNING   --park()----------------------------------> PARKING --yielded, M's afterYield--> PARKED
 *   PARKED    --unpark(): CAS, submit-------------------> UNPARKED   (queued in a run queue)
 *   PARKING   --yield refused (pinned)------------------> PINNED (parks the carrier thread itself) --> RUNNING
 *   RUNNING   --gosched/goyield-------------------------> YIELDING --afterYield--> YIELDED (queued)
 *   PARKED / UNPARKED / YIELDED --stack walk------------> SUSPENDED --walk done--> back
 *   RUNNING   --returns---------------------------------> TERMINATED
 * </pre>
 * {@link #permit} is LockSupport's permit: {@link #unpark()} sets it and, if it finds PARKED, CASes to UNPARKED
 * and submits; {@link #park()} consumes it. An unpark that lands while PARKING finds no PARKED: the M's afterYield
 * publishes PARKED and then reads the permit (Dekker with the waker's permit-then-state), so the wake-up is never
 * lost and the continuation is never submitted while it is still on its carrier's stack.
 *
 * <h2>Interrupt status ({@link #intr}, packed bits)</h2>
 * A goroutine has no thread of its own; while mounted, its interrupt status is its carrier's (go4j reads it with
 * {@code Sched.isInterrupted/interrupted/selfInterrupt}, which find the carrier afresh), and while unmounted it is
 * the {@code PENDING} bit. {@code MOUNTED} is set at mount (which turns
 * PENDING into a self-interrupt) and cleared at unmount (which turns the carrier's status back into PENDING).
 * An interrupter that finds MOUNTED sets {@code LOCK} by CAS, interrupts the carrier and clears LOCK; unmount waits
 * for LOCK, so an interrupt never lands on a carrier that already runs another goroutine.
 *
 * <h2>Current thread: never {@code Thread.currentThread()} in goroutine code</h2>
 * C2 treats {@code Thread.currentThread()} as invariant within a compiled method (true for a virtual thread), so a
 * compiled frame that read it before a yield keeps that carrier after the goroutine resumed on another one. go4j's
 * code running in goroutines finds its goroutine and carrier with {@link #current()} /
 * {@link Scheduler#currentCarrier()} ({@code Thread.currentCarrierThread()}, re-read after a yield) or with the
 * {@link #carrier} field. User code cannot be protected: see ADR 0004.
 *
 * <h2>What a user must know</h2>
 * {@code Thread.currentThread()} and ThreadLocals are a carrier's (possibly one the goroutine has left); a
 * goroutine blocking in a JDK call (socket, file, {@code Thread.sleep}, a j.u.c lock) or parking while it holds a
 * monitor blocks its M, and sysmon hands the P to another M (Go's syscall hand-off). go4j's own blocking
 * operations always yield.
 */
public final class Coroutine implements Runnable {
    // run states
    private static final int NEW = 0;
    private static final int RUNNING = 1;
    private static final int PARKING = 2;
    private static final int PARKED = 3;
    private static final int UNPARKED = 4;
    private static final int PINNED = 5;
    private static final int YIELDING = 6;
    private static final int YIELDED = 7;
    private static final int SUSPENDED = 8;
    private static final int TERMINATED = 9;

    // intr bits
    private static final int MOUNTED = 1;
    private static final int LOCK = 2;
    private static final int PENDING = 4;

    private static final VarHandle STATE;
    private static final VarHandle PERMIT;
    private static final VarHandle INTR;

    // jdk.internal.vm.Continuation, reached through method handles so that go4j compiles with --release and
    // loads without --add-exports (the mode is then unavailable and never chosen; see available()).
    private static final Object SCOPE;
    private static final MethodHandle NEW_CONT;
    private static final MethodHandle RUN;
    private static final MethodHandle YIELD;
    private static final MethodHandle IS_DONE;
    private static final MethodHandle STACK;
    private static final Throwable UNAVAILABLE;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(Coroutine.class, "state", int.class);
            PERMIT = l.findVarHandle(Coroutine.class, "permit", boolean.class);
            INTR = l.findVarHandle(Coroutine.class, "intr", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
        Object scope = null;
        MethodHandle newCont = null, run = null, yield = null, isDone = null, stack = null;
        Throwable failure = null;
        try {
            Class<?> scopeClass = Class.forName("jdk.internal.vm.ContinuationScope");
            Class<?> contClass = Class.forName("jdk.internal.vm.Continuation");
            MethodHandles.Lookup l = MethodHandles.lookup();
            scope = l.findConstructor(scopeClass, MethodType.methodType(void.class, String.class)).invoke("go4j");
            newCont = l.findConstructor(contClass, MethodType.methodType(void.class, scopeClass, Runnable.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Runnable.class));
            run = l.findVirtual(contClass, "run", MethodType.methodType(void.class))
                    .asType(MethodType.methodType(void.class, Object.class));
            yield = l.findStatic(contClass, "yield", MethodType.methodType(boolean.class, scopeClass))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            isDone = l.findVirtual(contClass, "isDone", MethodType.methodType(boolean.class))
                    .asType(MethodType.methodType(boolean.class, Object.class));
            stack = l.findVirtual(contClass, "getStackTrace", MethodType.methodType(StackTraceElement[].class))
                    .asType(MethodType.methodType(StackTraceElement[].class, Object.class));
        } catch (Throwable t) {
            failure = t;
        }
        SCOPE = scope;
        NEW_CONT = newCont;
        RUN = run;
        YIELD = yield;
        IS_DONE = isDone;
        STACK = stack;
        UNAVAILABLE = failure;
    }

    /**
     * Why raw continuations cannot be used (missing {@code --add-exports java.base/jdk.internal.vm=ALL-UNNAMED}, or
     * {@code =go4j} on the module path), or null if they can.
     */
    public static Throwable unavailable() {
        return UNAVAILABLE;
    }

    /** The goroutine this continuation runs. */
    public final G g;
    private final Scheduler sched;
    private final Object cont;
    /** One of NEW..TERMINATED; see the class comment. */
    @SuppressWarnings("unused")
    private volatile int state;
    @SuppressWarnings("unused")
    private volatile boolean permit;
    /** MOUNTED | LOCK | PENDING; see the class comment. */
    @SuppressWarnings("unused")
    private volatile int intr;
    /** The M this goroutine is mounted on (set before MOUNTED, valid while it is set). */
    private volatile M carrier;
    /** Set by a gosched (global queue) rather than a goyield (local tail); read by afterYield. */
    private boolean yieldGlobal;
    /** Nanoseconds of the timed park under way (0: untimed); read by afterYield. */
    private long parkNanos;
    /** The timer of timed parks, made on first use and reused. Goroutine-owned. */
    private RuntimeTimer timer;
    /** The thread that stands for this goroutine ({@link go4j.internal.G#thread()}), made on first use. */
    private volatile Standin proxy;

    Coroutine(Scheduler sched, G g) {
        this.sched = sched;
        this.g = g;
        try {
            this.cont = NEW_CONT.invokeExact(SCOPE, (Runnable) g);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** The goroutine continuation running on the calling thread, or null. */
    public static Coroutine current() {
        return Scheduler.currentCarrier() instanceof M m ? m.curg : null;
    }

    // ------------------------------------------------------------------------------------------ on the M

    /** Mounts and runs the goroutine until it parks, yields or returns. Called by the M that took this task. */
    @Override
    public void run() {
        M m = (M) Thread.currentThread();
        int s;
        while (true) {
            s = (int) STATE.getVolatile(this);
            if (s == SUSPENDED) {
                Thread.onSpinWait(); // a stack walk of the queued goroutine is under way
                continue;
            }
            if (s == NEW || s == UNPARKED || s == YIELDED) {
                if (STATE.compareAndSet(this, s, RUNNING)) {
                    break;
                }
                continue;
            }
            throw new IllegalStateException("goroutine continuation run in state " + s);
        }
        if (s == UNPARKED) {
            PERMIT.setOpaque(this, false); // the permit that made it runnable
        }
        mount(m);
        try {
            RUN.invokeExact(cont);
        } catch (Throwable t) {
            // G.run catches everything the goroutine throws; this is the JDK refusing the continuation
            System.err.println("go4j: goroutine continuation failed: " + t);
            t.printStackTrace();
        } finally {
            unmount(m);
        }
        afterYield();
    }

    private void mount(M m) {
        carrier = m;
        m.curg = this;
        int old = (int) INTR.getAndSet(this, MOUNTED);
        if ((old & PENDING) != 0) {
            m.interrupt();
        }
    }

    private void unmount(M m) {
        while (!INTR.compareAndSet(this, MOUNTED, MOUNTED | LOCK)) {
            Thread.onSpinWait(); // an interrupter holds LOCK for the few instructions of carrier.interrupt()
        }
        boolean interrupted = Thread.interrupted();
        m.curg = null;
        carrier = null;
        INTR.setVolatile(this, interrupted ? PENDING : 0);
    }

    private boolean isDone() {
        try {
            return (boolean) IS_DONE.invokeExact(cont);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Go's park_m / goyield_m tail: publishes the new state once the continuation is off the carrier's stack. */
    private void afterYield() {
        int s = (int) STATE.getVolatile(this);
        if (s == PARKING) {
            long nanos = parkNanos;
            if (nanos > 0) {
                // Armed before PARKED is published: nothing can resume the goroutine (and make it stop the timer)
                // before this, so a stop never precedes its arming. A timer firing meanwhile leaves the permit.
                timer.reset(nanos, 0);
            }
            STATE.setVolatile(this, PARKED);
            if ((boolean) PERMIT.getVolatile(this) && STATE.compareAndSet(this, PARKED, UNPARKED)) {
                sched.execute(this); // unparked while parking
            }
        } else if (s == YIELDING) {
            STATE.setVolatile(this, YIELDED);
            if (yieldGlobal) {
                sched.globalSubmit(this);
            } else {
                sched.execute(this); // from the M itself, outside the goroutine: the local tail
            }
        } else if (s == RUNNING && isDone()) {
            STATE.setVolatile(this, TERMINATED);
        } else {
            // A yield that did not go through park()/yield(): a go4j bug. Report where the goroutine stopped.
            IllegalStateException e = new IllegalStateException("goroutine continuation yielded in state " + s);
            e.setStackTrace(continuationStack());
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------ the goroutine

    /**
     * LockSupport.park for this goroutine (the caller is this goroutine): returns when unparked, interrupted, or
     * spuriously; callers re-check their condition. Yields to the M; when pinned (a monitor or a native frame on
     * the stack) parks the carrier thread instead.
     */
    public void park() {
        parkFor(0);
    }

    /** LockSupport.parkNanos for this goroutine; see {@link #park()}. */
    public void parkNanos(long nanos) {
        if (nanos > 0) {
            parkFor(nanos);
        }
    }

    private void parkFor(long nanos) {
        if ((boolean) PERMIT.getAndSet(this, false) || carrier.isInterrupted()) {
            return;
        }
        if (nanos > 0 && timer == null) {
            timer = RuntimeTimer.newInlineTimer(this::unpark);
        }
        parkNanos = nanos;
        STATE.setVolatile(this, PARKING);
        boolean yielded = yieldNow();
        if (yielded) {
            if (nanos > 0) {
                timer.stop();
            }
            return; // RUNNING again; the permit was consumed at mount
        }
        // Pinned: park the carrier itself until unparked (or interrupted: Thread.interrupt unparks it).
        STATE.setVolatile(this, PINNED);
        if (!(boolean) PERMIT.getAndSet(this, false)) {
            if (nanos > 0) {
                LockSupport.parkNanos(this, nanos);
            } else {
                LockSupport.park(this);
            }
            PERMIT.setVolatile(this, false);
        }
        STATE.setVolatile(this, RUNNING);
    }

    /**
     * Lets other goroutines run: {@code global} true is Go's {@code Gosched} (to the global queue), false its
     * {@code goyield} (to the tail of the local queue). When pinned, yields the carrier thread instead.
     */
    public void yield(boolean global) {
        yieldGlobal = global;
        STATE.setVolatile(this, YIELDING);
        if (!yieldNow()) {
            STATE.setVolatile(this, RUNNING);
            Thread.yield();
        }
    }

    private boolean yieldNow() {
        try {
            return (boolean) YIELD.invokeExact(SCOPE);
        } catch (IllegalStateException pinned) {
            return false; // Continuation.onPinned: a monitor or a native frame on the goroutine's stack
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    // ------------------------------------------------------------------------------------------ other threads

    /** LockSupport.unpark for this goroutine; any thread. */
    public void unpark() {
        if ((boolean) PERMIT.getAndSet(this, true)) {
            return;
        }
        int s = (int) STATE.getVolatile(this);
        if (s == PARKED && STATE.compareAndSet(this, PARKED, UNPARKED)) {
            sched.execute(this);
        } else if (s == PINNED) {
            M m = carrier;
            if (m != null) {
                LockSupport.unpark(m); // at worst a spurious unpark of an M that moved on: parks loop
            }
        }
    }

    /** Thread.interrupt for this goroutine: sets its interrupt status and unparks it. */
    public void interrupt() {
        while (true) {
            int w = (int) INTR.getVolatile(this);
            if ((w & LOCK) != 0) {
                Thread.onSpinWait();
            } else if ((w & MOUNTED) != 0) {
                if (INTR.compareAndSet(this, w, w | LOCK)) {
                    try {
                        carrier.interrupt();
                    } finally {
                        INTR.setVolatile(this, w);
                    }
                    break;
                }
            } else if ((w & PENDING) != 0 || INTR.compareAndSet(this, w, w | PENDING)) {
                break;
            }
        }
        unpark();
    }

    /** Thread.isInterrupted for this goroutine (racy while it runs, as for any thread). */
    public boolean isInterrupted() {
        int w = (int) INTR.getVolatile(this);
        if ((w & MOUNTED) != 0) {
            M m = carrier;
            return m != null && m.isInterrupted();
        }
        return (w & PENDING) != 0;
    }

    /** The goroutine's stack: its carrier's while mounted, else the continuation's (walked while suspended). */
    StackTraceElement[] stackTrace() {
        while (true) {
            int s = (int) STATE.getVolatile(this);
            switch (s) {
                case PARKED, UNPARKED, YIELDED -> {
                    if (STATE.compareAndSet(this, s, SUSPENDED)) {
                        try {
                            return continuationStack();
                        } finally {
                            STATE.setVolatile(this, s);
                            if (s == PARKED && (boolean) PERMIT.getVolatile(this)
                                    && STATE.compareAndSet(this, PARKED, UNPARKED)) {
                                sched.execute(this); // unparked during the walk
                            }
                        }
                    }
                }
                case NEW, TERMINATED -> {
                    return new StackTraceElement[0];
                }
                case SUSPENDED -> Thread.onSpinWait();
                default -> {
                    M m = carrier;
                    if (m == null) {
                        Thread.onSpinWait(); // between states: look again
                        continue;
                    }
                    return goroutineFrames(m.getStackTrace());
                }
            }
        }
    }

    /** The stack of the unmounted continuation (empty if the JDK refuses the walk). */
    private StackTraceElement[] continuationStack() {
        try {
            return (StackTraceElement[]) STACK.invokeExact(cont);
        } catch (Throwable t) {
            return new StackTraceElement[0];
        }
    }

    /** The frames of a carrier's stack above the continuation's entry (the goroutine's own frames). */
    private static StackTraceElement[] goroutineFrames(StackTraceElement[] carrierStack) {
        for (int i = 0; i < carrierStack.length; i++) {
            StackTraceElement f = carrierStack[i];
            if (f.getClassName().equals("jdk.internal.vm.Continuation") && f.getMethodName().startsWith("enter")) {
                return java.util.Arrays.copyOf(carrierStack, i);
            }
        }
        return carrierStack;
    }

    /** Thread.getState for this goroutine, as a virtual thread would report it. */
    Thread.State threadState() {
        int s = (int) STATE.getVolatile(this);
        return switch (s) {
            case NEW -> Thread.State.NEW;
            case PARKED, SUSPENDED, PINNED -> parkNanos > 0 ? Thread.State.TIMED_WAITING : Thread.State.WAITING;
            case TERMINATED -> Thread.State.TERMINATED;
            case RUNNING -> {
                M m = carrier;
                yield m == null ? Thread.State.RUNNABLE : m.getState();
            }
            default -> Thread.State.RUNNABLE;
        };
    }

    /** The thread object that stands for this goroutine (interrupt, state, stack). */
    public Thread thread() {
        Standin t = proxy;
        if (t == null) {
            synchronized (this) {
                t = proxy;
                if (t == null) {
                    proxy = t = new Standin(this);
                }
            }
        }
        return t;
    }

    /**
     * The thread that stands for a goroutine of the raw mode, where goroutines have no thread of their own:
     * {@link #interrupt()} interrupts the goroutine, {@link #isInterrupted()}, {@link #getState()} and
     * {@link #getStackTrace()} report it. It is never started ({@link #start()} throws; {@code isAlive()} is false
     * and {@code join()} returns at once: wait for a goroutine with go4j's primitives).
     */
    public static final class Standin extends Thread {
        private final Coroutine co;

        /** The goroutine this thread stands for. */
        public Coroutine coroutine() {
            return co;
        }

        Standin(Coroutine co) {
            super(null, null, "goroutine-" + co.g.id, 0, false);
            this.co = co;
        }

        @Override
        public void interrupt() {
            co.interrupt();
        }

        @Override
        public boolean isInterrupted() {
            return co.isInterrupted();
        }

        @Override
        public State getState() {
            return co.threadState();
        }

        @Override
        public StackTraceElement[] getStackTrace() {
            return co.stackTrace();
        }

        @Override
        public void start() {
            throw new IllegalThreadStateException("the thread of a goroutine in go4j's raw mode cannot be started");
        }

        @Override
        public void run() {
            throw new IllegalThreadStateException("the thread of a goroutine in go4j's raw mode cannot be run");
        }
    }
}
