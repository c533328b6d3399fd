package go4j.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Writes bench/README.md and bench/chart.png from the raw results of bench/run: Go's {@code go test -bench} output,
 * one or more JMH JSON files and the machine description.
 *
 * <p>Rows are Go's anchor benchmarks ({@code func BenchmarkX} in the anchor file, in its order). A JMH benchmark
 * joins the row whose name equals its method name (case-insensitive); its column is go4j for every class outside
 * {@code go4j.bench.peers} (one column per {@code -Dgo4j.scheduler} value found in the JMH run's jvmArgs), else the
 * peer named by the class's leading word ({@code JoxChan}: jox, {@code JucSync}: j.u.c.). So a later
 * {@code go4j.bench.sync.SyncBench.MutexContended} fills go4j's MutexContended cell with no change here.
 *
 * <p>Usage: {@code Report <results dir> <anchor bench_test.go> <output dir>}; reads
 * {@code <results>/go-bench.txt}, {@code <results>/jmh-*.json}, {@code <results>/machine.properties} and, if
 * present, {@code <output>/ANALYSIS.md} (hand-written, copied into the README).
 */
public final class Report {
    private Report() {}

    /** One measurement: nanoseconds per op, its 99.9% error (NaN if unknown) and where it came from. */
    record Result(double ns, double err, String source) {}

    static final String GO = "Go";
    static final String JOX = "jox";
    static final String JUC = "j.u.c.";

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: Report <results dir> <anchor bench_test.go> <output dir>");
            System.exit(2);
        }
        Path results = Path.of(args[0]);
        Path anchorFile = Path.of(args[1]);
        Path out = Path.of(args[2]);

        List<String> anchors = anchors(anchorFile);
        // workload -> column -> result; columns in display order
        Map<String, Map<String, Result>> table = new LinkedHashMap<>();
        for (String a : anchors) {
            table.put(a, new LinkedHashMap<>());
        }
        Set<String> go4jColumns = new LinkedHashSet<>();
        Set<String> peerColumns = new LinkedHashSet<>();
        Map<String, Result> others = new TreeMap<>();

        Path goOut = results.resolve("go-bench.txt");
        boolean haveGo = Files.exists(goOut);
        if (haveGo) {
            goResults(Files.readString(goOut)).forEach((name, r) -> {
                String row = match(anchors, name);
                if (row != null) {
                    table.get(row).put(GO, r);
                }
            });
        }
        List<Path> jsons = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(results, "jmh-*.json")) {
            ds.forEach(jsons::add);
        }
        // The newest file wins for a benchmark measured in several (a later --only run refines a full one). Newest
        // by the UTC stamp bench/run puts in the name (jmh-<scheduler>[-only]-yyyyMMdd-HHmm.json), not by mtime,
        // which a git checkout resets; unstamped files (older runs) count as oldest, in name order.
        jsons.sort(Comparator.comparing(Report::stamp).thenComparing(p -> p.getFileName().toString()));
        for (Path json : jsons) {
            for (Object o : (List<?>) Json.parse(Files.readString(json))) {
                Map<?, ?> b = (Map<?, ?>) o;
                String fqn = (String) b.get("benchmark");
                String scheduler = scheduler((List<?>) b.get("jvmArgs"));
                Map<?, ?> pm = (Map<?, ?>) b.get("primaryMetric");
                double scale = toNanos((String) pm.get("scoreUnit"));
                Result r = new Result(num(pm.get("score")) * scale, num(pm.get("scoreError")) * scale, fqn);
                String column = column(fqn, scheduler);
                if (column.startsWith("go4j")) {
                    go4jColumns.add(column);
                } else {
                    peerColumns.add(column);
                }
                String method = fqn.substring(fqn.lastIndexOf('.') + 1);
                String row = b.get("params") == null ? match(anchors, method) : null;
                if (row != null) {
                    table.get(row).put(column, r);
                } else {
                    others.put(fqn.replace("go4j.bench.", "") + paramText(b.get("params")) + " [" + column + "]", r);
                }
            }
        }
        List<String> peers = new ArrayList<>();
        for (String p : List.of(JOX, JUC)) {
            if (peerColumns.remove(p)) {
                peers.add(p);
            }
        }
        peers.addAll(peerColumns);
        List<String> columns = new ArrayList<>();
        columns.add(GO);
        columns.addAll(go4jColumns);
        columns.addAll(peers);

        Properties machine = new Properties();
        Path mp = results.resolve("machine.properties");
        if (Files.exists(mp)) {
            try (var r = Files.newBufferedReader(mp, StandardCharsets.UTF_8)) {
                machine.load(r);
            }
        }
        Path analysis = out.resolve("ANALYSIS.md");
        String analysisText = Files.exists(analysis) ? Files.readString(analysis) : null;

        Chart.draw(table, columns, out.resolve("chart.png"), machine.getProperty("date", ""));
        Files.writeString(out.resolve("README.md"),
                readme(table, columns, new ArrayList<>(go4jColumns), others, machine, analysisText, haveGo));
        System.out.println("wrote " + out.resolve("README.md") + " and " + out.resolve("chart.png"));
    }

    // ---------------------------------------------------------------------------------------------- inputs

    /** The Go benchmark names of the anchor file, in order, without the "Benchmark" prefix. */
    static List<String> anchors(Path goFile) throws IOException {
        List<String> names = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^func Benchmark(\\w+)\\(").matcher(Files.readString(goFile));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** Parses {@code BenchmarkX-N   iters   123.4 ns/op} lines. */
    static Map<String, Result> goResults(String text) {
        Map<String, Result> r = new LinkedHashMap<>();
        Matcher m = Pattern.compile("(?m)^Benchmark(\\w+?)(?:-\\d+)?\\s+\\d+\\s+([0-9.]+) ns/op").matcher(text);
        while (m.find()) {
            r.put(m.group(1), new Result(Double.parseDouble(m.group(2)), Double.NaN, "Benchmark" + m.group(1)));
        }
        return r;
    }

    static String match(List<String> anchors, String name) {
        for (String a : anchors) {
            if (a.equalsIgnoreCase(name)) {
                return a;
            }
        }
        return null;
    }

    static String scheduler(List<?> jvmArgs) {
        String s = "auto";
        if (jvmArgs != null) {
            for (Object a : jvmArgs) {
                String arg = String.valueOf(a);
                if (arg.startsWith("-Dgo4j.scheduler=")) {
                    s = arg.substring("-Dgo4j.scheduler=".length());
                }
            }
        }
        return s;
    }

    /** The column of a benchmark class: go4j (per scheduler) or the peer named by the class's leading word. */
    static String column(String fqn, String scheduler) {
        String cls = fqn.substring(0, fqn.lastIndexOf('.'));
        if (!cls.startsWith("go4j.bench.peers.")) {
            return "go4j (" + scheduler + ")";
        }
        String simple = cls.substring(cls.lastIndexOf('.') + 1);
        int end = 1;
        while (end < simple.length() && !Character.isUpperCase(simple.charAt(end))) {
            end++;
        }
        String word = simple.substring(0, end);
        return switch (word) {
            case "Jox" -> JOX;
            case "Juc" -> JUC;
            default -> word.toLowerCase(Locale.ROOT);
        };
    }

    static double toNanos(String unit) {
        return switch (unit) {
            case "ns/op" -> 1;
            case "us/op" -> 1e3;
            case "ms/op" -> 1e6;
            case "s/op" -> 1e9;
            default -> throw new IllegalArgumentException("unit " + unit + " (use AverageTime)");
        };
    }

    static double num(Object o) {
        if (o instanceof Double d) {
            return d;
        }
        try {
            return Double.parseDouble(String.valueOf(o));
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static final Pattern STAMP = Pattern.compile("-(\\d{8}-\\d{4})\\.json$");

    /** The run stamp in a results file's name ("" if none). */
    static String stamp(Path json) {
        Matcher m = STAMP.matcher(json.getFileName().toString());
        return m.find() ? m.group(1) : "";
    }

    static String paramText(Object params) {
        if (!(params instanceof Map<?, ?> m) || m.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("(");
        m.forEach((k, v) -> b.append(b.length() > 1 ? ", " : "").append(k).append('=').append(v));
        return b.append(')').toString();
    }

    // ---------------------------------------------------------------------------------------------- output

    /** 226 ns, 1.95 µs, 64.2 ms: three significant digits with the unit. */
    static String time(double ns) {
        if (Double.isNaN(ns)) {
            return "–";
        }
        if (ns >= 1e9) {
            return sig(ns / 1e9) + " s";
        }
        if (ns >= 1e6) {
            return sig(ns / 1e6) + " ms";
        }
        if (ns >= 1e4) {
            return sig(ns / 1e3) + " µs";
        }
        return sig(ns) + " ns";
    }

    static String sig(double v) {
        if (v >= 1000) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        if (v >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (v >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String errPct(Result r) {
        if (r == null || Double.isNaN(r.err()) || r.ns() == 0) {
            return "";
        }
        return String.format(Locale.ROOT, " ±%.0f%%", Math.max(r.err() / r.ns() * 100, 0.5));
    }

    static String ratio(Result a, Result b) {
        if (a == null || b == null || b.ns() == 0) {
            return "–";
        }
        double x = a.ns() / b.ns();
        String f;
        if (x >= 10) {
            f = String.format(Locale.ROOT, "%.0f", x);
        } else if (x >= 0.1) {
            f = String.format(Locale.ROOT, "%.2f", x);
        } else {
            f = String.format(Locale.ROOT, "%.2g", x);
        }
        return f + "×";
    }

    static String readme(Map<String, Map<String, Result>> table, List<String> columns, List<String> go4jColumns,
            Map<String, Result> others, Properties machine, String analysis, boolean haveGo) {
        StringBuilder b = new StringBuilder();
        b.append("# go4j benchmarks: side by side with Go, jox and java.util.concurrent\n\n");
        b.append("<!-- Generated by bench/run (go4j.bench.report.Report): edit bench/ANALYSIS.md, not this file. -->\n\n");
        b.append("Go's reference workloads (`shared/anchors/go/bench_test.go`) and their ports, measured in one run on "
                + "one machine. **ns/op, lower is better**; a ratio above 1× means go4j is slower.\n\n");
        b.append("| | |\n|---|---|\n");
        row(b, "Date (UTC)", machine.getProperty("date", "?"));
        row(b, "Machine", machine.getProperty("nproc", "?") + " cores (nproc), " + machine.getProperty("cpu", "?")
                + ", " + machine.getProperty("mem", "?") + " RAM");
        row(b, "JDK", machine.getProperty("jdk", "?"));
        row(b, "Go", machine.getProperty("go", "not run"));
        row(b, "go4j scheduler", schedulers(machine, go4jColumns));
        row(b, "JMH", machine.getProperty("jmh", "?"));
        row(b, "Go bench", machine.getProperty("gobench", "?"));
        String otherLoad = machine.getProperty("others.cores");
        if (otherLoad != null) {
            row(b, "Other load", otherLoad + " of " + machine.getProperty("nproc", "?")
                    + " cores used by other processes on average during the run (" + machine.getProperty("elapsed", "?")
                    + " s); load average at the end " + machine.getProperty("loadavg.end", "?"));
        }
        String rttStart = machine.getProperty("start.crosscore.rtt.ns");
        if (rttStart != null) {
            row(b, "Hand-off speed", "a cache line's round trip between two spinning platform threads: "
                    + rttStart + " before the run, " + machine.getProperty("end.crosscore.rtt.ns", "?")
                    + " after; `Thread.onSpinWait` " + machine.getProperty("start.onspinwait.ns", "?")
                    + " (drifts on a VM with the host's vCPU placement; moves every cross-core row)");
        }
        if (!haveGo) {
            row(b, "Note", "Go was not run (no `go` on PATH): the Go column is empty.");
        }
        b.append('\n');

        if (otherLoad != null && num(otherLoad) > 0.25) {
            b.append("> **Warning: the machine was shared during this run** (other processes kept ").append(otherLoad)
                    .append(" cores busy on average). Every number, Go's too, is inflated and noisier than on an idle "
                            + "machine; compare columns of the same run only.\n\n");
        }
        b.append("## Summary\n\n");
        b.append("| Workload |");
        for (String c : columns) {
            b.append(' ').append(c).append(" |");
        }
        for (String g : go4jColumns) {
            b.append(' ').append(g).append(" / Go |");
        }
        for (String g : go4jColumns) {
            b.append(' ').append(g).append(" / jox |");
        }
        b.append("\n|---|");
        b.append("---:|".repeat(columns.size() + 2 * go4jColumns.size()));
        b.append('\n');
        for (var e : table.entrySet()) {
            Map<String, Result> cells = e.getValue();
            b.append("| ").append(e.getKey()).append(" |");
            for (String c : columns) {
                Result r = cells.get(c);
                b.append(' ').append(r == null ? "–" : time(r.ns()) + errPct(r)).append(" |");
            }
            for (String g : go4jColumns) {
                b.append(' ').append(ratio(cells.get(g), cells.get(GO))).append(" |");
            }
            for (String g : go4jColumns) {
                b.append(' ').append(ratio(cells.get(g), cells.get(JOX))).append(" |");
            }
            b.append('\n');
        }
        b.append("\n±: JMH's 99.9% confidence half-width, relative to the score (Go prints no error). "
                + "–: no port of that workload for that column (see the per-workload notes).\n\n");
        b.append("![ns/op per workload, log scale](chart.png)\n\n");

        if (analysis != null) {
            b.append(analysis.strip()).append("\n\n");
        }

        b.append("## Per workload\n\n");
        for (var e : table.entrySet()) {
            String w = e.getKey();
            Map<String, Result> cells = e.getValue();
            b.append("### ").append(w).append("\n\n");
            String note = NOTES.get(w);
            if (note != null) {
                b.append(note).append("\n\n");
            }
            if (cells.isEmpty()) {
                b.append("No results.\n\n");
                continue;
            }
            b.append("| | ns/op | ± (99.9%) | vs Go | benchmark |\n|---|---:|---:|---:|---|\n");
            for (String c : columns) {
                Result r = cells.get(c);
                if (r == null) {
                    continue;
                }
                b.append("| ").append(c).append(" | ").append(String.format(Locale.ROOT, "%,.2f", r.ns()))
                        .append(" | ").append(Double.isNaN(r.err()) ? "–" : String.format(Locale.ROOT, "%,.2f", r.err()))
                        .append(" | ").append(c.equals(GO) ? "1×" : ratio(r, cells.get(GO)))
                        .append(" | `").append(r.source()).append("` |\n");
            }
            b.append('\n');
        }
        if (!others.isEmpty()) {
            b.append("## Other benchmarks (no Go anchor of that name)\n\n| benchmark | ns/op | ± (99.9%) |\n|---|---:|---:|\n");
            others.forEach((k, r) -> b.append("| `").append(k).append("` | ")
                    .append(String.format(Locale.ROOT, "%,.2f", r.ns())).append(" | ")
                    .append(Double.isNaN(r.err()) ? "–" : String.format(Locale.ROOT, "%,.2f", r.err())).append(" |\n"));
            b.append('\n');
        }
        b.append(HOW);
        return b.toString();
    }

    private static void row(StringBuilder b, String k, String v) {
        b.append("| ").append(k).append(" | ").append(v).append(" |\n");
    }

    private static String schedulers(Properties machine, List<String> go4jColumns) {
        List<String> parts = new ArrayList<>();
        for (String c : go4jColumns) {
            String s = c.substring("go4j (".length(), c.length() - 1);
            String d = machine.getProperty("scheduler." + s);
            parts.add("`-Dgo4j.scheduler=" + s + "`" + (d == null ? "" : ": " + d));
        }
        return parts.isEmpty() ? "–" : String.join("; ", parts);
    }

    /** What each column runs, per workload (Go's code is the spec; see bench_test.go). */
    static final Map<String, String> NOTES = new LinkedHashMap<>();

    static {
        NOTES.put("PingPong", "Unbuffered ping-pong between two goroutines, one round trip per op. "
                + "go4j: two `Chan.make()`; jox: two rendezvous channels; j.u.c.: two `SynchronousQueue`s "
                + "(a poison value stands for `close`). Every JVM loop runs in a virtual thread.");
        NOTES.put("ProdCons0", "One producer, one consumer, one item per op, unbuffered. "
                + "jox: rendezvous channel; j.u.c.: `SynchronousQueue`.");
        NOTES.put("ProdCons1", "As ProdCons0 with capacity 1. jox: `newBufferedChannel(1)`; j.u.c.: "
                + "`ArrayBlockingQueue(1)`.");
        NOTES.put("ProdCons100", "As ProdCons0 with capacity 100. j.u.c.: `ArrayBlockingQueue(100)`.");
        NOTES.put("MPMC100", "GOMAXPROCS×2 producers and as many consumers on one channel of capacity 100, "
                + "one item per op (a `CountDownLatch` stands for `sync.WaitGroup`).");
        NOTES.put("Select2", "A select over two buffered (16) channels, one producer feeding each; one select per op. "
                + "j.u.c. has no select over several queues: no row.");
        NOTES.put("SelectDefault", "A non-blocking select on an empty unbuffered channel. It never blocks, so the JVM "
                + "versions run on JMH's own thread, one select per invocation. j.u.c.: `SynchronousQueue.poll()` "
                + "(the non-blocking receive that a one-case select with default is).");
        NOTES.put("SpawnWait", "Spawn a goroutine that calls `wg.Done()` and wait for all: one spawn per op. "
                + "go4j: `Go.go` + `CountDownLatch` (the j.u.c. row's latch, so that the rows differ only by the spawn); j.u.c.: "
                + "`Thread.ofVirtual().start` + `CountDownLatch`. jox has no spawn of its own (it would be the "
                + "j.u.c. row).");
        NOTES.put("MutexContended", "4 goroutines each take a mutex around `x++`, one lock/unlock per op. "
                + "j.u.c.: `ReentrantLock` on 4 virtual threads. go4j: `go4j.sync.Mutex` "
                + "(go4j.bench.sync.MutexBench).");
        NOTES.put("ContextCancel", "`context.WithCancel(parent)` + `cancel()` per op. No JVM peer: j.u.c. and jox "
                + "have no context. go4j: `go4j.context` (go4j.bench.timectx.ContextBench).");
        NOTES.put("SyncMapLoad", "Loads of a stable 1024-key map from GOMAXPROCS goroutines (Go's RunParallel: "
                + "ns/op = wall time / total loads). j.u.c.: `ConcurrentHashMap` with pre-boxed keys. go4j: "
                + "`go4j.sync.SyncMap` (go4j.bench.sync.SyncMapBench).");
        NOTES.put("Sieve1000", "The concurrent prime sieve: first 1000 primes per op (checks 7919); a generator and "
                + "one filter goroutine per prime, chained by unbuffered channels. Go leaks the 1001 goroutines per op; "
                + "the JVM versions end them after each invocation, outside the measured time (go4j: the end of "
                + "`Go.run` interrupts them, inside the measured time, as a Go program's exit would). "
                + "j.u.c.: `SynchronousQueue`s.");
    }

    static final String HOW = """
            ## How to reproduce

            ```
            bench/run                         # full run (~10 min on 2 cores): Go anchors + JMH, then this README
            bench/run --quick                 # smoke run (~2-3 min), same outputs, rougher numbers
            bench/run --schedulers jdk,gmp    # go4j rows once per go4j scheduler (peers run once)
            bench/run --only 'PingPong|Sieve' # a subset (JMH regexp); the report keeps the other results files
            bench/run --report-only           # redraw README.md and chart.png from bench/results
            ```

            Full run: JMH `-f 2 -wi 3 -w 1s -i 5 -r 1s` (two forks: go4j's timings differ from fork to fork with
            carrier placement), Go `go test -bench . -benchtime 1s`. Raw results in `bench/results/`:
            `go-bench.txt` (Go's output), `jmh-<scheduler>[-only]-<UTC stamp>.json` (JMH; for a benchmark
            measured in several files the newest stamp wins, unstamped files count as oldest), `jmh-*.log`,
            `machine.properties`. The benchmarks live in module `go4j-bench` (`go4j.bench.*` for go4j,
            `go4j.bench.peers.*` for jox and j.u.c.); a new benchmark method named after a Go anchor shows up
            in this report by itself.
            """;
}
