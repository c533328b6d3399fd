package go4j.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The errgroup and singleflight examples compute the right thing and say so. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XsyncExamplesTest {

    private static String capture(java.util.function.Consumer<PrintStream> body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            body.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void parallelFetchKeepsTheLimitAndStopsOnTheFirstError() {
        ParallelFetch.Outcome[] o = new ParallelFetch.Outcome[2];
        String out = capture(p -> System.arraycopy(ParallelFetch.run(p), 0, o, 0, 2));
        assertThat(o[0].err()).isNull();
        assertThat(o[0].pages()).hasSize(24);
        for (int i = 0; i < 24; i++) {
            assertThat(o[0].pages().get(i).url()).isEqualTo("https://example.com/page/" + i);
        }
        assertThat(o[0].maxInFlight()).isBetween(1, 4);
        assertThat(o[1].err()).hasMessage("fetch https://example.com/broken/5: 503 Service Unavailable");
        assertThat(o[1].pages()).isEmpty();
        assertThat(o[1].maxInFlight()).isBetween(1, 4);
        assertThat(out).contains("parallelfetch: fetched 24 pages")
                .contains("error: fetch https://example.com/broken/5: 503 Service Unavailable");
    }

    @Test
    void stampedeLoadsOnceWithSingleflight() {
        int[][] loads = new int[1][];
        String out = capture(p -> loads[0] = Stampede.run(100, p));
        assertThat(loads[0][0]).isBetween(1, 100);
        assertThat(loads[0][1]).isEqualTo(1);
        assertThat(loads[0][2]).isEqualTo(1);
        assertThat(out).contains("with singleflight -> 1 database load").contains("after expiry, another burst -> 1 more load");
    }
}
