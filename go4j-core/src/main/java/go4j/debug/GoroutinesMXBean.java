package go4j.debug;

import java.util.Map;

/**
 * go4j's runtime statistics over JMX ({@code go4j:type=Goroutines}), readable with JConsole, VisualVM or any JMX
 * client; registered by {@link Diagnostics#registerMBean()} or {@code -Dgo4j.jmx=true}.
 */
public interface GoroutinesMXBean {
    /** Live goroutines of the process ({@code runtime.NumGoroutine} over every run). */
    int getGoroutineCount();

    /** Goroutines running (on a carrier, or blocked in a JDK call). */
    int getRunningCount();

    /** Goroutines woken and waiting to run. */
    int getRunnableCount();

    /** Goroutines parked in a go4j primitive. */
    int getWaitingCount();

    /** Waiting goroutines by Go's wait reason ({@code chan receive}, {@code select}, {@code sync.Mutex.Lock}...). */
    Map<String, Integer> getWaitReasonCounts();

    /** Runs ({@code Go.run}) with live goroutines or not yet ended. */
    int getProgramCount();

    /** Which scheduler runs goroutines. */
    String getScheduler();

    /** Whether deadlock detection is on ({@code -Dgo4j.deadlock}). */
    boolean isDeadlockDetection();

    /** The current traceback level (Go's GOTRACEBACK). */
    String getTraceback();

    /** Sets the traceback level: none, single, all, system. */
    void setTraceback(String level);

    /** The goroutine profile as text: {@code debug=1} (stacks with counts) or {@code debug=2} (full dump). */
    String dumpGoroutines(int debug);
}
