package go4j.time;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Go's Duration.String (time_test.go durationTests) and Time.String for UTC. */
class DurationStringTest {
    @Test
    void durationStrings() {
        assertThat(Time.durationString(Duration.ZERO)).isEqualTo("0s");
        assertThat(Time.durationString(Duration.ofNanos(1))).isEqualTo("1ns");
        assertThat(Time.durationString(Duration.ofNanos(1100))).isEqualTo("1.1µs");
        assertThat(Time.durationString(Duration.ofNanos(2_200_000))).isEqualTo("2.2ms");
        assertThat(Time.durationString(Duration.ofMillis(3300))).isEqualTo("3.3s");
        assertThat(Time.durationString(Duration.ofSeconds(4 * 60 + 5))).isEqualTo("4m5s");
        assertThat(Time.durationString(Duration.ofMillis(4 * 60_000 + 5001))).isEqualTo("4m5.001s");
        assertThat(Time.durationString(Duration.ofSeconds(5 * 3600 + 6 * 60 + 7).plusMillis(1)))
                .isEqualTo("5h6m7.001s");
        assertThat(Time.durationString(Duration.ofMinutes(8).plusNanos(1))).isEqualTo("8m0.000000001s");
        assertThat(Time.durationString(Duration.ofNanos(Long.MAX_VALUE))).isEqualTo("2562047h47m16.854775807s");
        assertThat(Time.durationString(Duration.ofNanos(Long.MIN_VALUE))).isEqualTo("-2562047h47m16.854775808s");
        assertThat(Time.durationString(Duration.ofSeconds(-1))).isEqualTo("-1s");
        assertThat(Time.durationString(Duration.ofHours(1))).isEqualTo("1h0m0s");
    }

    @Test
    void timeStrings() {
        assertThat(Time.timeString(Instant.parse("2009-11-10T23:00:00Z"))).isEqualTo("2009-11-10 23:00:00 +0000 UTC");
        assertThat(Time.timeString(Instant.parse("2009-11-10T23:00:00.5Z")))
                .isEqualTo("2009-11-10 23:00:00.5 +0000 UTC");
    }
}
