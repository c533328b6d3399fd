package go4j.debug;

import java.lang.management.ManagementFactory;

import go4j.Chan;
import go4j.Go;
import go4j.Panic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Go.main as a Go binary: a deadlock prints Go's report and exits with status 2 (crash_test.go TestSimpleDeadlock
 * checks the same text); GOTRACEBACK from the environment selects the traceback level.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProcessExitTest {

    /** A Go program whose main deadlocks. */
    public static final class DeadlockMain {
        public static void main(String[] args) {
            Go.main(() -> {
                Chan<Integer> c = Chan.make();
                Go.go(() -> Chan.<Integer>make().recv());
                c.send(1);
            });
        }
    }

    /** A Go program whose main panics while another goroutine waits. */
    public static final class PanicMain {
        public static void main(String[] args) {
            Go.main(() -> {
                Chan<Integer> c = Chan.make();
                Go.go(c::recv);
                while (!Go.stack(true).contains("goroutine 2 [chan receive]")) {
                    Go.gosched();
                }
                throw new Panic("boom");
            });
        }
    }

    /** A program that serves the debug endpoint from -Dgo4j.debug.http=0 and fetches its own dump. */
    public static final class HttpMain {
        public static void main(String[] args) {
            Go.main(() -> {
                Chan<Integer> c = Chan.make();
                Go.go(c::recv);
                while (!Go.stack(true).contains("goroutine 2 [chan receive]")) {
                    Go.gosched();
                }
                try {
                    java.lang.reflect.Field f = go4j.debug.Diagnostics.class.getDeclaredField("server");
                    f.setAccessible(true);
                    DebugServer s = (DebugServer) f.get(null);
                    ObservabilityTest.Response r = ObservabilityTest.get(s.uri().resolve("goroutine?debug=2"));
                    System.err.print(new String(r.body(), StandardCharsets.UTF_8));
                } catch (ReflectiveOperationException e) {
                    throw new AssertionError(e);
                }
                c.send(1);
            });
        }
    }

    record Result(int status, String stderr) {}

    static Result java(Class<?> main, Map<String, String> env, String... jvmArgs) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new java.util.ArrayList<>(List.of(java));
        // The child runs as an application would: with the same opens (so go4j picks the same scheduler and
        // prints no fallback notice).
        List<String> in = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (int i = 0; i < in.size(); i++) {
            String a = in.get(i);
            if ((a.equals("--add-opens") || a.equals("--add-exports")) && i + 1 < in.size()) {
                cmd.add(a);
                cmd.add(in.get(++i));
            } else if (a.startsWith("--add-opens=") || a.startsWith("--add-exports=") || a.startsWith("-Dgo4j.scheduler")) {
                cmd.add(a);
            }
        }
        cmd.addAll(List.of(jvmArgs));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), main.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("GOTRACEBACK");
        pb.environment().putAll(env);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(50, TimeUnit.SECONDS)).isTrue();
        return new Result(p.exitValue(), err);
    }

    @Test
    void deadlockedMainExitsWithStatus2AndGosReport() throws Exception {
        Result r = java(DeadlockMain.class, Map.of());
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.stderr()).startsWith("fatal error: all goroutines are asleep - deadlock!\n\ngoroutine 1 [chan send]:\n"
                + "go4j.debug.ProcessExitTest$DeadlockMain.lambda$main$");
        assertThat(r.stderr()).contains("\n\ngoroutine 2 [chan receive]:\n", "created by go4j.debug.ProcessExitTest$DeadlockMain.lambda$main$");
    }

    @Test
    void gotracebackFromTheEnvironment() throws Exception {
        Result single = java(PanicMain.class, Map.of());
        assertThat(single.status()).isEqualTo(2);
        assertThat(single.stderr()).startsWith("panic: boom\n\ngoroutine 1 [running]:\n").doesNotContain("goroutine 2 ");
        Result all = java(PanicMain.class, Map.of("GOTRACEBACK", "all"));
        assertThat(all.status()).isEqualTo(2);
        assertThat(all.stderr()).startsWith("panic: boom\n\ngoroutine 1 [running]:\n").contains("\n\ngoroutine 2 [chan receive]:\n");
    }

    @Test
    void debugEndpointFromASystemProperty() throws Exception {
        Result r = java(HttpMain.class, Map.of(), "-Dgo4j.debug.http=0");
        assertThat(r.status()).isZero();
        assertThat(r.stderr()).containsPattern("^go4j: debug endpoint http://127\\.0\\.0\\.1:\\d+/debug/pprof/\n");
        // main waits for the HTTP reply in a socket read (syscall), or is about to
        assertThat(r.stderr()).containsPattern("goroutine 1 \\[(syscall|running)\\]:\n").contains("goroutine 2 [chan receive]:\n");
    }
}
