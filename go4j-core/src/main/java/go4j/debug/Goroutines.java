package go4j.debug;

import go4j.internal.G;
import go4j.internal.Program;
import go4j.internal.Traceback;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Snapshots of the goroutines of this process (every {@code Go.run}, and the goroutines started outside any run).
 * The JDK's own tools miss them: {@code Thread.getAllStackTraces()} and the ThreadMXBean omit virtual threads.
 *
 * <p>A snapshot takes each goroutine's stack in turn (no stop-the-world): each entry is consistent in itself, the
 * list is not taken at one instant. Does not block goroutines.
 */
public final class Goroutines {
    private Goroutines() {}

    /** Every live goroutine of the process: each run's by id (oldest run first), then the detached ones. */
    public static List<GoroutineInfo> all() {
        List<GoroutineInfo> l = new ArrayList<>();
        for (Program p : Program.all()) {
            for (G g : p.goroutinesById()) {
                l.add(info(g));
            }
        }
        return l;
    }

    /** The live goroutines of the caller's program (of the detached goroutines for a non-goroutine caller). */
    public static List<GoroutineInfo> ofCurrentProgram() {
        G self = G.current();
        Program p = self == null ? Program.DETACHED : self.program;
        List<GoroutineInfo> l = new ArrayList<>();
        for (G g : p.goroutinesById()) {
            l.add(info(g));
        }
        return l;
    }

    /** Live goroutines of the process: a cheap count, no stacks. */
    public static int count() {
        int n = 0;
        for (Program p : Program.all()) {
            n += p.count();
        }
        return n;
    }

    /**
     * Goroutines parked in a go4j primitive (channel, select, sync) for at least {@code threshold}: candidates for
     * leaks (a goroutine blocked forever on a channel no one will use again). A long wait is not proof of a leak.
     */
    public static List<GoroutineInfo> waitingLongerThan(Duration threshold) {
        List<GoroutineInfo> l = new ArrayList<>();
        for (GoroutineInfo i : all()) {
            if (i.waiting() && i.waitDuration().compareTo(threshold) >= 0) {
                l.add(i);
            }
        }
        return l;
    }

    /** The process-wide dump in Go's format (as {@code /debug/pprof/goroutine?debug=2} prints it). */
    public static String dump() {
        return Traceback.dumpAll();
    }

    static GoroutineInfo info(G g) {
        Traceback.Snapshot s = Traceback.snapshot(g);
        boolean waiting = s.waiting();
        Duration wait = Duration.ofNanos(s.waitNanos());
        StringBuilder sb = new StringBuilder();
        Traceback.appendGoroutine(sb, g, s, Traceback.level() >= Traceback.SYSTEM);
        boolean main = g.id == 1 && g.parentId == 0 && !g.program.isDetached();
        return new GoroutineInfo(g.program.number, g.id, s.status(), waiting, wait,
                List.copyOf(Traceback.visible(s.stack(), false)),
                main ? null : Traceback.createdByFunction(g), g.parentId, sb.toString());
    }
}
