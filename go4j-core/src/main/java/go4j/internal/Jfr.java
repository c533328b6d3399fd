package go4j.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.Recording;
import jdk.jfr.RecordingState;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * go4j's JDK Flight Recorder events.
 * <ul>
 *   <li>{@code go4j.GoroutinePark} (duration, threshold 20 ms, with stack trace): a goroutine parked in a go4j
 *       primitive; fields goroutine id, program, wait reason.</li>
 *   <li>{@code go4j.ChannelClose}: a channel was closed (capacity, buffered values, goroutines woken).</li>
 *   <li>{@code go4j.Deadlock}: a run ended with {@code all goroutines are asleep - deadlock!} (with the dump).</li>
 *   <li>{@code go4j.GoroutineStats} (periodic, every second): goroutines per state, process-wide.</li>
 *   <li>{@code go4j.GoroutineDump} (periodic, at the start and end of each chunk; disabled by default): the
 *       process-wide goroutine dump in Go's format. {@code jcmd <pid> JFR.start go4j.GoroutineDump#enabled=true}
 *       then {@code jcmd <pid> JFR.dump} gives a dump on demand, without signals.</li>
 * </ul>
 *
 * <p>Cost when no recording runs: one volatile read of {@link #recording} per park (kept up to date by a
 * {@link FlightRecorderListener}). While recording, a park allocates one event object.
 */
public final class Jfr {
    private Jfr() {}

    /** True while at least one recording is running; read on every park. */
    static volatile boolean recording;
    private static final boolean AVAILABLE;

    static {
        boolean ok;
        try {
            FlightRecorder.addListener(new FlightRecorderListener() {
                @Override
                public void recordingStateChanged(Recording r) {
                    update();
                }

                @Override
                public void recorderInitialized(FlightRecorder recorder) {
                    registerEvents(); // only now: registering loads JFR's metadata (~1 s), too dear at start-up
                    update();
                }
            });
            ok = true;
        } catch (Throwable t) {
            ok = false; // a JDK without JFR: go4j runs without its events
        }
        AVAILABLE = ok;
    }

    private static boolean eventsRegistered;

    private static synchronized void registerEvents() {
        if (!eventsRegistered) {
            eventsRegistered = true;
            // Register up front, so that a recording's settings apply before the first event is made (an event
            // class registered lazily, by its first use during a recording, may report itself disabled).
            FlightRecorder.register(ParkEvent.class);
            FlightRecorder.register(ChannelCloseEvent.class);
            FlightRecorder.register(DeadlockEvent.class);
            FlightRecorder.addPeriodicEvent(StatsEvent.class, Jfr::emitStats);
            FlightRecorder.addPeriodicEvent(DumpEvent.class, Jfr::emitDump);
        }
    }

    /** Loads the class (registers the listener and periodic events); true if JFR is available. */
    public static boolean init() {
        return AVAILABLE;
    }

    private static void update() {
        boolean on = false;
        if (FlightRecorder.isInitialized()) {
            for (Recording r : FlightRecorder.getFlightRecorder().getRecordings()) {
                if (r.getState() == RecordingState.RUNNING) {
                    on = true;
                    break;
                }
            }
        }
        recording = on;
    }

    public static boolean recording() {
        return recording;
    }

    static void parkBegin(G g) {
        ParkEvent e = new ParkEvent();
        if (e.isEnabled()) {
            e.begin();
            g.jfrPark = e;
        }
    }

    static void parkEnd(G g, WaitReason reason, long since) {
        Object o = g.jfrPark;
        g.jfrPark = null;
        if (o instanceof ParkEvent e) {
            e.end();
            if (e.shouldCommit()) {
                e.goroutine = g.id;
                e.program = g.program.number;
                e.reason = reason == null ? "" : reason.text();
                e.commit();
            }
        }
    }

    /** Records a channel close (called by {@code Chan.close} while recording). */
    public static void channelClosed(int capacity, int buffered, int woken) {
        if (!recording) {
            return;
        }
        ChannelCloseEvent e = new ChannelCloseEvent();
        if (e.shouldCommit()) {
            G g = G.current();
            e.goroutine = g == null ? 0 : g.id;
            e.capacity = capacity;
            e.buffered = buffered;
            e.woken = woken;
            e.commit();
        }
    }

    static void deadlock(Program p) {
        if (!recording) {
            return;
        }
        DeadlockEvent e = new DeadlockEvent();
        if (e.shouldCommit()) {
            e.program = p.number;
            e.goroutines = p.count();
            StringBuilder sb = new StringBuilder();
            for (G g : p.goroutinesById()) {
                if (!sb.isEmpty()) {
                    sb.append('\n');
                }
                Traceback.appendGoroutine(sb, g, null, false);
            }
            e.dump = sb.toString();
            e.commit();
        }
    }

    private static void emitStats() {
        StatsEvent e = new StatsEvent();
        int[] counts = new int[4];
        int programs = 0;
        for (Program p : Program.all()) {
            if (!p.isDetached()) {
                programs++;
            }
            for (G g : p.goroutines()) {
                counts[g.state()]++;
            }
        }
        e.running = counts[G.RUNNING];
        e.runnable = counts[G.RUNNABLE];
        e.waiting = counts[G.WAITING];
        e.total = counts[G.RUNNING] + counts[G.RUNNABLE] + counts[G.WAITING];
        e.programs = programs;
        e.commit();
    }

    private static void emitDump() {
        DumpEvent e = new DumpEvent();
        if (e.shouldCommit()) {
            e.dump = Traceback.dumpAll();
            e.commit();
        }
    }

    @Name("go4j.GoroutinePark")
    @Label("Goroutine Park")
    @Category("go4j")
    @Description("A goroutine parked in a go4j primitive (channel, select, sync) longer than the threshold")
    @Threshold("20 ms")
    @StackTrace(true)
    static final class ParkEvent extends Event {
        @Label("Goroutine") long goroutine;
        @Label("Program") long program;
        @Label("Wait Reason") String reason;
    }

    @Name("go4j.ChannelClose")
    @Label("Channel Close")
    @Category("go4j")
    @StackTrace(true)
    static final class ChannelCloseEvent extends Event {
        @Label("Goroutine") long goroutine;
        @Label("Capacity") int capacity;
        @Label("Buffered Values") int buffered;
        @Label("Goroutines Woken") int woken;
    }

    @Name("go4j.Deadlock")
    @Label("Deadlock")
    @Category("go4j")
    @Description("all goroutines are asleep - deadlock!")
    @StackTrace(false)
    static final class DeadlockEvent extends Event {
        @Label("Program") long program;
        @Label("Goroutines") int goroutines;
        @Label("Dump") String dump;
    }

    @Name("go4j.GoroutineStats")
    @Label("Goroutine Statistics")
    @Category("go4j")
    @Period("1 s")
    @StackTrace(false)
    static final class StatsEvent extends Event {
        @Label("Total") int total;
        @Label("Running") int running;
        @Label("Runnable") int runnable;
        @Label("Waiting") int waiting;
        @Label("Programs") int programs;
    }

    @Name("go4j.GoroutineDump")
    @Label("Goroutine Dump")
    @Category("go4j")
    @Period("everyChunk")
    @Enabled(false)
    @StackTrace(false)
    static final class DumpEvent extends Event {
        @Label("Dump") String dump;
    }
}
