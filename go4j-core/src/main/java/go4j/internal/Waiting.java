package go4j.internal;

/**
 * Park blockers, one class per {@link WaitReason}: their names are what JDK thread dumps show for a goroutine
 * parked inside go4j. Instances carry no state; {@link #toString()} gives Go's wait reason.
 */
public final class Waiting {
    private Waiting() {}

    /** Base of all blockers: {@code toString} is Go's wait-reason text. */
    public abstract static class Blocker {
        private final String reason;

        Blocker(String reason) {
            this.reason = reason;
        }

        @Override
        public String toString() {
            return reason;
        }
    }

    public static final class ChanReceive extends Blocker { ChanReceive() { super("chan receive"); } }
    public static final class ChanSend extends Blocker { ChanSend() { super("chan send"); } }
    public static final class ChanReceiveNilChan extends Blocker { ChanReceiveNilChan() { super("chan receive (nil chan)"); } }
    public static final class ChanSendNilChan extends Blocker { ChanSendNilChan() { super("chan send (nil chan)"); } }
    public static final class Select extends Blocker { Select() { super("select"); } }
    public static final class SelectNoCases extends Blocker { SelectNoCases() { super("select (no cases)"); } }
    public static final class Sleep extends Blocker { Sleep() { super("sleep"); } }
    public static final class SyncMutexLock extends Blocker { SyncMutexLock() { super("sync.Mutex.Lock"); } }
    public static final class SyncRWMutexRLock extends Blocker { SyncRWMutexRLock() { super("sync.RWMutex.RLock"); } }
    public static final class SyncRWMutexLock extends Blocker { SyncRWMutexLock() { super("sync.RWMutex.Lock"); } }
    public static final class SyncWaitGroupWait extends Blocker { SyncWaitGroupWait() { super("sync.WaitGroup.Wait"); } }
    public static final class SyncCondWait extends Blocker { SyncCondWait() { super("sync.Cond.Wait"); } }
    public static final class Semacquire extends Blocker { Semacquire() { super("semacquire"); } }
    public static final class SyncOnce extends Blocker { SyncOnce() { super("sync.Once"); } }
    public static final class Program extends Blocker { Program() { super("program running"); } }
}
