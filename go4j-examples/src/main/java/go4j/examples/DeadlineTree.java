package go4j.examples;

import go4j.Chan;
import go4j.Go;
import go4j.context.CancelContext;
import go4j.context.Context;
import go4j.time.Time;

import java.time.Duration;

import static go4j.Select.recv;
import static go4j.Select.select;

/**
 * A request with a deadline cancelling a tree of goroutines (Go's classic "context" pattern).
 *
 * <p>A request gets 1 s. It fans out to three backends; each backend fans out to three shards. Shard work takes
 * 10 ms, except on backend "slow", whose shards take 60 s. Every goroutine selects on its work and on
 * {@code ctx.done()}: when the deadline passes, the whole subtree still running is cancelled at once and reports
 * {@code ctx.err()}. The request then reports what completed and what was cancelled.
 *
 * <pre>{@code
 * func shard(ctx context.Context, work time.Duration) error {
 *     select {
 *     case <-time.After(work): return nil
 *     case <-ctx.Done():       return ctx.Err()
 *     }
 * }
 * }</pre>
 */
public final class DeadlineTree {
    private DeadlineTree() {}

    record Result(String backend, int shard, Throwable err) {}

    /** One shard: "works" for {@code work} unless its context is cancelled first. */
    static Throwable shard(Context ctx, Duration work) {
        Throwable[] err = {null};
        select(
                recv(Time.after(work)),
                recv(ctx.done(), v -> err[0] = ctx.err()));
        return err[0];
    }

    /** One backend: its own child context (cancelled when it returns), three shards in parallel. */
    static void backend(Context parent, String name, Duration work, Chan<Result> out) {
        try (CancelContext ctx = Context.withCancel(parent)) { // defer cancel()
            Chan<Result> shards = Chan.make();
            for (int i = 0; i < 3; i++) {
                int shard = i;
                Go.go(() -> shards.send(new Result(name, shard, shard(ctx, work))));
            }
            for (int i = 0; i < 3; i++) {
                out.send(shards.recv());
            }
        }
    }

    static String run() {
        StringBuilder report = new StringBuilder();
        Go.run(() -> {
            long t0 = System.nanoTime();
            try (CancelContext req = Context.withTimeout(Context.background(), Duration.ofSeconds(1))) {
                Chan<Result> results = Chan.make();
                String[] backends = {"users", "orders", "slow"};
                for (String b : backends) {
                    Duration work = b.equals("slow") ? Duration.ofSeconds(60) : Duration.ofMillis(10);
                    Go.go(() -> backend(req, b, work, results));
                }
                int completed = 0;
                int cancelled = 0;
                Throwable why = null;
                for (int i = 0; i < backends.length * 3; i++) {
                    Result r = results.recv();
                    if (r.err() == null) {
                        completed++;
                    } else {
                        cancelled++;
                        why = r.err();
                    }
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                report.append("completed shards: ").append(completed).append('\n');
                report.append("cancelled shards: ").append(cancelled).append(" (").append(why).append(")\n");
                report.append("request err: ").append(req.err()).append('\n');
                report.append("cause: ").append(Context.cause(req)).append('\n');
                report.append("returned within the deadline window: ").append(ms >= 1000 && ms < 60_000).append('\n');
            }
        });
        return report.toString();
    }

    public static void main(String[] args) {
        Go.main(() -> System.out.print(run()));
    }
}
