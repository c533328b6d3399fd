package go4j.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Formats goroutines the way Go prints them (panic reports, {@code runtime.Stack}, {@code debug=2} profiles):
 * <pre>
 * goroutine 7 [chan receive, 2 minutes]:
 * com.example.Worker.loop(...)
 * 	Worker.java:42
 * created by com.example.Main.main in goroutine 1
 * 	Main.java:17
 * </pre>
 * Java frames stand for Go's; go4j's machinery and the JDK's thread plumbing are folded away unless the traceback
 * level is {@code system}. The minutes appear only after a goroutine waited one minute or more, as in Go.
 *
 * <h2>Traceback level (Go's GOTRACEBACK)</h2>
 * From {@code -Dgo4j.traceback}, else the environment variable {@code GOTRACEBACK}, else {@code single};
 * changeable at run time ({@link #setLevel}, public as {@code go4j.debug.Debug.setTraceback}): {@code none} (no
 * goroutine traces in panic reports), {@code single} (the panicking goroutine), {@code all} (every goroutine of the
 * program), {@code system} (every goroutine, with go4j's and the JDK's frames). A deadlock always prints every
 * goroutine (as Go does), unless the level is {@code none}.
 */
public final class Traceback {
    private Traceback() {}

    public static final int NONE = 0;
    public static final int SINGLE = 1;
    public static final int ALL = 2;
    public static final int SYSTEM = 3;

    private static volatile int level = parseLevel(System.getProperty("go4j.traceback",
            System.getenv().getOrDefault("GOTRACEBACK", "single")), SINGLE);

    /** The current traceback level (NONE..SYSTEM). */
    public static int level() {
        return level;
    }

    /**
     * Sets the traceback level from Go's names: {@code none}/{@code 0}, {@code single}/{@code 1}, {@code all}/
     * {@code 2}, {@code system}, {@code crash} (same as system here).
     *
     * @throws IllegalArgumentException for any other name
     */
    public static void setLevel(String name) {
        int l = parseLevel(name, -1);
        if (l < 0) {
            throw new IllegalArgumentException("unknown traceback level: " + name);
        }
        level = l;
    }

    private static int parseLevel(String s, int dflt) {
        return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
            case "none", "0" -> NONE;
            case "single", "1", "" -> SINGLE;
            case "all", "2" -> ALL;
            case "system", "crash" -> SYSTEM;
            default -> dflt;
        };
    }

    /** go4j.debug's own classes (their frames are machinery; other classes of the package, e.g. tests, are not). */
    private static final java.util.Set<String> DEBUG_API = java.util.Set.of("go4j.debug.Debug",
            "go4j.debug.Goroutines", "go4j.debug.Pprof", "go4j.debug.DebugServer", "go4j.debug.Diagnostics",
            "go4j.debug.GoroutineInfo", "go4j.debug.ProfileWriter");

    private static String outer(String c) {
        int i = c.indexOf('$');
        return i < 0 ? c : c.substring(0, i);
    }

    /** True for frames of go4j's own machinery and the JDK's thread plumbing, which Go's traces would not show. */
    public static boolean hidden(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("go4j.internal.")
                || (c.startsWith("go4j.debug.") && DEBUG_API.contains(outer(c)))
                || c.equals("go4j.Chan") || c.startsWith("go4j.Chan$")
                || c.equals("go4j.Select") || c.startsWith("go4j.Select$")
                || c.equals("go4j.Go") || c.equals("go4j.WaitQ") || c.equals("go4j.Sudog")
                || c.startsWith("java.lang.VirtualThread") || c.startsWith("java.lang.Thread")
                || c.startsWith("jdk.internal.vm.") || c.startsWith("jdk.internal.misc.") || c.equals("java.lang.System$1") || c.startsWith("java.util.concurrent.locks.LockSupport")
                || c.startsWith("java.util.concurrent.ForkJoin");
    }

    /** Appends {@code pkg.Class.method(...)\n\tFile.java:line\n} for every visible frame. */
    public static void appendFrames(StringBuilder sb, List<StackTraceElement> frames) {
        appendFrames(sb, frames, false);
    }

    /** As {@link #appendFrames(StringBuilder, List)}; {@code system} shows hidden frames too. */
    public static void appendFrames(StringBuilder sb, List<StackTraceElement> frames, boolean system) {
        for (StackTraceElement f : frames) {
            if (!system && hidden(f)) {
                continue;
            }
            appendFrame(sb, f);
        }
    }

    /** The frames a dump shows for a stack (go4j's and the JDK's plumbing removed unless {@code system}). */
    public static List<StackTraceElement> visible(StackTraceElement[] frames, boolean system) {
        List<StackTraceElement> l = new ArrayList<>(frames.length);
        for (StackTraceElement f : frames) {
            if (system || !hidden(f)) {
                l.add(f);
            }
        }
        return l;
    }

    public static void appendFrame(StringBuilder sb, StackTraceElement f) {
        sb.append(f.getClassName()).append('.').append(f.getMethodName()).append("(...)\n\t");
        sb.append(f.getFileName() == null ? "?" : f.getFileName());
        if (f.getLineNumber() >= 0) {
            sb.append(':').append(f.getLineNumber());
        }
        sb.append('\n');
    }

    /** Go's {@code created by <fn> in goroutine <parent>} trailer. */
    public static void appendCreatedBy(StringBuilder sb, G g) {
        if (g.id == 1 && g.parentId == 0 && !g.program.isDetached()) {
            return; // the main goroutine was not created by a go statement
        }
        sb.append("created by ").append(createdByFunction(g));
        if (g.parentId != 0) {
            sb.append(" in goroutine ").append(g.parentId);
        }
        sb.append('\n');
        StackTraceElement at = g.createdAt;
        if (at != null) {
            sb.append('\t').append(at.getFileName() == null ? "?" : at.getFileName());
            if (at.getLineNumber() >= 0) {
                sb.append(':').append(at.getLineNumber());
            }
            sb.append('\n');
        }
    }

    /** The function that ran the {@code go} statement ({@code Class.method}), or the goroutine's function class. */
    public static String createdByFunction(G g) {
        StackTraceElement at = g.createdAt;
        return at != null ? at.getClassName() + "." + at.getMethodName() : g.fn.getClass().getName();
    }

    /** The text of a go4j-RUNNING goroutine: "running", or "syscall" while its thread is blocked in the JDK. */
    static String runningText(G g) {
        Thread t = g.thread();
        if (t == null) {
            return "running";
        }
        return switch (t.getState()) {
            case WAITING, TIMED_WAITING, BLOCKED -> "syscall";
            default -> "running";
        };
    }

    /** One captured goroutine: what a dump prints for it. */
    public record Snapshot(G g, String status, boolean waiting, long waitNanos, long waitMinutes,
                           StackTraceElement[] stack) {}

    /**
     * Captures goroutine g: its status text (Go's wait reason, "running", "runnable", "sleep" or "syscall" for a
     * goroutine blocked in the JDK), its wait in whole minutes, and its stack.
     */
    public static Snapshot snapshot(G g) {
        Thread t = g.thread();
        int st = g.state();
        WaitReason reason = g.waitReason();
        long since = g.waitSince();
        StackTraceElement[] stack = t == null ? new StackTraceElement[0] : t.getStackTrace();
        String status;
        long waited = 0;
        boolean waiting = false;
        if (st == G.WAITING && reason != null && g.state() == G.WAITING) {
            status = reason.text();
            waiting = true;
            waited = Math.max(0, System.nanoTime() - since);
        } else if (st == G.RUNNING) {
            status = runningText(g);
            if (status.equals("syscall") && sleeping(stack)) {
                status = "sleep";
            }
        } else {
            status = st == G.RUNNABLE ? "runnable" : st == G.DEAD ? "dead" : "waiting";
        }
        return new Snapshot(g, status, waiting, waited, waited / 60_000_000_000L, stack);
    }

    private static boolean sleeping(StackTraceElement[] stack) {
        for (StackTraceElement f : stack) {
            if (f.getClassName().equals("java.lang.Thread") && f.getMethodName().startsWith("sleep")) {
                return true;
            }
            if (!hidden(f)) {
                return false;
            }
        }
        return false;
    }

    /** Go's {@code goroutine N [status, M minutes]:} header line, with its newline. */
    public static void appendHeader(StringBuilder sb, long id, String status, long minutes) {
        sb.append("goroutine ").append(id).append(" [").append(status);
        if (minutes >= 1) {
            sb.append(", ").append(minutes).append(" minutes");
        }
        sb.append("]:\n");
    }

    /** Appends one goroutine's header, stack and creation site. */
    public static void appendGoroutine(StringBuilder sb, G g, Snapshot s, boolean system) {
        if (s == null) {
            s = snapshot(g);
        }
        appendHeader(sb, g.id, s.status(), s.waitMinutes());
        appendFrames(sb, List.of(s.stack()), system);
        appendCreatedBy(sb, g);
    }

    /**
     * Go's {@code runtime.Stack}: the calling goroutine's trace and, if {@code all}, every other goroutine of its
     * program (for a caller that is not a goroutine: the detached goroutines), separated by blank lines.
     */
    public static String stack(boolean all) {
        G self = G.current();
        Program p = self == null ? Program.DETACHED : self.program;
        boolean system = level() >= SYSTEM;
        StringBuilder sb = new StringBuilder();
        if (self != null) {
            appendGoroutine(sb, self, null, system);
        }
        if (all) {
            for (G g : p.goroutinesById()) {
                if (g != self) {
                    if (!sb.isEmpty()) {
                        sb.append('\n');
                    }
                    appendGoroutine(sb, g, null, system);
                }
            }
        }
        return sb.toString();
    }

    /**
     * Every goroutine of the process: each run's (oldest run first), then the detached ones. When more than one
     * program has goroutines, each program's section starts with a {@code # go4j program ...} comment line (ids are
     * per program, so the same id can appear in two sections).
     */
    public static String dumpAll() {
        boolean system = level() >= SYSTEM;
        List<Program> programs = new ArrayList<>();
        for (Program p : Program.all()) {
            if (p.count() > 0) {
                programs.add(p);
            }
        }
        StringBuilder sb = new StringBuilder();
        for (Program p : programs) {
            if (programs.size() > 1) {
                if (!sb.isEmpty()) {
                    sb.append('\n');
                }
                sb.append(programComment(p)).append('\n');
            }
            boolean first = true;
            for (G g : p.goroutinesById()) {
                if (!first || (!sb.isEmpty() && programs.size() == 1)) {
                    sb.append('\n');
                }
                first = false;
                appendGoroutine(sb, g, null, system);
            }
        }
        return sb.toString();
    }

    /** {@code # go4j program N (Go.run on thread "x")} or {@code # go4j detached goroutines}. */
    public static String programComment(Program p) {
        if (p.isDetached()) {
            return "# go4j detached goroutines (started outside any Go.run)";
        }
        Thread r = p.runner();
        return "# go4j program " + p.number + " (Go.run on thread \"" + (r == null ? "?" : r.getName()) + "\")";
    }
}
