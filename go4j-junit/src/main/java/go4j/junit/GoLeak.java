package go4j.junit;

import go4j.debug.GoroutineInfo;
import go4j.debug.Goroutines;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.AnnotatedElement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Go's <a href="https://github.com/uber-go/goleak">goleak</a> for JUnit 5: fails a test that leaves goroutines
 * behind, with their dump in Go's format.
 *
 * <pre>{@code
 * @ExtendWith(GoLeak.class)                       // defaults: 2 s grace, no ignore rules
 * class ServerTest { ... }
 *
 * @RegisterExtension                              // or configured
 * static final GoLeak goleak = GoLeak.verifyNone()
 *         .ignoreTopFunction("com.example.Pool.worker")
 *         .grace(Duration.ofMillis(500));
 *
 * @GoLeak.Ignore(topFunction = "com.example.Cache.janitor")  // on a class or a test method
 * }</pre>
 *
 * <h2>What counts as a leak</h2>
 * A goroutine (of any {@code Go.run}, or started outside any run) that is alive after the test and was not alive
 * before it. The check retries with back-off during the grace period, so goroutines that are on their way out
 * (the leftovers of a {@code Go.run}, which go4j interrupts when the run ends) do not count. Goroutines whose
 * innermost visible frame is an ignored top function, or whose stack contains an ignored "any" function
 * ({@code Class.method}, as {@link GoroutineInfo#topFunction()} prints it) are ignored.
 *
 * <p>The direct form, for code that wants no extension: {@code Snapshot s = GoLeak.snapshot(); ...;
 * GoLeak.verifyNone(s)}.
 */
public final class GoLeak implements BeforeEachCallback, AfterEachCallback {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(GoLeak.class);
    /** goleak's default is ~20 retries with back-off; go4j waits up to this long. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(2);

    /** Ignore rules for a test class or method (merged with the extension's own rules). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target({ElementType.TYPE, ElementType.METHOD})
    @Inherited
    public @interface Ignore {
        /** Goroutines whose innermost visible frame is one of these ({@code pkg.Class.method}) are ignored. */
        String[] topFunction() default {};

        /** Goroutines with one of these ({@code pkg.Class.method}) anywhere in their stack are ignored. */
        String[] anyFunction() default {};
    }

    /** The goroutines alive at one moment (goleak's {@code IgnoreCurrent}). */
    public record Snapshot(Set<String> keys) {}

    private final List<String> topFunctions;
    private final List<String> anyFunctions;
    private final Duration grace;

    /** The extension with defaults (used by {@code @ExtendWith(GoLeak.class)}). */
    public GoLeak() {
        this(List.of(), List.of(), DEFAULT_GRACE);
    }

    private GoLeak(List<String> top, List<String> any, Duration grace) {
        this.topFunctions = List.copyOf(top);
        this.anyFunctions = List.copyOf(any);
        this.grace = grace;
    }

    /** A configurable extension for {@code @RegisterExtension}. */
    public static GoLeak verifyNone() {
        return new GoLeak();
    }

    /** goleak's {@code IgnoreTopFunction}. */
    public GoLeak ignoreTopFunction(String function) {
        List<String> l = new ArrayList<>(topFunctions);
        l.add(function);
        return new GoLeak(l, anyFunctions, grace);
    }

    /** goleak's {@code IgnoreAnyFunction}. */
    public GoLeak ignoreAnyFunction(String function) {
        List<String> l = new ArrayList<>(anyFunctions);
        l.add(function);
        return new GoLeak(topFunctions, l, grace);
    }

    /** How long leftover goroutines get to exit before they count as leaked. */
    public GoLeak grace(Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException("negative grace: " + d);
        }
        return new GoLeak(topFunctions, anyFunctions, d);
    }

    @Override
    public void beforeEach(ExtensionContext ctx) {
        ctx.getStore(NS).put("baseline", snapshot());
    }

    @Override
    public void afterEach(ExtensionContext ctx) {
        Snapshot before = ctx.getStore(NS).get("baseline", Snapshot.class);
        List<String> top = new ArrayList<>(topFunctions);
        List<String> any = new ArrayList<>(anyFunctions);
        addIgnores(ctx.getTestMethod().map(m -> (AnnotatedElement) m), top, any);
        for (Optional<Class<?>> c = ctx.getTestClass(); c.isPresent(); c = Optional.ofNullable(c.get().getEnclosingClass())) {
            addIgnores(Optional.of(c.get()), top, any);
        }
        check(before == null ? new Snapshot(Set.of()) : before, top, any, grace);
    }

    private static void addIgnores(Optional<AnnotatedElement> e, List<String> top, List<String> any) {
        e.map(x -> x.getAnnotation(Ignore.class)).ifPresent(i -> {
            top.addAll(List.of(i.topFunction()));
            any.addAll(List.of(i.anyFunction()));
        });
    }

    /** The goroutines alive now. */
    public static Snapshot snapshot() {
        Set<String> keys = new HashSet<>();
        for (GoroutineInfo g : Goroutines.all()) {
            keys.add(key(g));
        }
        return new Snapshot(keys);
    }

    /** goleak's {@code VerifyNone} against a snapshot, with the default grace and no ignore rules. */
    public static void verifyNone(Snapshot before) {
        check(before, List.of(), List.of(), DEFAULT_GRACE);
    }

    /** This extension's check against a snapshot (its rules and grace). */
    public void verify(Snapshot before) {
        check(before, topFunctions, anyFunctions, grace);
    }

    /**
     * Fails with an {@link AssertionError} listing the leaked goroutines if, until the grace period ends, some
     * goroutine not in {@code before} and not ignored stays alive.
     */
    static void check(Snapshot before, List<String> top, List<String> any, Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        long pause = TimeUnit.MICROSECONDS.toNanos(500);
        while (true) {
            List<GoroutineInfo> leaked = leaked(before, top, any);
            if (leaked.isEmpty()) {
                return;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(message(leaked));
            }
            LockSupport.parkNanos(Math.min(pause, left));
            pause = Math.min(pause * 2, TimeUnit.MILLISECONDS.toNanos(100));
        }
    }

    private static List<GoroutineInfo> leaked(Snapshot before, List<String> top, List<String> any) {
        List<GoroutineInfo> l = new ArrayList<>();
        for (GoroutineInfo g : Goroutines.all()) {
            if (before.keys().contains(key(g)) || top.contains(g.topFunction()) || hasAny(g, any)) {
                continue;
            }
            l.add(g);
        }
        return l;
    }

    private static boolean hasAny(GoroutineInfo g, List<String> any) {
        if (any.isEmpty()) {
            return false;
        }
        for (StackTraceElement f : g.stack()) {
            if (any.contains(f.getClassName() + "." + f.getMethodName())) {
                return true;
            }
        }
        return false;
    }

    private static String key(GoroutineInfo g) {
        return g.program() + "/" + g.id();
    }

    /** goleak's message: {@code found unexpected goroutines:} and one bracketed trace per goroutine. */
    static String message(List<GoroutineInfo> leaked) {
        StringBuilder sb = new StringBuilder("found unexpected goroutines:\n");
        for (GoroutineInfo g : leaked) {
            sb.append("[Goroutine ").append(g.id());
            if (g.program() != 0) {
                sb.append(" of program ").append(g.program());
            }
            sb.append(" in state ").append(g.status()).append(", with ")
                    .append(g.topFunction().isEmpty() ? "?" : g.topFunction()).append(" on top of the stack:\n")
                    .append(g.text()).append("]\n");
        }
        return sb.toString();
    }
}
