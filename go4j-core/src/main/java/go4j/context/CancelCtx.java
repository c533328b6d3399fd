package go4j.context;

import go4j.Chan;
import go4j.Go;
import go4j.Panic;
import go4j.RecvChan;
import go4j.internal.G;
import go4j.internal.Program;
import go4j.internal.TimerChans;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static go4j.Select.recv;
import static go4j.Select.select;

/**
 * Go's {@code cancelCtx} ({@code context.go}): a context that can be cancelled, and cancels its children when it
 * is. Also home of the tree machinery: {@link #propagateCancel}, {@link #parentCancelCtx}, {@link #removeChild}
 * and the {@link #value} walk.
 *
 * <h2>Lock and invariants</h2>
 * The context's monitor ({@code synchronized (this)}, Go's {@code c.mu}) guards {@link #firstChild} (and the
 * sibling links of its children),
 * {@link #cause}, the creation of {@link #done} and every write of {@link #closing} and {@link #err}.
 * <ul>
 *   <li>The first cancel, under the lock, sets {@code closing}, the cause, closes {@code done} (or installs the
 *       shared closed channel if nobody asked for one yet), publishes {@code err}, cancels every child and drops
 *       the children set. Later cancels see {@code err != null} and return.</li>
 *   <li>{@code err} is published after {@code done} is closed, so a non-null {@link #err()} implies a closed
 *       {@link #done()}. A reader that saw {@code done} closed but {@code err} still null saw {@code closing}
 *       set before the close; it then takes the lock, which the cancel holds until {@code err} is set: so a closed
 *       {@code done} implies a non-null {@code err()} too (TestContextErrDoneRace).</li>
 *   <li>{@link #done} belongs to {@link #home}, the run that made this context (null: made outside any run, or
 *       under a cancellable parent of another run, or under a custom {@link AfterFuncer} parent), whichever
 *       goroutine asks for it first: deadlock detection counts a goroutine waiting on it as asleep only in that
 *       run, whose pending deadline timers and goroutines are the only things that can cancel it there.</li>
 *   <li>Lock order: parent before child (cancel holds the parent's lock while it cancels a child, as Go's).
 *       Removal from the parent happens after the child's lock is released.</li>
 * </ul>
 */
class CancelCtx implements CancelCauseContext {
    /** Go's {@code &cancelCtxKey}: value(CANCEL_CTX_KEY) returns the nearest CancelCtx ancestor. */
    static final Object CANCEL_CTX_KEY = new Object() {
        @Override
        public String toString() {
            return "cancelCtxKey";
        }
    };

    /** Go's {@code closedchan}: reused as done of contexts cancelled before anybody asked for done. */
    static final Chan<Void> CLOSED_CHAN = Chan.make();

    /** Watcher goroutines started for custom parents (Go's {@code goroutines}, for tests). */
    static final AtomicInteger GOROUTINES = new AtomicInteger();

    private static final VarHandle DONE;

    static {
        CLOSED_CHAN.close();
        try {
            DONE = MethodHandles.lookup().findVarHandle(CancelCtx.class, "done", Chan.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The parent (Go's embedded Context); replaced by a {@link StopCtx} when registered through an AfterFuncer. */
    volatile Context parent;
    /** Created lazily by {@link #done()} (acquire/release through DONE), closed by the first cancel. */
    @SuppressWarnings("unused")
    private volatile Chan<Void> done;
    /**
     * Go's {@code children} set, as an intrusive doubly linked list through {@link #prevSibling}/
     * {@link #nextSibling} (O(1) add and remove without hashing or allocation). Guarded by this; null while there
     * are no children and after the first cancel.
     */
    private CancelCtx firstChild;
    /** The context whose child list holds this one, or null; with the sibling links guarded by that parent. */
    private CancelCtx listedIn;
    private CancelCtx prevSibling;
    private CancelCtx nextSibling;
    /** Set (under the lock) when the first cancel begins, before done is closed. */
    private volatile boolean closing;
    /** Set (under the lock) by the first cancel, after done is closed. */
    private volatile Throwable err;
    /** Guarded by this; set by the first cancel. */
    private Throwable cause;
    /**
     * The run whose goroutines (and deadline timers) may cancel this context, or null; owner of {@link #done} (see
     * the invariants). Set by the creating thread before the context is published.
     */
    private Program home;

    CancelCtx() {
        G g = G.current();
        home = g == null ? null : g.program;
    }

    static void requireParent(Context parent) {
        if (parent == null) {
            throw new Panic("cannot create context from nil parent");
        }
    }

    /** Go's {@code withCancel}. */
    static CancelCtx withCancel(Context parent) {
        requireParent(parent);
        CancelCtx c = new CancelCtx();
        c.propagateCancel(parent, c);
        return c;
    }

    // ------------------------------------------------------------------------------------------ Context

    @Override
    public Optional<Instant> deadline() {
        return parent.deadline();
    }

    @Override
    public RecvChan<Void> done() {
        Chan<Void> d = done;
        if (d != null) {
            return d;
        }
        synchronized (this) {
            d = done;
            if (d == null) {
                G g = G.current();
                Program mine = g == null ? null : g.program;
                d = mine == home ? Chan.make() : TimerChans.get().<Void>newChanOf(home);
                done = d;
            }
            return d;
        }
    }

    @Override
    public Throwable err() {
        Throwable e = err;
        if (e != null || !closing) {
            return e;
        }
        synchronized (this) { // a cancel is in progress: wait for it to publish err
            return err;
        }
    }

    @Override
    public Object value(Object key) {
        if (key == CANCEL_CTX_KEY) {
            return this;
        }
        return value(parent, key);
    }

    @Override
    public void cancel(Throwable cause) {
        cancel(true, Canceled, cause);
    }

    @Override
    public String toString() {
        return contextName(parent) + ".WithCancel";
    }

    // ------------------------------------------------------------------------------------------ the tree

    /**
     * Go's {@code cancelCtx.cancel}: closes done, cancels each child, and if removeFromParent removes this context
     * from its parent's children. The first call wins; the cause defaults to err.
     */
    void cancel(boolean removeFromParent, Throwable err, Throwable cause) {
        if (err == null) {
            throw new Panic("context: internal error: missing cancel error");
        }
        if (cause == null) {
            cause = err;
        }
        synchronized (this) {
            if (closing) {
                return; // already cancelled
            }
            closing = true;
            this.cause = cause;
            Chan<Void> d = done;
            if (d == null) {
                done = CLOSED_CHAN;
            } else {
                d.close();
            }
            this.err = err;
            CancelCtx child = firstChild;
            firstChild = null;
            while (child != null) {
                CancelCtx next = child.nextSibling;
                child.listedIn = null;
                child.prevSibling = null;
                child.nextSibling = null;
                // NOTE: acquiring the child's lock while holding the parent's lock (Go's order).
                child.cancel(false, err, cause);
                child = next;
            }
        }
        if (removeFromParent) {
            removeChild(parent, this);
        }
    }

    /** Go's {@code propagateCancel}: sets the parent and arranges for child to be cancelled when it is. */
    final void propagateCancel(Context p, CancelCtx child) {
        parent = p;
        if (p instanceof AfterFuncer
                || (p.value(CANCEL_CTX_KEY) instanceof CancelCtx pc0 && pc0.home != child.home)) {
            child.home = null; // may be cancelled from outside the child's run: never asleep on its done
        }
        RecvChan<Void> pdone = p.done();
        if (isNilChan(pdone)) {
            return; // the parent is never cancelled
        }
        if (pdone.tryRecv() != null) {
            // the parent is already cancelled
            child.cancel(false, p.err(), cause(p));
            return;
        }
        CancelCtx pc = parentCancelCtx(p);
        if (pc != null) {
            // the parent is a CancelCtx, or derives from one
            synchronized (pc) {
                if (pc.closing) {
                    child.cancel(false, pc.err, pc.cause);
                } else {
                    pc.addChildLocked(child);
                }
            }
            return;
        }
        if (p instanceof AfterFuncer a) {
            // the parent implements an afterFunc method
            synchronized (this) {
                StopFunc stop = a.afterFunc(() -> child.cancel(false, p.err(), cause(p)));
                parent = new StopCtx(p, stop);
            }
            return;
        }
        GOROUTINES.incrementAndGet();
        Go.go(() -> {
            RecvChan<Void> cdone = child.done();
            if (select(recv(p.done()), recv(cdone)) == 0) {
                child.cancel(false, p.err(), cause(p));
            }
        });
    }

    private static boolean isNilChan(RecvChan<Void> c) {
        return c == null || (c instanceof Chan<Void> ch && ch.isNil());
    }

    /**
     * Go's {@code parentCancelCtx}: the underlying CancelCtx of parent, found through value(CANCEL_CTX_KEY), if
     * parent's done is that context's done (so a custom context wrapping a CancelCtx but with its own done channel
     * is not mistaken for it).
     */
    static CancelCtx parentCancelCtx(Context parent) {
        RecvChan<Void> d = parent.done();
        if (d == CLOSED_CHAN || isNilChan(d)) {
            return null;
        }
        if (!(parent.value(CANCEL_CTX_KEY) instanceof CancelCtx p)) {
            return null;
        }
        if (p.done != d) {
            return null;
        }
        return p;
    }

    /** Go's {@code removeChild}. */
    static void removeChild(Context parent, CancelCtx child) {
        if (parent instanceof StopCtx s) {
            s.stop.stop();
            return;
        }
        CancelCtx p = parentCancelCtx(parent);
        if (p == null) {
            return;
        }
        synchronized (p) {
            p.removeChildLocked(child);
        }
    }

    /** Requires this lock; child is in no list. */
    private void addChildLocked(CancelCtx child) {
        CancelCtx head = firstChild;
        child.listedIn = this;
        child.prevSibling = null;
        child.nextSibling = head;
        if (head != null) {
            head.prevSibling = child;
        }
        firstChild = child;
    }

    /** Requires this lock. Unlinks child if it is still in this context's list. */
    private void removeChildLocked(CancelCtx child) {
        if (child.listedIn != this) {
            return; // never added, or already dropped by this context's cancel
        }
        CancelCtx prev = child.prevSibling;
        CancelCtx next = child.nextSibling;
        if (prev == null) {
            firstChild = next;
        } else {
            prev.nextSibling = next;
        }
        if (next != null) {
            next.prevSibling = prev;
        }
        child.listedIn = null;
        child.prevSibling = null;
        child.nextSibling = null;
    }

    /** The number of registered children (for tests). */
    synchronized int childCount() {
        int n = 0;
        for (CancelCtx c = firstChild; c != null; c = c.nextSibling) {
            n++;
        }
        return n;
    }

    /** Go's {@code Cause}. */
    static Throwable cause(Context c) {
        if (c.value(CANCEL_CTX_KEY) instanceof CancelCtx cc) {
            synchronized (cc) {
                return cc.cause;
            }
        }
        // No CancelCtx above c: c is not a descendant of a cancelled WithCancelCause context; a custom context may
        // still have an error without a cause.
        return c.err();
    }

    /** Go's {@code value}: walks the built-in contexts iteratively, delegating to custom ones. */
    static Object value(Context c, Object key) {
        while (true) {
            if (c instanceof ValueCtx v) {
                if (v.key.equals(key)) {
                    return v.val;
                }
                c = v.parent;
            } else if (c instanceof CancelCtx cc) {
                if (key == CANCEL_CTX_KEY) {
                    return cc;
                }
                c = cc.parent;
            } else if (c instanceof WithoutCancelCtx w) {
                if (key == CANCEL_CTX_KEY) {
                    return null; // Cause(ctx) is nil for a context made by WithoutCancel
                }
                c = w.parent;
            } else if (c instanceof EmptyCtx) {
                return null;
            } else {
                return c.value(key);
            }
        }
    }

    /** Go's {@code contextName}: a Stringer's String(), else the type's name. */
    static String contextName(Context c) {
        return hasOwnToString(c) ? c.toString() : c.getClass().getName();
    }

    /** Whether v's class overrides Object.toString (Java's "implements fmt.Stringer"). */
    static boolean hasOwnToString(Object v) {
        try {
            return v.getClass().getMethod("toString").getDeclaringClass() != Object.class;
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
