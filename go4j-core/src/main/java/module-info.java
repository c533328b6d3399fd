/**
 * go4j: Go's concurrency runtime for the JVM. Goroutines, channels and select ({@code go4j}); the internal
 * machinery ({@code go4j.internal}) is not exported.
 */
module go4j {
    requires java.management;
    exports go4j;
    exports go4j.sync;
    exports go4j.sync.atomic;
    exports go4j.sync.errgroup;
    exports go4j.sync.semaphore;
    exports go4j.sync.singleflight;
    exports go4j.sync.workerpool;
    exports go4j.time;
    exports go4j.context;
}
