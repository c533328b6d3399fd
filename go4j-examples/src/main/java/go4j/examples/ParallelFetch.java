package go4j.examples;

import go4j.Go;
import go4j.Select;
import go4j.context.Context;
import go4j.sync.errgroup.Group;
import go4j.time.Time;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Parallel fetch with errgroup and a limit, ported line by line from the Go idiom: fetch every URL concurrently,
 * at most {@code limit} at a time, keep the results in order, and on the first failure cancel the fetches still
 * running. "Fetching" is simulated (a context-aware wait and a made-up page size); there is no network.
 *
 * <pre>{@code
 * func fetchAll(ctx context.Context, urls []string, limit int) ([]Page, error) {
 *     g, ctx := errgroup.WithContext(ctx)
 *     g.SetLimit(limit)
 *     pages := make([]Page, len(urls))
 *     for i, url := range urls {
 *         g.Go(func() error {
 *             p, err := fetch(ctx, url)
 *             if err != nil {
 *                 return err
 *             }
 *             pages[i] = p
 *             return nil
 *         })
 *     }
 *     if err := g.Wait(); err != nil {
 *         return nil, err
 *     }
 *     return pages, nil
 * }
 * }</pre>
 */
public final class ParallelFetch {
    private ParallelFetch() {}

    /** A fetched page. */
    record Page(String url, int bytes) {}

    /** A fetch that failed: Go's {@code fmt.Errorf("fetch %s: %s", url, status)}. */
    static final class FetchError extends Exception {
        private static final long serialVersionUID = 1L;

        FetchError(String url, String status) {
            super("fetch " + url + ": " + status, null, false, false);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }

    /** What a run observed. */
    record Outcome(List<Page> pages, Throwable err, int maxInFlight, int cancelled) {}

    /** Simulated latency and size of a URL: deterministic, 2–9 ms and 1–64 KiB. */
    static Duration latency(String url) {
        return Duration.ofMillis(2 + Math.floorMod(url.hashCode(), 8));
    }

    static int size(String url) {
        return 1024 * (1 + Math.floorMod(url.hashCode() * 31 + 7, 64));
    }

    /**
     * Simulated fetch: waits for the URL's latency unless ctx is cancelled first (then returns ctx's error, as an
     * HTTP client with a context would). A URL containing "/broken" answers 503.
     */
    static Object fetch(Context ctx, String url, AtomicInteger inFlight, AtomicInteger maxInFlight) {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            boolean[] cancelled = {false};
            Select.select(
                    Select.recv(ctx.done(), v -> cancelled[0] = true),
                    Select.recv(Time.after(latency(url))));
            if (cancelled[0]) {
                return ctx.err();
            }
            if (url.contains("/broken")) {
                return new FetchError(url, "503 Service Unavailable");
            }
            return new Page(url, size(url));
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** fetchAll: every URL, at most {@code limit} at once; the first error cancels the others. */
    static Outcome fetchAll(Context parent, List<String> urls, int limit) {
        Group g = Group.withContext(parent);
        g.setLimit(limit);
        Context ctx = g.context();
        Page[] pages = new Page[urls.size()];
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger maxInFlight = new AtomicInteger();
        AtomicInteger cancelled = new AtomicInteger();
        for (int i = 0; i < urls.size(); i++) {
            int idx = i;
            String url = urls.get(i);
            g.go(() -> {
                if (ctx.err() != null) {
                    cancelled.incrementAndGet(); // started after the failure: give up at once
                    return ctx.err();
                }
                Object r = fetch(ctx, url, inFlight, maxInFlight);
                if (r instanceof Throwable err) {
                    if (err == Context.Canceled) {
                        cancelled.incrementAndGet();
                    }
                    return err;
                }
                pages[idx] = (Page) r;
                return null;
            });
        }
        Throwable err = g.await();
        return new Outcome(err == null ? List.of(pages) : List.of(), err, maxInFlight.get(), cancelled.get());
    }

    static List<String> urls(int n, int brokenAt) {
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            urls.add("https://example.com/" + (i == brokenAt ? "broken/" : "page/") + i);
        }
        return urls;
    }

    /** Fetches 24 pages 4 at a time, then the same with a broken page among them; returns both outcomes. */
    public static Outcome[] run(PrintStream out) {
        Outcome[] outcomes = new Outcome[2];
        Go.run(() -> {
            Outcome ok = fetchAll(Context.background(), urls(24, -1), 4);
            long bytes = ok.pages().stream().mapToLong(Page::bytes).sum();
            out.println("parallelfetch: fetched " + ok.pages().size() + " pages, " + bytes + " bytes, at most "
                    + ok.maxInFlight() + " fetches in flight (limit 4); error: " + (ok.err() == null ? "<nil>" : ok.err()));
            out.println("parallelfetch: first page " + ok.pages().get(0) + ", last " + ok.pages().get(23));

            Outcome failed = fetchAll(Context.background(), urls(24, 5), 4);
            out.println("parallelfetch: with a broken page: error: " + failed.err() + "; "
                    + failed.cancelled() + " other fetches cancelled or skipped, results discarded: "
                    + failed.pages().isEmpty());
            outcomes[0] = ok;
            outcomes[1] = failed;
        });
        return outcomes;
    }

    public static void main(String[] args) {
        Go.main(() -> run(System.out));
    }
}
