package go4j.internal.timer;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

/**
 * One shard of go4j's timer engine: a 4-ary min-heap of pending {@link RuntimeTimer}s ordered by {@code when}
 * (Go's per-P {@code timers} heap, {@code runtime/time.go}), and the service thread that runs them when due.
 *
 * <h2>Invariants (all under this heap's lock, {@link #lock})</h2>
 * <ul>
 *   <li>{@code heap[0..size)} is a 4-ary min-heap on {@code whens[0..size)} ({@code whens[i]} is the when
 *       {@code heap[i]} was inserted with): a parent's when is at most each of its (up to four) children's.</li>
 *   <li>{@code t.heapIndex == i} iff {@code heap[i] == t}; a timer not in the heap has {@code heapIndex == -1}.
 *       Stopping a timer removes its entry at once (no lazy deletion), so the heap holds exactly the timers that
 *       must be in a heap (see {@link RuntimeTimer}: armed function and sleep timers, armed channel timers some
 *       goroutine is blocked on) and never grows under churn; the array shrinks when it is three quarters
 *       empty.</li>
 *   <li>{@link #sleepUntil} is the {@code when} the service thread will wake up for ({@code Long.MAX_VALUE}: it
 *       waits for an unpark). An insert that becomes the new minimum earlier than that unparks the thread, unless
 *       an unpark is already pending ({@link #wakePending}).</li>
 * </ul>
 *
 * <h2>Servicing</h2>
 * A P's heap (Go's per-P {@code timers}: a timer made by a goroutine running on go4j's G-M-P scheduler goes to its
 * P's heap) has a {@link Servicer}, the scheduler: the P's M runs its due timers in its scheduling loop (Go's
 * {@code checkTimers} in {@code findRunnable}), and sysmon runs every P heap's due timers and sleeps no longer than
 * until the earliest one, also while every P is idle. An insert that becomes a heap's new minimum tells the
 * servicer ({@link Servicer#timerAdded}). Several servicers may run one heap: {@link #runDue} takes a timer out under
 * both locks, so each timer is taken out once.
 *
 * <p>The other heaps (timers made by threads that are not goroutines on go4j's scheduler, and every timer under the
 * JDK scheduler; sharded by thread id) are each serviced by one daemon platform thread ({@code go4j-timer-N}),
 * started with the heap's first timer: it takes out every due timer, runs it outside the heap lock
 * ({@link RuntimeTimer#fireAndUnlock}) and parks until the next {@code when} — Go 1.9–1.13's {@code timerproc} per
 * timer bucket. A platform thread is used on purpose: a timed park of a virtual thread is itself a JDK
 * ScheduledExecutor task.
 */
public final class TimerHeap implements Runnable {
    /** Who runs a P's heap: told when an insert made {@code when} the heap's earliest. */
    public interface Servicer {
        void timerAdded(long when);
    }

    private static final int INITIAL = 16;

    private final int id;
    /** The scheduler for a P's heap; null for a heap with its own service thread. */
    private final Servicer servicer;
    /** {@code whens[0]}, or {@code Long.MAX_VALUE} when empty: written under the lock, read by servicers without it. */
    private volatile long first = Long.MAX_VALUE;
    /** The heap; guarded by {@link #lock}. */
    private RuntimeTimer[] heap = new RuntimeTimer[INITIAL];
    /**
     * {@code whens[i]} is {@code heap[i]}'s when, kept inline as Go 1.23's {@code timerWhen} array does: sifting
     * compares contiguous longs instead of chasing a pointer per child (a 1M-timer heap would otherwise take a
     * cache miss per comparison). Guarded by {@link #lock}.
     */
    private long[] whens = new long[INITIAL];
    private int size;
    /** When the service thread will wake up next; guarded by {@link #lock}. */
    private long sleepUntil = Long.MAX_VALUE;
    /** The service thread, started lazily; guarded by {@link #lock}. */
    private Thread thread;
    /**
     * An unpark was issued and the service thread has not yet re-examined the heap; guarded by {@link #lock}. While
     * set, inserts need not unpark again: the thread will see them when it recomputes its wake-up time (under this
     * lock, where it clears the flag). This keeps a create/stop loop of new earliest timers from paying one
     * unpark per timer.
     */
    private boolean wakePending;

    /**
     * The heap's lock: 0 free, 1 held. A spin lock, not a monitor, because carrier-side threads (Ms, sysmon) take
     * it: nothing parks or yields while holding it (its critical sections touch only this heap's arrays), so a
     * waiter's spin ends as soon as the holder's carrier runs. Only a goroutine waiting for it yields its carrier
     * after a while (it may hold a timer's lock meanwhile: carrier-side threads never wait for those, see
     * {@link #runDue}).
     */
    @SuppressWarnings("unused")
    private volatile int lock;

    private static final VarHandle LOCK;

    static {
        try {
            LOCK = MethodHandles.lookup().findVarHandle(TimerHeap.class, "lock", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private void lock() {
        if (!LOCK.compareAndSet(this, 0, 1)) {
            SpinLocks.lockSlow(this, LOCK);
        }
    }

    private void unlock() {
        LOCK.setRelease(this, 0);
    }

    TimerHeap(int id) {
        this(id, null);
    }

    /** A P's heap, serviced by {@code servicer} (see the class comment). */
    public TimerHeap(int id, Servicer servicer) {
        this.id = id;
        this.servicer = servicer;
    }

    /** The earliest when in this heap, {@code Long.MAX_VALUE} if empty (racy; {@link #runDue} re-checks). */
    public long first() {
        return first;
    }

    /**
     * Go's {@code checkTimers}/{@code runtimer} loop: takes out and runs (outside this heap's lock) every timer due
     * at {@code now} ({@link RuntimeTimer#nanotime()} terms). Returns how many it ran.
     *
     * <p>On a P's heap the caller is an M or sysmon, a carrier-side thread that must never wait for a lock a
     * goroutine may hold: a goroutine can be unmounted while holding a timer's lock (it may yield while it
     * acquires the heap's or a channel's lock), and the JDK hands a contended monitor to a waiting virtual thread
     * that then needs a carrier — if the carrier waits for that lock, nothing runs it (a hang seen in a test
     * run). So a P heap's servicer takes each timer's lock with {@code tryLock}, and leaves a timer whose lock is
     * busy in the heap for its next round (its holder is running or runnable and releases it shortly). The
     * dedicated service thread of the other heaps is no carrier and waits for the lock.
     */
    public int runDue(long now) {
        boolean carrierSide = servicer != null;
        int ran = 0;
        while (true) {
            RuntimeTimer due;
            lock();
            try {
                if (size == 0 || whens[0] > now) {
                    return ran;
                }
                due = heap[0];
            } finally {
                unlock();
            }
            // Lock order: timer, then heap. Peek, lock the timer, then take it out if it is still in and due.
            if (carrierSide) {
                if (!due.tryLock()) {
                    return ran;
                }
            } else {
                due.lock();
            }
            boolean taken = false;
            int seq = 0;
            lock();
            try {
                int i = due.heapIndex;
                if (i >= 0 && whens[i] <= now) {
                    seq = due.heapSeq;
                    removeAt(i);
                    taken = true;
                }
            } finally {
                unlock();
            }
            if (!taken) {
                due.unlock(); // taken out or re-armed meanwhile: look again
                continue;
            }
            try {
                due.fireAndUnlock(seq);
            } catch (Throwable e) {
                // fire runs no user code on a servicer (function timers run in goroutines); anything thrown here
                // is a go4j bug or an OutOfMemoryError. Report it and keep servicing the other timers.
                Thread self = Thread.currentThread();
                self.getUncaughtExceptionHandler().uncaughtException(self, e);
            }
            ran++;
        }
    }

    /** Pending timers in this heap (for tests and diagnostics). */
    int size() {
        lock();
        try {
            return size;
        } finally {
            unlock();
        }
    }

    /** Array slots allocated (for tests: shows that churn does not grow the heap). */
    int capacity() {
        lock();
        try {
            return heap.length;
        } finally {
            unlock();
        }
    }

    /** Adds t (not in the heap) to run at {@code when}. Caller holds t's lock. */
    void add(RuntimeTimer t, long when) {
        Thread wake = null;
        Thread start = null;
        boolean tell = false;
        lock();
        try {
            assert t.heapIndex < 0;
            if (size == heap.length) {
                heap = Arrays.copyOf(heap, size * 2);
                whens = Arrays.copyOf(whens, size * 2);
            }
            int i = size++;
            heap[i] = t;
            whens[i] = when;
            siftUp(i);
            first = whens[0];
            if (servicer != null) {
                tell = t.heapIndex == 0;
            } else if (t.heapIndex == 0 && when < sleepUntil) {
                sleepUntil = when;
                if (thread == null) {
                    thread = start = Thread.ofPlatform().daemon().name("go4j-timer-" + id).unstarted(this);
                } else if (!wakePending) {
                    wakePending = true;
                    wake = thread;
                }
            }
        } finally {
            unlock();
        }
        if (start != null) {
            start.start(); // outside the spin lock; the thread reads the heap under it before it parks
        }
        if (wake != null) {
            LockSupport.unpark(wake);
        }
        if (tell) {
            servicer.timerAdded(when);
        }
    }

    /** Removes t if it is in this heap. Caller holds t's lock (or t is unreachable from users). */
    void remove(RuntimeTimer t) {
        lock();
        try {
            int i = t.heapIndex;
            if (i >= 0) {
                removeAt(i);
            }
        } finally {
            unlock();
        }
        // No need to wake the service thread: waking up early for a removed minimum only costs a spurious loop.
    }

    /** Requires this lock and 0 <= i < size. */
    private void removeAt(int i) {
        RuntimeTimer t = heap[i];
        t.heapIndex = -1;
        int last = --size;
        RuntimeTimer moved = heap[last];
        long movedWhen = whens[last];
        heap[last] = null;
        if (i != last) {
            heap[i] = moved;
            whens[i] = movedWhen;
            moved.heapIndex = i;
            if (i > 0 && movedWhen < whens[(i - 1) >> 2]) {
                siftUp(i);
            } else {
                siftDown(i);
            }
        }
        if (heap.length > INITIAL && size < heap.length / 4) {
            heap = Arrays.copyOf(heap, heap.length / 2);
            whens = Arrays.copyOf(whens, whens.length / 2);
        }
        first = size == 0 ? Long.MAX_VALUE : whens[0];
    }

    /** Go's {@code siftupTimer}: moves heap[i] up to its place. Requires this lock. */
    private void siftUp(int i) {
        RuntimeTimer[] h = heap;
        long[] w = whens;
        RuntimeTimer t = h[i];
        long when = w[i];
        while (i > 0) {
            int p = (i - 1) >> 2; // parent
            if (when >= w[p]) {
                break;
            }
            RuntimeTimer pt = h[p];
            h[i] = pt;
            w[i] = w[p];
            pt.heapIndex = i;
            i = p;
        }
        h[i] = t;
        w[i] = when;
        t.heapIndex = i;
    }

    /** Go's {@code siftdownTimer}: moves heap[i] down to its place. Requires this lock. */
    private void siftDown(int i) {
        RuntimeTimer[] h = heap;
        long[] w = whens;
        int n = size;
        RuntimeTimer t = h[i];
        long when = w[i];
        while (true) {
            int c = (i << 2) + 1; // first child
            if (c >= n) {
                break;
            }
            // the smallest of the up to four children c, c+1, c+2, c+3
            int m = c;
            long mw = w[c];
            int end = Math.min(c + 4, n);
            for (int k = c + 1; k < end; k++) {
                if (w[k] < mw) {
                    mw = w[k];
                    m = k;
                }
            }
            if (mw >= when) {
                break;
            }
            RuntimeTimer mt = h[m];
            h[i] = mt;
            w[i] = mw;
            mt.heapIndex = i;
            i = m;
        }
        h[i] = t;
        w[i] = when;
        t.heapIndex = i;
    }

    /** The service loop: run the due timers ({@link #runDue}), park until the next is due. */
    @Override
    public void run() {
        while (true) {
            runDue(RuntimeTimer.nanotime());
            long park;
            lock();
            try {
                wakePending = false;
                long now = RuntimeTimer.nanotime();
                if (size == 0) {
                    sleepUntil = Long.MAX_VALUE;
                    park = -1;
                } else if (whens[0] <= now) {
                    continue; // fell due meanwhile: run it first
                } else {
                    sleepUntil = whens[0];
                    park = whens[0] - now;
                }
            } finally {
                unlock();
            }
            if (park < 0) {
                LockSupport.park(this);
            } else {
                LockSupport.parkNanos(this, park);
            }
        }
    }
}
