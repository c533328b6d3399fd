package go4j.junit;

import go4j.Chan;
import go4j.Go;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

/** Run by GoLeakTest through the JUnit launcher (surefire skips *Fixture*): one leaky test, one clean one. */
public class LeakyFixture {
    /** Read by GoLeakTest to let the leaked goroutine go afterwards. */
    static final Chan<Integer> RELEASE = Chan.make();

    @RegisterExtension
    static final GoLeak GOLEAK = GoLeak.verifyNone().grace(Duration.ofMillis(200));

    @Test
    void leaks() {
        Go.go(LeakyFixture::blockedForever);
    }

    @Test
    void clean() {
        Chan<Integer> c = Chan.make();
        Go.go(() -> c.send(1));
        c.recv();
    }

    @Test
    void runLeftoversExitWithinTheGrace() {
        Go.run(() -> {
            Chan<Integer> c = Chan.make();
            Go.go(c::recv); // left blocked: the run interrupts it when main returns
        });
    }

    @Test
    @GoLeak.Ignore(topFunction = "go4j.junit.LeakyFixture.ignoredWorker")
    void leakIgnoredByTopFunction() {
        Go.go(LeakyFixture::ignoredWorker);
    }

    static void blockedForever() {
        RELEASE.recv();
    }

    static void ignoredWorker() {
        RELEASE.recv();
    }
}
