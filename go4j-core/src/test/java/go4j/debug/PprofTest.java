package go4j.debug;

import go4j.Chan;
import go4j.Go;
import go4j.sync.WaitGroup;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The goroutine profile (runtime/pprof's goroutine profile, debug=0/1/2), read back by Java and by Go's pprof. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PprofTest {

    static void parkedInPprofTest(Chan<Integer> c) {
        c.recv();
    }

    /**
     * Runs body inside a run where three goroutines wait in parkedInPprofTest; returns once they have exited (a
     * profile lists every program's goroutines, and the next test's profile must not count these three).
     */
    static void withThreeParked(Consumer<Chan<Integer>> body) {
        Go.run(() -> {
            Chan<Integer> c = Chan.make();
            WaitGroup wg = new WaitGroup();
            wg.add(3);
            for (int i = 0; i < 3; i++) {
                Go.go(() -> {
                    parkedInPprofTest(c);
                    wg.done();
                });
            }
            while (Goroutines.ofCurrentProgram().stream().filter(g -> g.status().equals("chan receive")).count() < 3) {
                Go.gosched();
            }
            body.accept(c);
            c.close();
            wg.await();
        });
    }

    static byte[] profile(int debug) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try {
            Pprof.writeGoroutineProfile(b, debug);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return b.toByteArray();
    }

    @Test
    void textProfileInGosFormat() {
        String[] out = new String[2];
        withThreeParked(c -> {
            out[0] = new String(profile(1), StandardCharsets.UTF_8);
            out[1] = new String(profile(2), StandardCharsets.UTF_8);
        });
        assertThat(out[0]).startsWith("goroutine profile: total ");
        assertThat(out[0]).containsPattern("\n3 @ 0x[0-9a-f]+ 0x[0-9a-f]+\n#\t0x[0-9a-f]+\tgo4j\\.debug\\.PprofTest\\.parkedInPprofTest\\+0x0\tPprofTest\\.java:\\d+\n");
        assertThat(out[1]).contains("goroutine 2 [chan receive]:\ngo4j.debug.PprofTest.parkedInPprofTest(...)\n\tPprofTest.java:");
    }

    @Test
    void binaryProfileDecodes() throws IOException {
        byte[][] pb = new byte[1][];
        withThreeParked(c -> pb[0] = profile(0));
        byte[] raw;
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(pb[0]))) {
            raw = in.readAllBytes();
        }
        Proto p = Proto.parse(raw);
        assertThat(p.strings).contains("", "goroutine", "count", "go4j.debug.PprofTest.parkedInPprofTest", "PprofTest.java");
        assertThat(p.sampleValues).contains(3L);
        assertThat(p.locations).isPositive();
        assertThat(p.functions).isPositive();
    }

    @Test
    void goToolPprofReadsTheProfile(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(goAvailable(), "Go is not installed: skipping the round trip through go tool pprof");
        Path file = dir.resolve("goroutine.pb.gz");
        withThreeParked(c -> {
            try {
                Files.write(file, profile(0));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        String traces = run(dir, "go", "tool", "pprof", "-symbolize=none", "-traces", file.toString());
        assertThat(traces).contains("Type: goroutine");
        assertThat(traces).containsPattern("\n\\s+3\\s+go4j\\.debug\\.PprofTest\\.parkedInPprofTest\n\\s+go4j\\.debug\\.PprofTest\\.lambda\\$withThreeParked\\$");
        String top = run(dir, "go", "tool", "pprof", "-symbolize=none", "-top", file.toString());
        assertThat(top).contains("go4j.debug.PprofTest.parkedInPprofTest");
    }

    static boolean goAvailable() {
        try {
            Process p = new ProcessBuilder("go", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    static String run(Path dir, String... cmd) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("HOME", dir.toString());
        pb.environment().putIfAbsent("GOCACHE", dir.resolve("gocache").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(50, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }

    /** Just enough of a protobuf reader to check the Profile message's shape. */
    static final class Proto {
        final List<String> strings = new ArrayList<>();
        final List<Long> sampleValues = new ArrayList<>();
        int locations;
        int functions;

        static Proto parse(byte[] b) {
            Proto p = new Proto();
            int[] pos = {0};
            while (pos[0] < b.length) {
                long key = varint(b, pos);
                int field = (int) (key >>> 3);
                int wire = (int) (key & 7);
                if (wire == 0) {
                    varint(b, pos);
                    continue;
                }
                assertThat(wire).isEqualTo(2);
                int len = (int) varint(b, pos);
                int start = pos[0];
                pos[0] += len;
                switch (field) {
                    case 2 -> p.sampleValues.add(sampleValue(b, start, start + len));
                    case 4 -> p.locations++;
                    case 5 -> p.functions++;
                    case 6 -> p.strings.add(new String(b, start, len, StandardCharsets.UTF_8));
                    default -> { }
                }
            }
            return p;
        }

        private static long sampleValue(byte[] b, int from, int to) {
            int[] pos = {from};
            long value = -1;
            while (pos[0] < to) {
                long key = varint(b, pos);
                int len = (int) varint(b, pos);
                if ((key >>> 3) == 2) {
                    int[] vp = {pos[0]};
                    value = varint(b, vp);
                }
                pos[0] += len;
            }
            return value;
        }

        private static long varint(byte[] b, int[] pos) {
            long v = 0;
            int shift = 0;
            while (true) {
                int x = b[pos[0]++] & 0xFF;
                v |= (long) (x & 0x7F) << shift;
                if ((x & 0x80) == 0) {
                    return v;
                }
                shift += 7;
            }
        }
    }
}
