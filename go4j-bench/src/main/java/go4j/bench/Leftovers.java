package go4j.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The goroutines or threads a benchmark invocation leaves blocked for ever (Go's sieve leaks its filter goroutines
 * by design). {@link #reap()} ends them all outside the measured time, so nothing leaks into the next invocation.
 *
 * <p>Two ways to be tracked: a thread started by the benchmark is registered by its spawner ({@link #add}) and
 * interrupted by reap; a go4j goroutine (whose thread the spawner does not see) is counted by its spawner
 * ({@link #spawned()}) and uncounts itself when it exits ({@link #exited()}): the end of its {@code Go.run}
 * interrupts it, and reap waits for the count to reach zero.
 */
public final class Leftovers {
    private final ConcurrentLinkedQueue<Thread> threads = new ConcurrentLinkedQueue<>();
    private final AtomicInteger live = new AtomicInteger();

    /** Registers a started thread, to be interrupted and joined by {@link #reap}. */
    public void add(Thread t) {
        threads.add(t);
    }

    /** Counts a goroutine about to be started; it must call {@link #exited()} when it ends. */
    public void spawned() {
        live.incrementAndGet();
    }

    public void exited() {
        live.decrementAndGet();
    }

    /** Interrupts and joins every registered thread, then waits until every counted goroutine has exited. */
    public void reap() {
        List<Thread> all = new ArrayList<>();
        Thread t;
        while ((t = threads.poll()) != null) {
            all.add(t);
            t.interrupt();
        }
        boolean interrupted = false;
        for (Thread x : all) {
            while (true) {
                try {
                    x.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        while (live.get() > 0) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
