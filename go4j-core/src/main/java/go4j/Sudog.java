package go4j;

import go4j.internal.Waiter;

/**
 * A waiting goroutine's entry in a channel's send or receive queue (Go's {@code sudog}). A plain send or receive
 * queues one Sudog that is its own {@link Waiter}; a goroutine blocked in a select has one Sudog per case, all
 * sharing the select's Waiter (see {@link Waiter#Waiter(Void)}).
 *
 * <p>{@link #elem}, {@link #success}, {@link #next} and {@link #prev} are guarded by the lock of the channel whose
 * queue holds the Sudog: they are written by the owner before it publishes the Sudog and by the waker that claimed
 * the waiter; the owner reads them after {@link Waiter#await} returns, which happens-after the waker's
 * {@link Waiter#wake()}. {@link #waitlink} is the owner's alone.
 */
final class Sudog extends Waiter {
    final Waiter waiter;
    /** The select case this entry stands for; -1 for a plain send or receive. */
    final int caseIndex;
    /**
     * For a send: the value to send (taken by the receiver). For a receive: the slot the sender writes the value
     * into. Cleared once consumed.
     */
    Object elem;
    /** True if woken by a communication, false if woken because the channel was closed (Go's sg.success). */
    boolean success;
    Sudog next;
    Sudog prev;
    /**
     * A select's entries, one per case in lock order, chained for its dequeue pass (Go's {@code sg.waitlink} on
     * {@code gp.waiting}); null for a plain send or receive.
     */
    Sudog waitlink;

    /** Wakes the owner, telling it this entry won (Go's {@code gp.param = sg; goready(gp)}). Call unlocked. */
    void ready() {
        waiter.result = this;
        waiter.wake();
    }

    /** A plain send's or receive's entry, its own {@link #waiter} (the calling thread's). */
    Sudog(Object elem) {
        super();
        this.waiter = this;
        this.caseIndex = -1;
        this.elem = elem;
    }

    /** A select case's entry; {@code waiter} is the select's, shared by all its entries. */
    Sudog(Waiter waiter, int caseIndex, Object elem) {
        super((Void) null);
        this.waiter = waiter;
        this.caseIndex = caseIndex;
        this.elem = elem;
    }
}
