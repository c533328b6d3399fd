package go4j.sync;

import go4j.Go;
import go4j.Panic;
import go4j.internal.WaitReason;
import go4j.internal.sync.Sema;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Go's {@code sync.WaitGroup}: waits for a collection of goroutines to finish. The main goroutine calls
 * {@link #add} to set the number of goroutines to wait for; each of them calls {@link #done} when finished;
 * {@link #await} ({@code Wait} in Go — Java reserves {@code wait}) blocks until all have finished.
 * {@link #go(Runnable)} is Go 1.25's {@code wg.Go(f)}.
 *
 * <h2>State ({@link #state}, packed 64 bits, as Go's {@code wg.state})</h2>
 * <pre>
 *   bits 32..63  counter   (signed): outstanding add()s not yet done()
 *   bits  0..31  waiters   (unsigned): goroutines blocked in await() on {@link #sema}
 * </pre>
 * Adding to the counter and reading the waiter count is one atomic add, so the last {@code done} sees exactly
 * the waiters to release; it then resets the word to 0 <em>before</em> releasing them, and each released waiter
 * checks that the word is still 0 (otherwise the group was reused too early).
 *
 * <h2>Rules and panics (Go's)</h2>
 * <ul>
 *   <li>{@code sync: negative WaitGroup counter} — the counter went below zero.</li>
 *   <li>{@code sync: WaitGroup misuse: Add called concurrently with Wait} — a positive add starting from zero
 *       raced with waiters that were already blocked, or the state changed while the waiters were being
 *       released.</li>
 *   <li>{@code sync: WaitGroup is reused before previous Wait has returned} — a new {@code add} happened before
 *       every waiter of the previous round had returned.</li>
 * </ul>
 * These are {@link Panic}s (recoverable), as in Go.
 *
 * <h2>Blocking and interruption</h2>
 * {@link #await} parks with Go's wait reason {@code sync.WaitGroup.Wait}; it is not interruptible (Go has no
 * interrupts): an interrupt is kept and re-asserted on return. Works from goroutines and from any Java thread.
 *
 * <p>Happens-before: each {@link #done} (an {@code add} that brings the counter to zero) happens before any
 * {@link #await} it unblocks returns.
 */
public class WaitGroup {
    private static final int COUNTER_SHIFT = 32;
    private static final long WAITERS_MASK = 0xFFFF_FFFFL;
    private static final VarHandle STATE;
    private static final VarHandle SEMA;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(WaitGroup.class, "state", long.class);
            SEMA = l.findVarHandle(WaitGroup.class, "sema", Sema.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Packed: counter (high 32 bits, signed) and waiter count (low 32 bits); see the class comment. */
    @SuppressWarnings("unused")
    private volatile long state;
    /** Released once per waiter by the add that brings the counter to zero; created on first wait. */
    @SuppressWarnings("unused")
    private volatile Sema sema;

    /** A WaitGroup with counter zero (Go's zero value). */
    public WaitGroup() {}

    /**
     * Adds {@code delta} (may be negative) to the counter. When the counter reaches zero, every goroutine blocked
     * in {@link #await} is released. Calls with a positive delta that start when the counter is zero must happen
     * before an {@code await}; when a group is reused, new adds must happen after all previous awaits returned.
     *
     * @throws Panic {@code sync: negative WaitGroup counter}, or a misuse panic (see the class comment)
     */
    public void add(int delta) {
        long s = (long) STATE.getAndAdd(this, (long) delta << COUNTER_SHIFT) + ((long) delta << COUNTER_SHIFT);
        int v = (int) (s >> COUNTER_SHIFT);
        int w = (int) (s & WAITERS_MASK);
        if (v < 0) {
            throw new Panic("sync: negative WaitGroup counter");
        }
        if (w != 0 && delta > 0 && v == delta) {
            throw new Panic("sync: WaitGroup misuse: Add called concurrently with Wait");
        }
        if (v > 0 || w == 0) {
            return;
        }
        // The counter is 0 and there are waiters. Nobody may change the state now: adds must not happen
        // concurrently with await, and await does not bump waiters while the counter is 0. A cheap misuse check:
        if ((long) STATE.getVolatile(this) != s) {
            throw new Panic("sync: WaitGroup misuse: Add called concurrently with Wait");
        }
        // Reset the waiter count to 0, then release them.
        STATE.setVolatile(this, 0L);
        Sema sm = sema();
        for (; w != 0; w--) {
            sm.release(false);
        }
    }

    /** Decrements the counter by one ({@code add(-1)}). */
    public void done() {
        add(-1);
    }

    /**
     * Blocks until the counter is zero (returns at once if it is).
     *
     * @throws Panic {@code sync: WaitGroup is reused before previous Wait has returned}
     */
    public void await() {
        while (true) {
            long s = (long) STATE.getVolatile(this);
            if ((int) (s >> COUNTER_SHIFT) == 0) {
                return; // counter is 0: no need to wait
            }
            // Increment the waiter count.
            if (STATE.compareAndSet(this, s, s + 1)) {
                sema().acquire(WaitReason.SYNC_WAITGROUP_WAIT, false, 0);
                if ((long) STATE.getVolatile(this) != 0) {
                    throw new Panic("sync: WaitGroup is reused before previous Wait has returned");
                }
                return;
            }
        }
    }

    /**
     * Go 1.25's {@code wg.Go(f)}: {@code add(1)}, then runs {@code f} in a new goroutine that calls {@link #done}
     * when {@code f} returns or panics (the panic then continues: it ends the goroutine as any unrecovered panic).
     */
    public void go(Runnable f) {
        add(1);
        Go.go(() -> {
            try {
                f.run();
            } finally {
                done();
            }
        });
    }

    /** The current counter (diagnostics and tests; Go has no such method). */
    public int count() {
        return (int) ((long) STATE.getVolatile(this) >> COUNTER_SHIFT);
    }

    /** The number of goroutines blocked in {@link #await} (diagnostics and tests). */
    public int waiters() {
        return (int) ((long) STATE.getVolatile(this) & WAITERS_MASK);
    }

    /** Test hook: overwrites the state word (to reproduce racy interleavings deterministically). */
    void setStateForTest(int counter, int waiters) {
        STATE.setVolatile(this, ((long) counter << COUNTER_SHIFT) | (waiters & WAITERS_MASK));
    }

    /** Test hook: releases one waiter without touching the state (the second half of a zero-reaching add). */
    void releaseOneForTest() {
        sema().release(false);
    }

    private Sema sema() {
        Sema s = (Sema) SEMA.getAcquire(this);
        if (s == null) {
            Sema created = new Sema();
            s = (Sema) SEMA.compareAndExchange(this, null, created);
            if (s == null) {
                s = created;
            }
        }
        return s;
    }

    @Override
    public String toString() {
        return "WaitGroup[counter=" + count() + ", waiters=" + waiters() + "]";
    }
}
