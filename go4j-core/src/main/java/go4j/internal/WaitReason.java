package go4j.internal;

/**
 * Why a goroutine is waiting, with Go's wording ({@code runtime.waitReason} strings).
 *
 * <p>Every constant carries a park blocker whose class is named after the reason, so that a JDK thread dump
 * ({@code jcmd <pid> Thread.dump_to_file -format=json}, which prints blockers as {@code Class@hash}) reads as
 * {@code go4j.internal.Waiting$ChanReceive@1b2c3d4e}. The blockers are stateless singletons.
 *
 * <p>Each reason also says whether it is {@link #asleep()} for deadlock detection.
 */
public enum WaitReason {
    CHAN_RECEIVE("chan receive", true, new Waiting.ChanReceive()),
    CHAN_SEND("chan send", true, new Waiting.ChanSend()),
    CHAN_RECEIVE_NIL("chan receive (nil chan)", true, new Waiting.ChanReceiveNilChan()),
    CHAN_SEND_NIL("chan send (nil chan)", true, new Waiting.ChanSendNilChan()),
    SELECT("select", true, new Waiting.Select()),
    SELECT_NO_CASES("select (no cases)", true, new Waiting.SelectNoCases()),
    SLEEP("sleep", false, new Waiting.Sleep()),
    SYNC_MUTEX_LOCK("sync.Mutex.Lock", true, new Waiting.SyncMutexLock()),
    SYNC_RWMUTEX_RLOCK("sync.RWMutex.RLock", true, new Waiting.SyncRWMutexRLock()),
    SYNC_RWMUTEX_LOCK("sync.RWMutex.Lock", true, new Waiting.SyncRWMutexLock()),
    SYNC_WAITGROUP_WAIT("sync.WaitGroup.Wait", true, new Waiting.SyncWaitGroupWait()),
    SYNC_COND_WAIT("sync.Cond.Wait", true, new Waiting.SyncCondWait()),
    SEMACQUIRE("semacquire", true, new Waiting.Semacquire()),
    /** Waiting for a {@code sync.Once} / {@code singleflight} call made by another goroutine. */
    SYNC_ONCE("sync.Mutex.Lock", true, new Waiting.SyncOnce()),
    /** Parked by {@link go4j.Go#run} while the program's main goroutine runs (not a goroutine wait). */
    PROGRAM("program running", false, new Waiting.Program());

    private final String text;
    private final boolean asleep;
    private final Object blocker;

    WaitReason(String text, boolean asleep, Object blocker) {
        this.text = text;
        this.asleep = asleep;
        this.blocker = blocker;
    }

    /**
     * Whether a goroutine waiting for this reason, without a deadline, is <em>asleep</em> for deadlock detection
     * (Go's {@code checkdead}): only another goroutine can wake it (channels, select, nil channels, {@code select {}},
     * sync primitives). {@code sleep} is not asleep: time wakes it. A wait with a deadline is never asleep,
     * whatever its reason (see {@link Liveness}).
     */
    public boolean asleep() {
        return asleep;
    }

    /** Go's text for this reason, as printed in {@code goroutine N [text]:}. */
    public String text() {
        return text;
    }

    /** The object passed to {@link java.util.concurrent.locks.LockSupport#park(Object)}. */
    public Object blocker() {
        return blocker;
    }

    @Override
    public String toString() {
        return text;
    }
}
