package go4j.sync.workerpool;

import go4j.Go;
import go4j.GoInterruptedException;
import go4j.Panic;
import go4j.RuntimeError;
import go4j.context.CancelCauseContext;
import go4j.context.Context;
import go4j.context.StopFunc;
import go4j.internal.WaitReason;
import go4j.internal.Waiter;
import go4j.sync.Mutex;
import go4j.sync.errgroup.Task;

import java.util.ArrayDeque;

/**
 * A bounded goroutine pool: at most {@code maxWorkers} tasks run at once, at most {@code queueCapacity} more wait
 * in a queue, and {@link #submit} blocks (back-pressure) while the queue is full. It answers "how do I limit the
 * number of goroutines, and have main wait for all of them?" with one object that also surfaces errors and panics
 * and can be shut down through a {@link Context}.
 *
 * <pre>{@code
 * try (WorkerPool pool = WorkerPool.create(8, 64)) {       // 8 goroutines at most, 64 queued tasks at most
 *     for (String url : urls) {
 *         pool.submit(() -> fetch(url));                    // blocks while 64 tasks are already queued
 *     }
 * }                                                         // close(): no more submits; waits for every task
 * }</pre>
 *
 * <h2>Three ways to bound goroutines in Go, and in go4j</h2>
 * <ol>
 *   <li><b>A buffered channel as a semaphore, plus a WaitGroup</b> — the idiom of Go code without x/sync; one
 *       goroutine per task, and the channel lets at most {@code n} past:
 *       <pre>{@code
 * Chan<Object> sem = Chan.make(n);
 * WaitGroup wg = new WaitGroup();
 * for (String url : urls) {
 *     sem.send(TOKEN);                    // blocks while n tasks run
 *     wg.add(1);
 *     Go.go(() -> {
 *         try { fetch(url); } finally { sem.recv(); wg.done(); }
 *     });
 * }
 * wg.await();
 * }</pre>
 *       Errors and cancellation are yours to add (a mutex-guarded first error, a context).</li>
 *   <li><b>{@link go4j.sync.errgroup.Group#setLimit}</b> — the same shape with the first error, and with
 *       {@code withContext} the cancellation of the siblings, built in:
 *       <pre>{@code
 * Group g = Group.withContext(ctx);
 * g.setLimit(n);
 * for (String url : urls) {
 *     g.go(() -> fetch(g.context(), url));   // blocks while n tasks run
 * }
 * Throwable err = g.await();
 * }</pre></li>
 *   <li><b>This pool</b> — a fixed set of at most {@code n} worker goroutines draining a bounded queue.</li>
 * </ol>
 * When to choose which: for a batch whose size you know and where the first error should cancel the rest, use
 * {@code errgroup} with {@code setLimit} — it is the idiom Go reviewers expect. Use the channel-semaphore when you
 * need nothing else (no errors) or are porting code that already does it. Use the pool when tasks arrive over time
 * from producers that must be slowed down rather than blocked one by one (the queue absorbs bursts; producers block
 * only when it is full), when the goroutines should be reused across many small tasks (one goroutine per
 * {@code maxWorkers}, not per task), when a panic in one task must not kill the program but be reported to the
 * owner, or when submissions themselves must honour a deadline ({@link #submit(Context, Task)}).
 *
 * <h2>Semantics</h2>
 * <ul>
 *   <li>Workers are goroutines started on demand, up to {@code maxWorkers}, by the submitting goroutine (they
 *       belong to its {@link Go#run} program); a worker runs its task, then takes the next from the queue, and
 *       exits when there is none. An idle pool has no goroutines.</li>
 *   <li>Order: tasks start in submission order (FIFO queue); submitters blocked on a full queue are admitted FIFO,
 *       and no later submission overtakes them.</li>
 *   <li>Errors are values ({@link Task} returns its error, as Go's {@code func() error}): the first error is kept and
 *       returned by {@link #await()}; with {@link #withContext} it also cancels the pool's context (as errgroup's
 *       {@code withContext}).</li>
 *   <li>Panics: a task that throws does not kill the worker or the program; the first panic is kept and
 *       {@link #await()} / {@link #close()} re-panic with a {@link TaskPanic} (original value and stack). With a
 *       context, a panic also cancels it. (errgroup, as Go's x/sync, lets a panic crash the program instead.)</li>
 *   <li>Context-aware shutdown ({@link #withContext}): when the pool's context is cancelled (the parent is, or a
 *       task failed), queued tasks that have not started are dropped and counted by {@link #skipped()}; blocked and
 *       later submits return the context's error instead of accepting the task; running tasks are not interrupted
 *       (they should watch {@link #context()}). {@link #await()} then returns the first task error, or if there is
 *       none and tasks were dropped, {@link Context#cause(Context)} of the pool's context.</li>
 *   <li>{@link #close()}: no more submissions (a later {@code submit} panics {@code workerpool: submit on closed
 *       pool}); waits until every accepted task — queued or blocked in {@code submit} — has run; then cancels the
 *       pool's context. Nothing accepted is lost. Idempotent.</li>
 * </ul>
 *
 * <h2>Blocking and interruption</h2>
 * {@link #submit} blocks with Go's wait reason {@code chan send} (the Go equivalent sends to a jobs channel);
 * {@link #await()} with {@code sync.WaitGroup.Wait}. Both throw {@link GoInterruptedException} if the caller is
 * interrupted while blocked (the task is then not submitted). A task must not {@code close()} or {@code await()} its
 * own pool (it would wait for itself), and a task that {@code submit}s to its own full pool may deadlock.
 *
 * <p>Happens-before: a submit that accepts a task happens before the task runs; a task's completion happens before
 * the {@code await} (or {@code close}) that observes it returns.
 */
public final class WorkerPool implements AutoCloseable {

    /**
     * A goroutine blocked in {@link #submit} (with its task) or in {@link #await()} (task null). Linked in one
     * {@link NodeList}; {@code prev}/{@code next}/{@code linked} are guarded by {@link #lock}. The waker claims
     * {@link #waiter}, unlinks the node and sets {@code waiter.result}: null (admitted / pool idle) or the error
     * that rejected the submission.
     */
    private static final class Node {
        final Waiter waiter = new Waiter();
        final Task task;
        Node prev;
        Node next;
        boolean linked;

        Node(Task task) {
            this.task = task;
        }
    }

    /** A FIFO of nodes with O(1) removal. Guarded by {@link #lock}. */
    private static final class NodeList {
        Node head;
        Node tail;

        boolean isEmpty() {
            return head == null;
        }

        void add(Node n) {
            n.prev = tail;
            n.next = null;
            if (tail == null) {
                head = n;
            } else {
                tail.next = n;
            }
            tail = n;
            n.linked = true;
        }

        /** Unlinks n if it is still linked (idempotent: the owner and a waker may both try). */
        void remove(Node n) {
            if (!n.linked) {
                return;
            }
            if (n.prev == null) {
                head = n.next;
            } else {
                n.prev.next = n.next;
            }
            if (n.next == null) {
                tail = n.prev;
            } else {
                n.next.prev = n.prev;
            }
            n.prev = null;
            n.next = null;
            n.linked = false;
        }

        /** Unlinks and returns the first node whose waiter this call claims; null if none. */
        Node pollClaimed() {
            Node n;
            while ((n = head) != null) {
                remove(n);
                if (n.waiter.tryClaim()) {
                    return n;
                }
                // its owner gave up (interrupted / its context ended) and will find it unlinked
            }
            return null;
        }
    }

    private final int maxWorkers;
    private final int queueCapacity;
    /** The pool's own context (cancelled on the first failure and by close); null for {@link #create}. */
    private final CancelCauseContext ctx;
    /** Stops the watch that runs {@link #onCancel} when {@link #ctx} is cancelled; null without a context. */
    private StopFunc cancelWatch;

    /** Guards every field below. Held only for queue and counter updates, never while a task runs. */
    private final Mutex lock = new Mutex();
    /**
     * Tasks accepted and not yet started. Invariants: non-empty implies {@code workers == maxWorkers}; its size is
     * at most {@code queueCapacity}; {@link #submitters} non-empty implies the queue is full.
     */
    private final ArrayDeque<Task> queue = new ArrayDeque<>();
    /** Live worker goroutines, at most {@code maxWorkers}; 0 means the pool is idle. */
    private int workers;
    /** Goroutines blocked in submit because the queue is full, FIFO. */
    private final NodeList submitters = new NodeList();
    /** Goroutines blocked in await, all released when the pool becomes idle. */
    private final NodeList awaiters = new NodeList();
    private boolean closed;
    private Throwable firstErr;
    private TaskPanic firstPanic;
    private long submitted;
    private long completed;
    private long skipped;

    private WorkerPool(int maxWorkers, int queueCapacity, CancelCauseContext ctx) {
        if (maxWorkers < 1) {
            throw new IllegalArgumentException("workerpool: maxWorkers must be at least 1, got " + maxWorkers);
        }
        if (queueCapacity < 0) {
            throw new IllegalArgumentException("workerpool: negative queueCapacity " + queueCapacity);
        }
        this.maxWorkers = maxWorkers;
        this.queueCapacity = queueCapacity;
        this.ctx = ctx;
    }

    /**
     * A pool of at most {@code maxWorkers} concurrently running tasks and at most {@code queueCapacity} queued ones
     * ({@code 0}: every submit waits until a worker takes its task, a hand-off).
     *
     * @throws IllegalArgumentException if {@code maxWorkers < 1} or {@code queueCapacity < 0}
     */
    public static WorkerPool create(int maxWorkers, int queueCapacity) {
        return new WorkerPool(maxWorkers, queueCapacity, null);
    }

    /**
     * As {@link #create}, with a context derived from {@code parent} ({@link #context()}): it is cancelled when the
     * parent is, when a task returns an error (that error is its cause) or panics, and when the pool is closed.
     * Cancellation drops the queued tasks and rejects submissions (see the class comment).
     */
    public static WorkerPool withContext(Context parent, int maxWorkers, int queueCapacity) {
        WorkerPool p = new WorkerPool(maxWorkers, queueCapacity, Context.withCancelCause(parent));
        p.cancelWatch = Context.afterFunc(p.ctx, p::onCancel);
        return p;
    }

    /** The pool's context for its tasks to watch; {@link Context#background()} for a pool made by {@link #create}. */
    public Context context() {
        return ctx == null ? Context.background() : ctx;
    }

    /**
     * Submits a task, blocking while the queue is full. Returns {@code null} when the task was accepted (it will
     * run), or — for a pool made by {@link #withContext} whose context is done — that context's error, without
     * accepting the task.
     *
     * @throws Panic {@code workerpool: submit on closed pool}
     * @throws RuntimeError {@code invalid memory address or nil pointer dereference} for a null task
     * @throws GoInterruptedException if interrupted while blocked (the task was not accepted)
     */
    public Throwable submit(Task task) {
        return submit(null, task);
    }

    /**
     * As {@link #submit(Task)}, and gives up when {@code waitCtx} is done first: then returns {@code waitCtx.err()}
     * and the task is not accepted. As Go's {@code semaphore.Acquire}, an already-done {@code waitCtx} fails even if
     * there is room. A null {@code waitCtx} never ends.
     */
    public Throwable submit(Context waitCtx, Task task) {
        if (task == null) {
            throw new RuntimeError("invalid memory address or nil pointer dereference");
        }
        Node node;
        lock.lock();
        try {
            if (closed) {
                throw new Panic("workerpool: submit on closed pool");
            }
            Throwable err = ctx == null ? null : ctx.err();
            if (err == null && waitCtx != null) {
                err = waitCtx.err();
            }
            if (err != null) {
                return err;
            }
            if (workers < maxWorkers) {
                workers++;
                submitted++;
                node = null;
            } else if (queue.size() < queueCapacity && submitters.isEmpty()) {
                queue.addLast(task);
                submitted++;
                return null;
            } else {
                node = new Node(task);
                submitters.add(node);
            }
        } finally {
            lock.unlock();
        }
        if (node == null) {
            Go.go(() -> work(task));
            return null;
        }
        return submitSlow(node, waitCtx);
    }

    /** Blocks the submitter of {@code node} until a worker admits its task, waitCtx ends, or the pool's does. */
    private Throwable submitSlow(Node node, Context waitCtx) {
        StopFunc stop = null;
        if (waitCtx != null && waitCtx.done() != null) {
            stop = Context.afterFunc(waitCtx, () -> reject(node, waitCtx.err()));
        }
        int r = node.waiter.await(WaitReason.CHAN_SEND, 0, 0);
        if (stop != null) {
            stop.stop();
        }
        if (r == Waiter.WOKE) {
            return (Throwable) node.waiter.result;
        }
        lock.lock();
        try {
            submitters.remove(node);
        } finally {
            lock.unlock();
        }
        throw GoInterruptedException.clearAndCreate();
    }

    /** Rejects a blocked submission with {@code err} if it is still waiting. */
    private void reject(Node node, Throwable err) {
        boolean claimed;
        lock.lock();
        try {
            claimed = node.linked && node.waiter.tryClaim();
            if (claimed) {
                submitters.remove(node);
                node.waiter.result = err;
            }
        } finally {
            lock.unlock();
        }
        if (claimed) {
            node.waiter.wake();
        }
    }

    /**
     * Submits the task only if it can be accepted without blocking (a worker is free or the queue has room, and no
     * submitter is already waiting). Returns whether it was accepted.
     *
     * @throws Panic {@code workerpool: submit on closed pool}
     */
    public boolean trySubmit(Task task) {
        if (task == null) {
            throw new RuntimeError("invalid memory address or nil pointer dereference");
        }
        lock.lock();
        try {
            if (closed) {
                throw new Panic("workerpool: submit on closed pool");
            }
            if (ctx != null && ctx.err() != null) {
                return false;
            }
            if (workers < maxWorkers) {
                workers++;
                submitted++;
            } else if (queue.size() < queueCapacity && submitters.isEmpty()) {
                queue.addLast(task);
                submitted++;
                return true;
            } else {
                return false;
            }
        } finally {
            lock.unlock();
        }
        Go.go(() -> work(task));
        return true;
    }

    /** A worker goroutine: runs {@code task}, then queued tasks, until there are none. */
    private void work(Task task) {
        while (task != null) {
            runTask(task);
            task = next();
        }
    }

    private void runTask(Task task) {
        Throwable err;
        try {
            err = task.run();
        } catch (Throwable t) {
            TaskPanic p = new TaskPanic(t);
            boolean first;
            lock.lock();
            try {
                first = firstPanic == null;
                if (first) {
                    firstPanic = p;
                }
            } finally {
                lock.unlock();
            }
            if (first && ctx != null) {
                ctx.cancel(p);
            }
            return;
        }
        if (err != null) {
            boolean first;
            lock.lock();
            try {
                first = firstErr == null;
                if (first) {
                    firstErr = err;
                }
            } finally {
                lock.unlock();
            }
            if (first && ctx != null) {
                ctx.cancel(err);
            }
        }
    }

    /**
     * Called by a worker whose task has finished: returns its next task (the queue head, or for a hand-off pool the
     * first blocked submitter's task), admitting the first blocked submitter into the freed queue slot; or null,
     * and the worker exits (waking the awaiters if it was the last).
     */
    private Task next() {
        Task t;
        Node admitted = null;
        Node rejected = null;
        Node idle = null;
        lock.lock();
        try {
            completed++;
            if (ctx != null && ctx.err() != null) {
                rejected = dropQueued(); // onCancel may not have run yet: do its work now
                t = null;
            } else {
                t = queue.pollFirst();
                admitted = submitters.pollClaimed();
                if (admitted != null) {
                    submitted++;
                    if (t == null) {
                        t = admitted.task; // queueCapacity 0, or the queue was empty: hand-off
                    } else {
                        queue.addLast(admitted.task);
                    }
                    admitted.waiter.result = null;
                }
            }
            if (t == null) {
                workers--;
                if (workers == 0) {
                    idle = detachAwaiters();
                }
            }
        } finally {
            lock.unlock();
        }
        if (admitted != null) {
            admitted.waiter.wake();
        }
        wakeAll(rejected);
        wakeAll(idle);
        return t;
    }

    /** The pool's context was cancelled: drop queued tasks and reject blocked submitters. */
    private void onCancel() {
        Node rejected;
        Node idle = null;
        lock.lock();
        try {
            rejected = dropQueued();
            if (workers == 0) {
                idle = detachAwaiters();
            }
        } finally {
            lock.unlock();
        }
        wakeAll(rejected);
        wakeAll(idle);
    }

    /**
     * Drops the queued tasks and claims every blocked submitter, rejecting it with the pool context's error.
     * Returns the claimed submitters chained through {@code next}, to be woken after unlocking. Lock held.
     */
    private Node dropQueued() {
        skipped += queue.size();
        queue.clear();
        Throwable err = ctx.err();
        Node chain = null;
        Node n;
        while ((n = submitters.pollClaimed()) != null) {
            n.waiter.result = err;
            n.next = chain;
            chain = n;
        }
        return chain;
    }

    /** Claims every awaiter; returns them chained through {@code next}. Lock held. */
    private Node detachAwaiters() {
        Node chain = null;
        Node n;
        while ((n = awaiters.pollClaimed()) != null) {
            n.next = chain;
            chain = n;
        }
        return chain;
    }

    private static void wakeAll(Node chain) {
        while (chain != null) {
            Node next = chain.next;
            chain.next = null;
            chain.waiter.wake();
            chain = next;
        }
    }

    /**
     * Waits until the pool is idle — every accepted task has finished (or was dropped by cancellation) — and returns
     * the first error a task returned, or, if none did and tasks were dropped, the cause of the pool's context;
     * {@code null} otherwise. Submitting while another goroutine awaits is allowed (as errgroup's Go during Wait);
     * await then also waits for those tasks. The pool stays open.
     *
     * @throws Panic with a {@link TaskPanic} value if a task panicked (the first panic)
     * @throws GoInterruptedException if interrupted while blocked
     */
    public Throwable await() {
        Node node = null;
        lock.lock();
        try {
            if (workers > 0) {
                node = new Node(null);
                awaiters.add(node);
            }
        } finally {
            lock.unlock();
        }
        if (node != null && node.waiter.await(WaitReason.SYNC_WAITGROUP_WAIT, 0, 0) != Waiter.WOKE) {
            lock.lock();
            try {
                awaiters.remove(node);
            } finally {
                lock.unlock();
            }
            throw GoInterruptedException.clearAndCreate();
        }
        TaskPanic p;
        Throwable err;
        boolean dropped;
        lock.lock();
        try {
            p = firstPanic;
            err = firstErr;
            dropped = skipped > 0;
        } finally {
            lock.unlock();
        }
        if (p != null) {
            throw new Panic(p);
        }
        if (err == null && dropped) {
            err = Context.cause(ctx);
        }
        return err;
    }

    /**
     * Closes the pool: no more submissions, then waits for every accepted task (queued ones and those blocked in
     * submit when close began) to finish, then cancels the pool's context. Idempotent. The first error stays
     * available from {@link #await()} (which returns at once on a closed, idle pool).
     *
     * @throws Panic with a {@link TaskPanic} value if a task panicked
     * @throws GoInterruptedException if interrupted while waiting (the pool stays closed; tasks keep running)
     */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
        } finally {
            lock.unlock();
        }
        try {
            await();
        } finally {
            if (ctx != null) {
                cancelWatch.stop();
                ctx.cancel();
            }
        }
    }

    /** The maximum number of concurrently running tasks. */
    public int maxWorkers() {
        return maxWorkers;
    }

    /** The maximum number of queued tasks. */
    public int queueCapacity() {
        return queueCapacity;
    }

    /** Live worker goroutines (each runs a task or is about to take the next one). */
    public int workers() {
        lock.lock();
        try {
            return workers;
        } finally {
            lock.unlock();
        }
    }

    /** Tasks queued, not yet started. */
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Tasks accepted so far. */
    public long submitted() {
        lock.lock();
        try {
            return submitted;
        } finally {
            lock.unlock();
        }
    }

    /** Tasks that have finished (returned, failed or panicked). */
    public long completed() {
        lock.lock();
        try {
            return completed;
        } finally {
            lock.unlock();
        }
    }

    /** Accepted tasks dropped without running because the pool's context was cancelled. */
    public long skipped() {
        lock.lock();
        try {
            return skipped;
        } finally {
            lock.unlock();
        }
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public String toString() {
        lock.lock();
        try {
            return "WorkerPool[maxWorkers=" + maxWorkers + ", queueCapacity=" + queueCapacity + ", workers=" + workers
                    + ", queued=" + queue.size() + ", submitted=" + submitted + ", completed=" + completed
                    + (closed ? ", closed" : "") + "]";
        } finally {
            lock.unlock();
        }
    }
}
