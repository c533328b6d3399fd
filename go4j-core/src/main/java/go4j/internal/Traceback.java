package go4j.internal;

import java.util.List;

/** Formats Java frames the way Go prints a goroutine's stack, folding away go4j's and the JDK's machinery. */
public final class Traceback {
    private Traceback() {}

    /** True for frames of go4j's own machinery and the JDK's thread plumbing, which Go's traces would not show. */
    public static boolean hidden(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("go4j.internal.")
                || c.equals("go4j.Chan") || c.startsWith("go4j.Chan$")
                || c.equals("go4j.Select") || c.startsWith("go4j.Select$")
                || c.equals("go4j.Go")
                || c.startsWith("java.lang.VirtualThread") || c.startsWith("java.lang.Thread")
                || c.startsWith("jdk.internal.vm.") || c.startsWith("java.util.concurrent.locks.LockSupport")
                || c.startsWith("java.util.concurrent.ForkJoin");
    }

    /** Appends {@code pkg.Class.method(...)\n\tFile.java:line\n} for every visible frame. */
    public static void appendFrames(StringBuilder sb, List<StackTraceElement> frames) {
        for (StackTraceElement f : frames) {
            if (hidden(f)) {
                continue;
            }
            appendFrame(sb, f);
        }
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
        sb.append("created by ");
        StackTraceElement at = g.createdAt;
        if (at != null) {
            sb.append(at.getClassName()).append('.').append(at.getMethodName());
        } else {
            sb.append(g.fn.getClass().getName());
        }
        if (g.parentId != 0) {
            sb.append(" in goroutine ").append(g.parentId);
        }
        sb.append('\n');
        if (at != null) {
            sb.append('\t').append(at.getFileName() == null ? "?" : at.getFileName());
            if (at.getLineNumber() >= 0) {
                sb.append(':').append(at.getLineNumber());
            }
            sb.append('\n');
        }
    }
}
