package go4j.junit;

import go4j.Chan;
import go4j.Go;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/** The goleak extension, run on a real JUnit engine (go.uber.org/goleak's TestFind / TestVerifyNone behaviours). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GoLeakTest {

    @Test
    void failsTheLeakyTestWithItsDumpAndPassesTheOthers() {
        LauncherDiscoveryRequest req = request().selectors(selectClass(LeakyFixture.class)).build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(req, listener);
        TestExecutionSummary summary = listener.getSummary();
        Map<String, Throwable> failures = summary.getFailures().stream().collect(Collectors.toMap(
                f -> f.getTestIdentifier().getDisplayName(), TestExecutionSummary.Failure::getException));
        try {
            assertThat(summary.getTestsSucceededCount()).isEqualTo(3);
            assertThat(failures).containsOnlyKeys("leaks()");
            String msg = failures.get("leaks()").getMessage();
            assertThat(msg).startsWith("found unexpected goroutines:\n[Goroutine ")
                    .contains(" in state chan receive, with go4j.junit.LeakyFixture.blockedForever on top of the stack:\n")
                    .containsPattern("goroutine \\d+ \\[chan receive\\]:\ngo4j\\.junit\\.LeakyFixture\\.blockedForever\\(\\.\\.\\.\\)\n\tLeakyFixture\\.java:\\d+\n")
                    .contains("created by go4j.junit.LeakyFixture.leaks\n");
        } finally {
            LeakyFixture.RELEASE.close(); // let the leaked and the ignored goroutines go
        }
    }

    @Test
    void directFormAgainstASnapshot() {
        GoLeak.Snapshot before = GoLeak.snapshot();
        Chan<Integer> c = Chan.make();
        Go.go(() -> waitOn(c));
        GoLeak strict = GoLeak.verifyNone().grace(Duration.ofMillis(50));
        assertThatThrownBy(() -> strict.verify(before)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("[chan receive]").hasMessageContaining("with go4j.junit.GoLeakTest.waitOn on top");
        GoLeak.verifyNone().ignoreAnyFunction("go4j.junit.GoLeakTest.waitOn")
                .grace(Duration.ZERO).verify(before);
        c.send(1);
        GoLeak.verifyNone(before); // the goroutine exits within the grace period
    }

    private static void waitOn(Chan<Integer> c) {
        c.recv();
    }
}
