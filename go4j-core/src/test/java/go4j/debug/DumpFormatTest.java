package go4j.debug;

import go4j.Chan;
import go4j.Go;
import go4j.Panic;
import go4j.internal.Traceback;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Go's goroutine dump format (runtime/traceback.go goroutineheader, traceback, printcreatedby). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DumpFormatTest {

    @Test
    void stackOfTheCallingGoroutine() {
        String[] out = new String[1];
        Go.run(() -> out[0] = Go.stack(false));
        assertThat(out[0]).startsWith("goroutine 1 [running]:\ngo4j.debug.DumpFormatTest.lambda$stackOfTheCallingGoroutine$");
        assertThat(out[0]).contains("(...)\n\tDumpFormatTest.java:");
        assertThat(out[0]).doesNotContain("go4j.internal.", "go4j.Go.", "VirtualThread", "created by");
    }

    @Test
    void stackAllShowsWaitReasonsAndCreators() {
        String[] out = new String[1];
        Go.run(() -> {
            Chan<Integer> c = Chan.make();
            Chan<Integer> s = Chan.make();
            Go.go(() -> c.recv());
            Go.go(() -> s.send(1));
            while (!Go.stack(true).contains("goroutine 3 [chan send]") || !Go.stack(true).contains("goroutine 2 [chan receive]")) {
                Go.gosched();
            }
            out[0] = Go.stack(true);
            c.send(0);
            s.recv();
        });
        String dump = out[0];
        assertThat(dump).startsWith("goroutine 1 [running]:\n");
        assertThat(dump).contains("\n\ngoroutine 2 [chan receive]:\ngo4j.debug.DumpFormatTest.lambda$stackAllShowsWaitReasonsAndCreators$");
        assertThat(dump).containsPattern("created by go4j\\.debug\\.DumpFormatTest\\.lambda\\$stackAllShowsWaitReasonsAndCreators\\$\\d+ in goroutine 1\n\tDumpFormatTest\\.java:\\d+\n");
        assertThat(dump).contains("\n\ngoroutine 3 [chan send]:\n");
        assertThat(dump.indexOf("goroutine 2 [")).isLessThan(dump.indexOf("goroutine 3 ["));
    }

    @Test
    void headerPrintsMinutesOnlyFromOneMinuteOn() {
        StringBuilder sb = new StringBuilder();
        Traceback.appendHeader(sb, 7, "chan receive", 0);
        Traceback.appendHeader(sb, 7, "chan receive", 2);
        assertThat(sb.toString()).isEqualTo("goroutine 7 [chan receive]:\ngoroutine 7 [chan receive, 2 minutes]:\n");
    }

    @Test
    void goroutineBlockedInTheJdkShowsAsSyscall() throws Exception {
        CountDownLatch never = new CountDownLatch(1);
        String[] out = new String[1];
        Go.run(() -> {
            Go.go(() -> {
                try {
                    never.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            while (!Go.stack(true).contains("goroutine 2 [syscall]:")) {
                Go.gosched();
            }
            out[0] = Go.stack(true);
        });
        assertThat(out[0]).contains("goroutine 2 [syscall]:\njava.util.concurrent.", "java.util.concurrent.CountDownLatch.await(...)");
    }

    @Test
    void panicReportWithTracebackAllPrintsEveryGoroutine() {
        String saved = Debug.traceback();
        Debug.setTraceback("all");
        try (StderrCapture err = new StderrCapture()) {
            assertThatThrownBy(() -> Go.run(() -> {
                Chan<Integer> c = Chan.make();
                Go.go(() -> c.recv());
                while (!Go.stack(true).contains("goroutine 2 [chan receive]")) {
                    Go.gosched();
                }
                throw new Panic("boom");
            })).isInstanceOf(Panic.class);
            String out = err.text();
            assertThat(out).startsWith("panic: boom\n\ngoroutine 1 [running]:\ngo4j.debug.DumpFormatTest.lambda$panicReportWithTracebackAllPrintsEveryGoroutine$");
            assertThat(out).contains("\n\ngoroutine 2 [chan receive]:\n");
        } finally {
            Debug.setTraceback(saved);
        }
    }

    @Test
    void panicReportSingleByDefaultAndNoneOmitsTraces() {
        String saved = Debug.traceback();
        try (StderrCapture err = new StderrCapture()) {
            Debug.setTraceback("single");
            assertThatThrownBy(() -> Go.run(() -> {
                Go.go(() -> Chan.make().recv());
                throw new Panic("one");
            })).isInstanceOf(Panic.class);
            Debug.setTraceback("none");
            assertThatThrownBy(() -> Go.run(() -> {
                throw new Panic("two");
            })).isInstanceOf(Panic.class);
            String out = err.text();
            assertThat(out).startsWith("panic: one\n\ngoroutine 1 [running]:\n").doesNotContain("goroutine 2 ");
            assertThat(out).endsWith("panic: two\n");
        } finally {
            Debug.setTraceback(saved);
        }
        assertThatThrownBy(() -> Debug.setTraceback("loud")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void processWideDumpLabelsPrograms() {
        String[] out = new String[1];
        Go.run(() -> {
            Chan<Integer> c = Chan.make();
            Go.go(() -> c.recv());
            while (!Go.stack(true).contains("goroutine 2 [chan receive]")) {
                Go.gosched();
            }
            Thread t = Thread.ofPlatform().start(() -> out[0] = Goroutines.dump());
            try {
                t.join();
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            c.send(1);
        });
        // main is in (or entering) Thread.join, a JDK call: "syscall", as Go shows a goroutine outside its scheduler
        assertThat(out[0]).containsPattern("goroutine 1 \\[(running|syscall)\\]:\n").contains("goroutine 2 [chan receive]:");
        assertThat(Goroutines.all()).allSatisfy(i -> assertThat(i.text()).startsWith("goroutine " + i.id() + " ["));
    }

    @Test
    void waitingLongerThanListsParkedGoroutinesWithTheirWait() {
        Object[] got = new Object[2];
        Go.run(() -> {
            Chan<Integer> c = Chan.make();
            Go.go(() -> c.recv());
            while (!Go.stack(true).contains("goroutine 2 [chan receive]")) {
                Go.gosched();
            }
            got[0] = Goroutines.waitingLongerThan(java.time.Duration.ZERO).stream()
                    .filter(g -> g.text().contains("DumpFormatTest")).toList();
            got[1] = Goroutines.waitingLongerThan(java.time.Duration.ofHours(1));
            c.send(1);
        });
        @SuppressWarnings("unchecked")
        java.util.List<GoroutineInfo> parked = (java.util.List<GoroutineInfo>) got[0];
        assertThat(parked).singleElement().satisfies(g -> {
            assertThat(g.id()).isEqualTo(2);
            assertThat(g.waiting()).isTrue();
            assertThat(g.status()).isEqualTo("chan receive");
            assertThat(g.parentId()).isEqualTo(1);
            assertThat(g.topFunction()).startsWith("go4j.debug.DumpFormatTest.lambda$waitingLongerThan");
            assertThat(g.createdBy()).startsWith("go4j.debug.DumpFormatTest.lambda$waitingLongerThan");
        });
        assertThat((java.util.List<?>) got[1]).isEmpty();
    }
}
