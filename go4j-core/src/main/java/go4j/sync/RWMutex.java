package go4j.sync;

import go4j.internal.WaitReason;
import go4j.internal.sync.Fatal;
import go4j.internal.sync.Sema;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Go's {@code sync.RWMutex}: a reader/writer mutual exclusion lock, held by any number of readers or one writer,
 * built as Go's {@code sync/rwmutex.go}.
 *
 * <h2>State</h2>
 * <ul>
 *   <li>{@link #w}: a {@link Mutex} held by the (pending or active) writer: writers are serialised by it.</li>
 *   <li>{@link #readerCount}: the number of readers holding or waiting for the read lock, minus
 *       {@link #RWMUTEX_MAX_READERS} while a writer is pending or active. A negative value therefore means "a writer
 *       is pending": new readers block on {@link #readerSem}. At most {@code RWMUTEX_MAX_READERS - 1} readers.</li>
 *   <li>{@link #readerWait}: the number of readers the pending writer still waits for (those that held the read
 *       lock when it announced itself); the last of them releases {@link #writerSem}.</li>
 * </ul>
 * A pending writer blocks new readers, so a writer cannot starve; readers that arrived before it finish first.
 * As in Go, the read lock must not be taken recursively: a pending writer between the two {@code rLock}s
 * deadlocks the reader.
 *
 * <h2>Misuse (Go's fatal errors)</h2>
 * {@code fatal error: sync: RUnlock of unlocked RWMutex} and {@code fatal error: sync: Unlock of unlocked RWMutex}
 * ({@link go4j.FatalError}, ending a {@link go4j.Go#run} program).
 *
 * <h2>Blocking</h2>
 * Readers park with {@code sync.RWMutex.RLock}, writers with {@code sync.RWMutex.Lock}; waits are not
 * interruptible (the interrupt is kept). Not owner-bound: any goroutine or thread may unlock.
 *
 * <p>Happens-before: the n-th {@link #unlock} happens before the (n+1)-th {@link #lock} returns and before every
 * {@link #rLock} that follows it returns; an {@link #rUnlock} happens before the {@link #lock} that waited for it
 * returns.
 */
public class RWMutex implements Locker {
    /** Go's {@code rwmutexMaxReaders}. */
    static final int RWMUTEX_MAX_READERS = 1 << 30;

    private static final VarHandle READER_COUNT;
    private static final VarHandle READER_WAIT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            READER_COUNT = l.findVarHandle(RWMutex.class, "readerCount", int.class);
            READER_WAIT = l.findVarHandle(RWMutex.class, "readerWait", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Held if there are pending writers. */
    private final Mutex w = new Mutex(WaitReason.SYNC_RWMUTEX_LOCK);
    /** Writers wait here for departing readers. */
    private final Sema writerSem = new Sema();
    /** Readers wait here for the completing writer. */
    private final Sema readerSem = new Sema();
    /** Pending readers, minus RWMUTEX_MAX_READERS while a writer is pending. */
    @SuppressWarnings("unused")
    private volatile int readerCount;
    /** Departing readers the pending writer waits for. */
    @SuppressWarnings("unused")
    private volatile int readerWait;
    private final Locker rLocker = new Locker() {
        @Override
        public void lock() {
            rLock();
        }

        @Override
        public void unlock() {
            rUnlock();
        }
    };
    private final Guard writeGuard = this::unlock;
    private final Guard readGuard = this::rUnlock;

    /**
     * Polls before parking on the reader/writer semaphores: a writer waits only for the readers inside their
     * (short) critical sections, readers only for one writer's; on the JVM a park/unpark costs microseconds, so a
     * short poll usually wins (the scheduler's spin policy still vetoes it when it cannot help).
     */
    private static final int HANDOFF_SPINS = Integer.getInteger("go4j.rwmutex.spins", go4j.internal.Sched.MULTICORE ? 100 : 0);

    /** An unlocked RWMutex (Go's zero value). */
    public RWMutex() {}

    /** Locks for reading; blocks while a writer holds or waits for the lock. Not recursive (see class doc). */
    public void rLock() {
        if ((int) READER_COUNT.getAndAdd(this, 1) + 1 < 0) {
            // A writer is pending: wait for it.
            readerSem.acquire(WaitReason.SYNC_RWMUTEX_RLOCK, false, HANDOFF_SPINS);
        }
    }

    /** Tries to lock for reading without blocking; false if a writer holds or waits for the lock. */
    public boolean tryRLock() {
        while (true) {
            int c = (int) READER_COUNT.getVolatile(this);
            if (c < 0) {
                return false;
            }
            if (READER_COUNT.compareAndSet(this, c, c + 1)) {
                return true;
            }
        }
    }

    /**
     * Undoes one {@link #rLock}.
     *
     * @throws go4j.FatalError {@code sync: RUnlock of unlocked RWMutex}
     */
    public void rUnlock() {
        int r = (int) READER_COUNT.getAndAdd(this, -1) - 1;
        if (r < 0) {
            // Outlined slow path: a writer is pending, or misuse.
            rUnlockSlow(r);
        }
    }

    private void rUnlockSlow(int r) {
        if (r + 1 == 0 || r + 1 == -RWMUTEX_MAX_READERS) {
            READER_COUNT.getAndAdd(this, 1); // undo, so that the lock stays consistent
            throw Fatal.fatal("sync: RUnlock of unlocked RWMutex");
        }
        // A writer is pending: the last departing reader unblocks it.
        if ((int) READER_WAIT.getAndAdd(this, -1) - 1 == 0) {
            writerSem.release(false);
        }
    }

    /** Locks for writing; blocks until no reader or writer holds the lock. */
    @Override
    public void lock() {
        // First, resolve competition with other writers.
        w.lock();
        // Announce to readers there is a pending writer.
        int r = (int) READER_COUNT.getAndAdd(this, -RWMUTEX_MAX_READERS);
        // Wait for active readers.
        if (r != 0 && (int) READER_WAIT.getAndAdd(this, r) + r != 0) {
            writerSem.acquire(WaitReason.SYNC_RWMUTEX_LOCK, false, HANDOFF_SPINS);
        }
    }

    /** Tries to lock for writing without blocking; false if any reader or writer holds or waits for the lock. */
    public boolean tryLock() {
        if (!w.tryLock()) {
            return false;
        }
        if (!READER_COUNT.compareAndSet(this, 0, -RWMUTEX_MAX_READERS)) {
            w.unlock();
            return false;
        }
        return true;
    }

    /**
     * Unlocks for writing, releasing the readers that queued behind the writer.
     *
     * @throws go4j.FatalError {@code sync: Unlock of unlocked RWMutex}
     */
    @Override
    public void unlock() {
        // Announce to readers there is no active writer.
        int r = (int) READER_COUNT.getAndAdd(this, RWMUTEX_MAX_READERS) + RWMUTEX_MAX_READERS;
        if (r >= RWMUTEX_MAX_READERS) {
            READER_COUNT.getAndAdd(this, -RWMUTEX_MAX_READERS); // undo
            throw Fatal.fatal("sync: Unlock of unlocked RWMutex");
        }
        // Unblock blocked readers, if any.
        for (int i = 0; i < r; i++) {
            readerSem.release(false);
        }
        // Allow other writers to proceed.
        w.unlock();
    }

    /** Write-locks and returns a guard that write-unlocks on close. */
    @Override
    public Guard locked() {
        lock();
        return writeGuard;
    }

    /** Read-locks and returns a guard that read-unlocks on close: {@code try (var r = rw.rLocked()) { ... }}. */
    public Guard rLocked() {
        rLock();
        return readGuard;
    }

    /** Go's {@code rw.RLocker()}: a {@link Locker} whose lock/unlock are {@link #rLock}/{@link #rUnlock}. */
    public Locker rLocker() {
        return rLocker;
    }

    @Override
    public String toString() {
        int c = (int) READER_COUNT.getVolatile(this);
        return c < 0 ? "RWMutex[writer, readers=" + (c + RWMUTEX_MAX_READERS) + "]" : "RWMutex[readers=" + c + "]";
    }
}
