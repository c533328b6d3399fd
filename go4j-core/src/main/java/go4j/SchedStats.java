package go4j;

import go4j.internal.Sched;
import go4j.internal.sched.Scheduler;

import java.util.List;

/**
 * A snapshot of the goroutine scheduler (what Go's {@code GODEBUG=schedtrace=N} prints), from
 * {@link Go#schedStats()}. Under the JDK's default scheduler only {@code scheduler} and {@code gomaxprocs} are
 * known; the other figures are 0 and {@code localRunqueues} is empty.
 *
 * @param scheduler       {@code "gmp"}, {@code "raw"} (the G-M-P scheduler with goroutines on raw continuations) or
 *                        {@code "jdk"}
 * @param gomaxprocs      the number of Ps
 * @param idleProcs       Ps without work
 * @param threads         carrier threads (Ms) created
 * @param spinningThreads Ms looking for work
 * @param idleThreads     Ms parked without a P
 * @param globalRunqueue  goroutines in the global run queue
 * @param localRunqueues  goroutines in each P's run queue (runnext included), by P id
 * @param steals          work-stealing successes since start
 * @param handoffs        Ps taken from a stuck carrier and handed to another (Go's syscall hand-off)
 * @param splitOffs       how often pair splitting was turned off for 100 ms because hand-offs between carriers were
 *                        slow (go4j's governor, {@code docs/adr/0003-gmp-scheduler.md}); not in Go
 */
public record SchedStats(String scheduler, int gomaxprocs, int idleProcs, int threads, int spinningThreads,
                         int idleThreads, int globalRunqueue, List<Integer> localRunqueues, long steals,
                         long handoffs, long splitOffs) {

    static SchedStats snapshot() {
        Scheduler s = Sched.gmp();
        if (s == null) {
            return new SchedStats("jdk", Sched.gomaxprocs(0), 0, 0, 0, 0, 0, List.of(), 0, 0, 0);
        }
        Scheduler.Stats st = s.stats();
        Integer[] local = new Integer[st.localRunqueues().length];
        for (int i = 0; i < local.length; i++) {
            local[i] = st.localRunqueues()[i];
        }
        return new SchedStats(Sched.RAW ? "raw" : "gmp", st.gomaxprocs(), st.idleProcs(), st.threads(), st.spinningThreads(),
                st.idleThreads(), st.globalRunqueue(), List.of(local), st.steals(), st.handoffs(),
                st.splitOffs());
    }

    /** Go's schedtrace line, plus the steal, hand-off and splitting-off counters. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SCHED ").append(scheduler).append(": gomaxprocs=").append(gomaxprocs)
                .append(" idleprocs=").append(idleProcs).append(" threads=").append(threads)
                .append(" spinningthreads=").append(spinningThreads).append(" idlethreads=").append(idleThreads)
                .append(" runqueue=").append(globalRunqueue).append(" [");
        for (int i = 0; i < localRunqueues.size(); i++) {
            if (i > 0) {
                sb.append(' ');
            }
            sb.append(localRunqueues.get(i));
        }
        return sb.append("] steals=").append(steals).append(" handoffs=").append(handoffs).append(" splitoffs=")
                .append(splitOffs).toString();
    }
}
