package go4j.sync;

import go4j.Go;
import go4j.internal.Sched;

import java.util.concurrent.atomic.AtomicReference;

/** Starts a detached goroutine and returns its thread (for interrupt tests). */
final class Sched0 {
    private Sched0() {}

    static Thread goThread(Runnable r) {
        AtomicReference<Thread> t = new AtomicReference<>();
        java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(1);
        Go.go(() -> {
            t.set(Sched.currentThread());
            started.countDown();
            r.run();
        });
        try {
            started.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return t.get();
    }
}
