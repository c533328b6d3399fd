package go4j.examples;

import go4j.Chan;
import go4j.Go;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static go4j.Select.recv;
import static go4j.Select.select;
import static org.assertj.core.api.Assertions.assertThat;

/** Every example computes the right thing and says so. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExamplesTest {

    private static String capture(java.util.function.Consumer<PrintStream> body) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            body.accept(out);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void sieveFindsThe1000thPrime() {
        int[] last = new int[1];
        String out = capture(o -> last[0] = Sieve.primes(1000, o));
        assertThat(last[0]).isEqualTo(7919);
        assertThat(out).contains("sieve: first primes: 2 3 5 7 11 13 17 19 23 29").contains("= 7919");
    }

    @Test
    void pingPongCountsEveryHit() {
        int[] hits = new int[1];
        String out = capture(o -> hits[0] = PingPong.play(10_000, o));
        assertThat(hits[0]).isEqualTo(10_000);
        assertThat(out).startsWith("pingpong: 10000 hits");
    }

    @Test
    void pipelineSumsSquaresAndCancelsCleanly() {
        long[] sum = new long[1];
        String out = capture(o -> sum[0] = Pipeline.run(1000, o));
        long expected = 0;
        for (long i = 1; i <= 1000; i++) {
            expected += i * i;
        }
        assertThat(sum[0]).isEqualTo(expected);
        assertThat(out).contains("0 left after close(done)");
    }

    @Test
    void workerPoolRunsEveryJobOnce() {
        long expected = 0;
        for (int j = 1; j <= 50; j++) {
            expected += WorkerPool.work(j);
        }
        long[] total = new long[1];
        String out = capture(o -> total[0] = WorkerPool.run(3, 50, o));
        assertThat(total[0]).isEqualTo(expected);
        assertThat(out).contains("50 jobs on 3 workers");
    }

    /** The tour in README.md, verbatim but for printing into a list. */
    @Test
    void readmeTourRuns() {
        List<String> printed = java.util.Collections.synchronizedList(new ArrayList<>());
        Go.run(() -> {
            Chan<Integer> jobs = Chan.make(8);
            Chan<String> quit = Chan.make();
            Go.go(() -> {
                for (int j : jobs) {
                    printed.add("job " + j);
                }
                quit.send("done");
            });
            for (int i = 0; i < 3; i++) jobs.send(i);
            jobs.close();
            select(
                recv(quit, msg -> printed.add(msg)),
                recv(Chan.nil()));
        });
        assertThat(printed).containsExactly("job 0", "job 1", "job 2", "done");
    }

    @Test
    void timeoutsFireOnlyWhenTheResultIsLate() {
        String printed = Timeouts.run(new PrintStream(java.io.OutputStream.nullOutputStream()));
        assertThat(printed).isEqualTo("timeout 1\nresult 2\n");
    }

    @Test
    void tickerLoopProcessesOneJobPerTick() {
        String report = TickerLoop.run();
        assertThat(report).contains("processed 5 jobs, sum 55").contains("jobs spread over at least 4 periods: true");
    }

    @Test
    void deadlineTreeCancelsTheSlowBackendOnly() {
        String report = DeadlineTree.run();
        assertThat(report).contains("completed shards: 6", "cancelled shards: 3 (context deadline exceeded)",
                "request err: context deadline exceeded", "returned within the deadline window: true");
    }

    @Test
    void parallelFetchRespectsTheLimitAndStopsOnTheFirstError() {
        ParallelFetch.Outcome[] o = ParallelFetch.run(new PrintStream(java.io.OutputStream.nullOutputStream()));
        assertThat(o[0].err()).isNull();
        assertThat(o[0].pages()).hasSize(24);
        assertThat(o[0].maxInFlight()).isBetween(1, 4);
        assertThat(o[1].err()).isNotNull();
        assertThat(o[1].pages()).isEmpty();
    }

    @Test
    void stampedeLoadsOncePerBurstWithSingleflight() {
        int[] loads = Stampede.run(50, new PrintStream(java.io.OutputStream.nullOutputStream()));
        assertThat(loads[1]).isBetween(1, loads[0]);
        assertThat(loads[2]).isGreaterThanOrEqualTo(1);
    }
}
