package go4j.internal.timer;

import go4j.internal.Sched;

import java.lang.invoke.VarHandle;

/**
 * The slow path of the timer engine's spin locks ({@link TimerHeap}'s and {@link RuntimeTimer}'s int lock words: 0
 * free, 1 held), which carrier-side threads (Ms, sysmon) take or try instead of monitors.
 *
 * <p>Invariant kept by every holder: nothing parks while holding one of these locks. A holder may still be
 * unmounted for a while: a goroutine holding a timer's lock yields its carrier if it has to wait for the heap's or
 * a channel's lock. So a waiter spins, then yields ({@link Sched#goyield}: a goroutine lets the others of its P
 * run, among them perhaps the holder; a platform thread yields to the OS). Carrier-side threads never wait for a
 * timer's lock at all ({@link RuntimeTimer#tryLock}).
 */
final class SpinLocks {
    private SpinLocks() {}

    /** Spins before each yield, in {@code Thread.onSpinWait} rounds (the channel lock's figure). */
    private static final int SPINS = 128;

    /** Acquires the lock word {@code h} of {@code o} after a failed first CAS. */
    static void lockSlow(Object o, VarHandle h) {
        for (int spins = 0; ; spins++) {
            if ((int) h.getOpaque(o) == 0 && h.compareAndSet(o, 0, 1)) {
                return;
            }
            if (spins < SPINS) {
                Thread.onSpinWait();
            } else {
                spins = 0;
                Sched.goyield();
            }
        }
    }
}
