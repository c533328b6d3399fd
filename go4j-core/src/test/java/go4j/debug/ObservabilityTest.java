package go4j.debug;

import go4j.Chan;
import go4j.FatalError;
import go4j.Go;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.io.ByteArrayInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JMX MBean, the JFR events and the HTTP endpoint (net/http/pprof's goroutine handler). */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ObservabilityTest {

    @Test
    void httpEndpointServesGoroutineProfiles() throws Exception {
        try (DebugServer server = DebugServer.start(0)) {
            assertThat(server.uri().getHost()).isEqualTo("127.0.0.1");
            Map<String, Response> got = new HashMap<>();
            PprofTest.withThreeParked(c -> {
                for (String q : List.of("goroutine?debug=1", "goroutine?debug=2", "goroutine", "", "heap")) {
                    got.put(q, get(server.uri().resolve(q)));
                }
            });
            Response d1 = got.get("goroutine?debug=1");
            assertThat(d1.statusCode()).isEqualTo(200);
            assertThat(d1.contentType()).isEqualTo("text/plain; charset=utf-8");
            assertThat(new String(d1.body(), StandardCharsets.UTF_8)).startsWith("goroutine profile: total ")
                    .contains("\n3 @ ").contains("go4j.debug.PprofTest.parkedInPprofTest+0x0");
            assertThat(new String(got.get("goroutine?debug=2").body(), StandardCharsets.UTF_8))
                    .contains("goroutine 2 [chan receive]:\ngo4j.debug.PprofTest.parkedInPprofTest(...)");
            Response bin = got.get("goroutine");
            assertThat(bin.contentType()).isEqualTo("application/octet-stream");
            byte[] raw;
            try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(bin.body()))) {
                raw = in.readAllBytes();
            }
            assertThat(PprofTest.Proto.parse(raw).strings).contains("go4j.debug.PprofTest.parkedInPprofTest");
            assertThat(new String(got.get("").body(), StandardCharsets.UTF_8)).contains("goroutine?debug=1");
            assertThat(got.get("heap").statusCode()).isEqualTo(404);
        }
    }

    record Response(int statusCode, String contentType, byte[] body) {}

    /** A real HTTP GET (java.net.HttpURLConnection). */
    static Response get(URI uri) {
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            int status = c.getResponseCode();
            byte[] body;
            try (var in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                body = in == null ? new byte[0] : in.readAllBytes();
            }
            Response r = new Response(status, c.getContentType(), body);
            c.disconnect();
            return r;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void mbeanReportsCountsAndDumps() throws Exception {
        ObjectName name = Diagnostics.registerMBean();
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        Object[] seen = new Object[3];
        PprofTest.withThreeParked(c -> {
            try {
                seen[0] = mbs.getAttribute(name, "WaitingCount");
                seen[1] = mbs.getAttribute(name, "WaitReasonCounts");
                seen[2] = mbs.invoke(name, "dumpGoroutines", new Object[] {2}, new String[] {"int"});
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        assertThat((Integer) seen[0]).isGreaterThanOrEqualTo(3);
        Map<String, Integer> reasons = new HashMap<>();
        for (Object row : ((TabularData) seen[1]).values()) {
            CompositeData cd = (CompositeData) row;
            reasons.put((String) cd.get("key"), (Integer) cd.get("value"));
        }
        assertThat(reasons.get("chan receive")).isGreaterThanOrEqualTo(3);
        assertThat((String) seen[2]).contains("[chan receive]:\ngo4j.debug.PprofTest.parkedInPprofTest(...)");
        assertThat((String) mbs.getAttribute(name, "Scheduler")).startsWith("go4j scheduler: ");
        assertThat((Boolean) mbs.getAttribute(name, "DeadlockDetection")).isTrue();
        assertThat(Diagnostics.registerMBean()).isEqualTo(name); // idempotent
    }

    @Test
    void jfrRecordsParksClosesAndDeadlocks(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("go4j.jfr");
        try (Recording r = new Recording()) {
            r.enable("go4j.GoroutinePark").withThreshold(Duration.ofMillis(20)).withStackTrace();
            r.enable("go4j.ChannelClose");
            r.enable("go4j.Deadlock");
            r.enable("go4j.GoroutineDump");
            r.start();
            Go.run(() -> {
                Chan<Integer> c = Chan.make();
                Go.go(() -> {
                    go4j.internal.Waiter w = new go4j.internal.Waiter(); // a 50 ms timed park, as sleep does
                    w.await(go4j.internal.WaitReason.SLEEP, 0, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(50));
                    c.close();
                });
                c.recv(); // parked ~50 ms: above the threshold
            });
            try (StderrCapture err = new StderrCapture()) {
                assertThatThrownBy(() -> Go.run(() -> Chan.make().recv())).isInstanceOf(FatalError.class);
                assertThat(err.text()).startsWith("fatal error: all goroutines are asleep - deadlock!");
            }
            r.stop();
            r.dump(file);
        }
        List<RecordedEvent> events = RecordingFile.readAllEvents(file);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getEventType().getName()).isEqualTo("go4j.GoroutinePark");
            assertThat(e.getString("reason")).isEqualTo("chan receive");
            assertThat(e.getLong("goroutine")).isEqualTo(1L);
            assertThat(e.getDuration().toMillis()).isGreaterThanOrEqualTo(20);
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getEventType().getName()).isEqualTo("go4j.ChannelClose");
            assertThat(e.getInt("woken")).isEqualTo(1);
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.getEventType().getName()).isEqualTo("go4j.Deadlock");
            assertThat(e.getString("dump")).startsWith("goroutine 1 [chan receive]:");
        });
        assertThat(events).anySatisfy(e -> assertThat(e.getEventType().getName()).isEqualTo("go4j.GoroutineDump"));
    }

    @Test
    void httpEndpointBindsLoopbackOnly() throws Exception {
        try (DebugServer server = DebugServer.start(0)) {
            assertThat(URI.create(server.uri().toString()).getHost()).isEqualTo("127.0.0.1");
            assertThat(server.port()).isPositive();
        }
    }
}
