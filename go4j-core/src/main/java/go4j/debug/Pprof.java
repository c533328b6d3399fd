package go4j.debug;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Go's {@code runtime/pprof} goroutine profile, for every goroutine of the process.
 *
 * <ul>
 *   <li>{@code debug=0}: the gzip-compressed {@code profile.proto} that {@code go tool pprof} reads (sample type
 *       {@code goroutine/count}; one sample per distinct stack, valued by the number of goroutines that share it).
 *       Java frames have no addresses: locations carry synthetic ones and are fully symbolized, so use
 *       {@code go tool pprof -symbolize=none} (or any pprof command: there is no binary to look symbols up in).</li>
 *   <li>{@code debug=1}: Go's legacy text ({@code goroutine profile: total N}, then {@code count @ addresses} and
 *       one {@code #\taddress\tfunction+0x0\tfile:line} line per frame), stacks sorted by count.</li>
 *   <li>{@code debug=2}: every goroutine in Go's traceback format, as an unrecovered panic prints it.</li>
 * </ul>
 * Stacks are the visible frames (go4j's and the JDK's machinery folded away). Goroutines are captured one by one,
 * not at one instant; writing does not block them.
 */
public final class Pprof {
    private Pprof() {}

    /**
     * Writes the goroutine profile ({@code pprof.Lookup("goroutine").WriteTo(w, debug)}); debug values above 2
     * act as 2. Does not close {@code out}.
     */
    public static void writeGoroutineProfile(OutputStream out, int debug) throws IOException {
        if (debug >= 2) {
            out.write(Goroutines.dump().getBytes(StandardCharsets.UTF_8));
            out.flush();
            return;
        }
        Map<List<StackTraceElement>, Integer> counts = countByStack(Goroutines.all());
        if (debug == 1) {
            out.write(text(counts).getBytes(StandardCharsets.UTF_8));
            out.flush();
            return;
        }
        ProfileWriter w = new ProfileWriter();
        for (Map.Entry<List<StackTraceElement>, Integer> e : counts.entrySet()) {
            w.sample(e.getKey(), e.getValue());
        }
        byte[] pb = w.encode("goroutine", "count", System.currentTimeMillis() * 1_000_000L);
        GZIPOutputStream gz = new GZIPOutputStream(out);
        gz.write(pb);
        gz.finish();
        out.flush();
    }

    /** The binary goroutine profile (debug=0) as bytes. */
    public static byte[] goroutineProfile() {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        try {
            writeGoroutineProfile(b, 0);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    private static Map<List<StackTraceElement>, Integer> countByStack(List<GoroutineInfo> all) {
        Map<List<StackTraceElement>, Integer> m = new LinkedHashMap<>();
        for (GoroutineInfo g : all) {
            m.merge(g.stack(), 1, Integer::sum);
        }
        return m;
    }

    /** Go's printCountProfile text, stacks sorted by count (then first seen). */
    private static String text(Map<List<StackTraceElement>, Integer> counts) {
        int total = 0;
        for (int c : counts.values()) {
            total += c;
        }
        List<Map.Entry<List<StackTraceElement>, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.sort((a, b) -> Integer.compare(b.getValue(), a.getValue()));
        ProfileWriter addresses = new ProfileWriter();
        StringBuilder sb = new StringBuilder();
        sb.append("goroutine profile: total ").append(total).append('\n');
        for (Map.Entry<List<StackTraceElement>, Integer> e : entries) {
            sb.append(e.getValue()).append(" @");
            for (StackTraceElement f : e.getKey()) {
                sb.append(" 0x").append(Long.toHexString(addresses.address(f)));
            }
            sb.append('\n');
            for (StackTraceElement f : e.getKey()) {
                sb.append("#\t0x").append(Long.toHexString(addresses.address(f))).append('\t')
                        .append(f.getClassName()).append('.').append(f.getMethodName()).append("+0x0\t")
                        .append(f.getFileName() == null ? "?" : f.getFileName()).append(':')
                        .append(Math.max(0, f.getLineNumber())).append('\n');
            }
            sb.append('\n');
        }
        return sb.toString();
    }
}
