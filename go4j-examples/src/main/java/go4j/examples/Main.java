package go4j.examples;

import go4j.Go;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Runs the examples: classic Go programs on go4j. {@code ./run-examples} runs them all;
 * {@code ./run-examples sieve pipeline} runs the named ones.
 */
public final class Main {
    private Main() {}

    static Map<String, Consumer<PrintStream>> examples() {
        Map<String, Consumer<PrintStream>> m = new LinkedHashMap<>();
        m.put("sieve", out -> Sieve.primes(1000, out));
        m.put("pingpong", out -> PingPong.play(200_000, out));
        m.put("pipeline", out -> Pipeline.run(10_000, out));
        m.put("workerpool", out -> WorkerPool.run(4, 200, out));
        m.put("timeouts", Timeouts::run);
        m.put("tickerloop", out -> out.print(indent("tickerloop", TickerLoop.run())));
        m.put("deadlinetree", out -> out.print(indent("deadlinetree", DeadlineTree.run())));
        m.put("parallelfetch", ParallelFetch::run);
        m.put("stampede", out -> Stampede.run(100, out));
        return m;
    }

    /** Prefixes every line of a multi-line report with the example's name. */
    static String indent(String name, String report) {
        StringBuilder sb = new StringBuilder();
        for (String line : report.split("\n")) {
            sb.append(name).append(": ").append(line).append('\n');
        }
        return sb.toString();
    }

    public static void main(String[] args) {
        Map<String, Consumer<PrintStream>> all = examples();
        System.out.println(Go.runtimeInfo());
        Iterable<String> names = args.length == 0 ? all.keySet() : java.util.List.of(args);
        int status = 0;
        for (String name : names) {
            Consumer<PrintStream> ex = all.get(name);
            if (ex == null) {
                System.err.println("unknown example " + name + "; known: " + all.keySet());
                status = 2;
                continue;
            }
            long t0 = System.nanoTime();
            ex.accept(System.out);
            System.out.printf("  (%s took %.1f ms)%n", name, (System.nanoTime() - t0) / 1e6);
        }
        System.exit(status);
    }
}
