package go4j;

import go4j.internal.Sched;

/**
 * Thrown by a go4j blocking operation when the blocked thread is interrupted ({@link Thread#interrupt()}) before
 * the operation completed. The operation then did nothing: the thread's waiter was removed from every queue, no
 * value was sent or received, no lock was taken. As with {@link InterruptedException}, the interrupt status is
 * cleared when this is thrown. An interrupt that arrives after the operation already completed does not undo it:
 * the operation returns normally and the interrupt status stays set.
 *
 * <p>Go has no interrupts; this is how go4j serves Java code (executors, shutdown hooks, {@link Go#run}'s
 * clean-up of a finished program) that interrupts threads blocked in channels or locks.
 */
public class GoInterruptedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GoInterruptedException() {
        super("interrupted while blocked in a go4j operation");
    }

    /** Clears the current thread's interrupt status and returns the exception to throw. */
    public static GoInterruptedException clearAndCreate() {
        Sched.interrupted();
        return new GoInterruptedException();
    }
}
