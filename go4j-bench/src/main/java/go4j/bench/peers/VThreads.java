package go4j.bench.peers;

/** Virtual threads for the peer benchmarks: the JVM's equivalent of {@code go f()} without go4j. */
final class VThreads {
    private VThreads() {}

    /** A body that may block interruptibly (jox and j.u.c. throw InterruptedException). */
    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    /** Starts body in a new virtual thread (Go's {@code go}); a failure is rethrown nowhere but printed. */
    static Thread go(Body body) {
        return Thread.ofVirtual().start(() -> {
            try {
                body.run();
            } catch (InterruptedException e) {
                // torn down by the benchmark (a leftover of the sieve)
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Runs main in a virtual thread and waits for it (the benchmark loop runs in a goroutine in Go). */
    static void run(Body main) {
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                main.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (failure[0] != null) {
            throw new IllegalStateException("benchmark body failed", failure[0]);
        }
    }
}
