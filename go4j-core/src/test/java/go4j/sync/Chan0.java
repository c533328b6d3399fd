package go4j.sync;

import go4j.Chan;
import go4j.Go;

/** Runs an action in another goroutine and waits for it, over a channel. */
final class Chan0 {
    private Chan0() {}

    static void runInGoroutine(Runnable r) {
        Chan<Boolean> c = Chan.make();
        Go.go(() -> {
            r.run();
            c.send(true);
        });
        c.recv();
    }
}
