package go4j.internal;

/**
 * Why a goroutine is waiting, with Go's wording ({@code runtime.waitReason} strings).
 *
 * <p>Every constant carries a park blocker whose class is named after the reason, so that a JDK thread dump
 * ({@code jcmd <pid> Thread.dump_to_file -format=json}, which prints blockers as {@code Class@hash}) reads as
 * {@code go4j.internal.Waiting$ChanReceive@1b2c3d4e}. The blockers are stateless singletons.
 */
public enum WaitReason {
    CHAN_RECEIVE("chan receive", new Waiting.ChanReceive()),
    CHAN_SEND("chan send", new Waiting.ChanSend()),
    CHAN_RECEIVE_NIL("chan receive (nil chan)", new Waiting.ChanReceiveNilChan()),
    CHAN_SEND_NIL("chan send (nil chan)", new Waiting.ChanSendNilChan()),
    SELECT("select", new Waiting.Select()),
    SELECT_NO_CASES("select (no cases)", new Waiting.SelectNoCases()),
    SLEEP("sleep", new Waiting.Sleep()),
    SYNC_MUTEX_LOCK("sync.Mutex.Lock", new Waiting.SyncMutexLock()),
    SYNC_RWMUTEX_RLOCK("sync.RWMutex.RLock", new Waiting.SyncRWMutexRLock()),
    SYNC_RWMUTEX_LOCK("sync.RWMutex.Lock", new Waiting.SyncRWMutexLock()),
    SYNC_WAITGROUP_WAIT("sync.WaitGroup.Wait", new Waiting.SyncWaitGroupWait()),
    SYNC_COND_WAIT("sync.Cond.Wait", new Waiting.SyncCondWait()),
    SEMACQUIRE("semacquire", new Waiting.Semacquire()),
    /** Waiting for a {@code sync.Once} / {@code singleflight} call made by another goroutine. */
    SYNC_ONCE("sync.Mutex.Lock", new Waiting.SyncOnce()),
    /** Parked by {@link go4j.Go#run} while the program's main goroutine runs (not a goroutine wait). */
    PROGRAM("program running", new Waiting.Program());

    private final String text;
    private final Object blocker;

    WaitReason(String text, Object blocker) {
        this.text = text;
        this.blocker = blocker;
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
