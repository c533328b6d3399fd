package go4j.examples;

import go4j.Chan;
import go4j.Go;
import go4j.time.Ticker;
import go4j.time.Time;
import go4j.time.Timer;

import java.time.Duration;
import java.time.Instant;

import static go4j.Select.recv;
import static go4j.Select.select;

/**
 * A ticker-driven loop (Go's rate limiter / heartbeat pattern): a worker takes at most one job per 20 ms tick from
 * a queue, a heartbeat timer is reset on every job, and the loop ends when the jobs channel is closed.
 *
 * <pre>{@code
 * ticker := time.NewTicker(20 * time.Millisecond)
 * defer ticker.Stop()
 * for {
 *     select {
 *     case t := <-ticker.C:
 *         job, ok := <-jobs
 *         if !ok { return }
 *         process(job, t)
 *         idle.Reset(time.Second)
 *     case <-idle.C:
 *         log.Print("idle")
 *     }
 * }
 * }</pre>
 */
public final class TickerLoop {
    private TickerLoop() {}

    static String run() {
        StringBuilder out = new StringBuilder();
        Go.run(() -> {
            Chan<Integer> jobs = Chan.make(10);
            for (int i = 1; i <= 5; i++) {
                jobs.send(i * i);
            }
            jobs.close();

            Duration period = Duration.ofMillis(20);
            Ticker ticker = Time.newTicker(period);
            Timer idle = Time.newTimer(Duration.ofSeconds(1));
            int sum = 0;
            int processed = 0;
            int idles = 0;
            Instant first = null;
            Instant last = null;
            boolean running = true;
            while (running) {
                Instant[] tick = {null};
                int k = select(recv(ticker.C(), t -> tick[0] = t), recv(idle.C()));
                if (k == 1) {
                    idles++;
                    continue;
                }
                Integer job = jobs.recv();
                if (job == null) { // closed and drained
                    running = false;
                    continue;
                }
                sum += job;
                processed++;
                if (first == null) {
                    first = tick[0];
                }
                last = tick[0];
                out.append("tick ").append(processed).append(": job ").append(job).append('\n');
                idle.reset(Duration.ofSeconds(1));
            }
            ticker.stop();
            idle.stop();
            Duration span = Duration.between(first, last);
            out.append("processed ").append(processed).append(" jobs, sum ").append(sum).append(", idle alarms ")
                    .append(idles).append('\n');
            out.append("jobs spread over at least 4 periods: ")
                    .append(span.compareTo(period.multipliedBy(4).minusMillis(1)) >= 0).append('\n');
        });
        return out.toString();
    }

    public static void main(String[] args) {
        Go.main(() -> System.out.print(run()));
    }
}
