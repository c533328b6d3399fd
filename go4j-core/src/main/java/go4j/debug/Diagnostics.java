package go4j.debug;

import go4j.Go;
import go4j.internal.G;
import go4j.internal.Jfr;
import go4j.internal.Liveness;
import go4j.internal.Program;
import go4j.internal.WaitReason;

import javax.management.InstanceAlreadyExistsException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns go4j's observability on: the JMX MBean {@code go4j:type=Goroutines}, the JFR events and the debug HTTP
 * endpoint. From system properties (read when go4j starts its first goroutine):
 * <ul>
 *   <li>{@code -Dgo4j.jmx=true}: registers the MBean (whose {@code dumpGoroutines} operation gives a dump on
 *       demand, without signals).</li>
 *   <li>{@code -Dgo4j.debug.http=PORT}: starts {@link DebugServer} on 127.0.0.1:PORT.</li>
 * </ul>
 * JFR events ({@code go4j.GoroutinePark}, {@code go4j.ChannelClose}, {@code go4j.Deadlock},
 * {@code go4j.GoroutineStats}, {@code go4j.GoroutineDump}) are always available: they cost nothing until a
 * recording runs.
 */
public final class Diagnostics {
    private Diagnostics() {}

    public static final String MBEAN_NAME = "go4j:type=Goroutines";

    private static volatile DebugServer server;

    /** Applies {@code go4j.jmx} and {@code go4j.debug.http}; called once by go4j at start-up. */
    public static void fromSystemProperties() {
        Jfr.init();
        if (Boolean.getBoolean("go4j.jmx")) {
            registerMBean();
        }
        String port = System.getProperty("go4j.debug.http");
        if (port != null && !port.isBlank()) {
            try {
                DebugServer s = startHttp(Integer.parseInt(port.trim()));
                System.err.println("go4j: debug endpoint " + s.uri());
            } catch (IOException | RuntimeException e) {
                System.err.println("go4j: cannot start the debug endpoint on port " + port + ": " + e);
            }
        }
    }

    /** Registers the MBean on the platform MBean server (idempotent); returns its name. */
    public static ObjectName registerMBean() {
        try {
            ObjectName name = new ObjectName(MBEAN_NAME);
            MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
            if (!mbs.isRegistered(name)) {
                try {
                    mbs.registerMBean(new Bean(), name);
                } catch (InstanceAlreadyExistsException raced) {
                    // registered concurrently: fine
                }
            }
            return name;
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts the process-wide debug endpoint once (later calls return the running one, whatever the port). */
    public static synchronized DebugServer startHttp(int port) throws IOException {
        if (server == null) {
            server = DebugServer.start(port);
        }
        return server;
    }

    static final class Bean implements GoroutinesMXBean {
        private int[] counts() {
            int[] c = new int[4];
            for (Program p : Program.all()) {
                for (G g : p.goroutines()) {
                    c[g.state()]++;
                }
            }
            return c;
        }

        @Override
        public int getGoroutineCount() {
            return Goroutines.count();
        }

        @Override
        public int getRunningCount() {
            return counts()[G.RUNNING];
        }

        @Override
        public int getRunnableCount() {
            return counts()[G.RUNNABLE];
        }

        @Override
        public int getWaitingCount() {
            return counts()[G.WAITING];
        }

        @Override
        public Map<String, Integer> getWaitReasonCounts() {
            Map<String, Integer> m = new TreeMap<>();
            for (Program p : Program.all()) {
                for (G g : p.goroutines()) {
                    WaitReason r = g.waitReason();
                    if (r != null) {
                        m.merge(r.text(), 1, Integer::sum);
                    }
                }
            }
            return m;
        }

        @Override
        public int getProgramCount() {
            return Program.all().size() - 1;
        }

        @Override
        public String getScheduler() {
            return Go.runtimeInfo();
        }

        @Override
        public boolean isDeadlockDetection() {
            return Liveness.ENABLED;
        }

        @Override
        public String getTraceback() {
            return Debug.traceback();
        }

        @Override
        public void setTraceback(String level) {
            Debug.setTraceback(level);
        }

        @Override
        public String dumpGoroutines(int debug) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try {
                Pprof.writeGoroutineProfile(b, Math.max(1, debug));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return b.toString(StandardCharsets.UTF_8);
        }
    }
}
