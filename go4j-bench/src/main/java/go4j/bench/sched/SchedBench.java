package go4j.bench.sched;

import go4j.Chan;
import go4j.Go;

import java.util.Arrays;

/**
 * A standalone harness for the scheduler's figures (the workloads of /work/shared/anchors/go/bench_test.go):
 * PingPong and ProdCons0 in ns per operation, the 1000-goroutine relay chain and Sieve1000 in ms. Run it once per
 * scheduler, e.g.
 * <pre>
 * java --add-opens java.base/java.lang=ALL-UNNAMED -Dgo4j.scheduler=gmp -cp ... go4j.bench.sched.SchedBench
 * </pre>
 * Each workload runs {@code rounds} times inside one {@code Go.run}; the median and the best are printed.
 */
public final class SchedBench {
    private SchedBench() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        String only = args.length > 1 ? args[1] : "";
        System.out.println(Go.runtimeInfo());
        if (only.isEmpty() || only.contains("PingPong")) {
            report("PingPong", "ns/op", rounds, () -> pingPong(200_000) / 200_000.0);
        }
        if (only.isEmpty() || only.contains("ProdCons0")) {
            report("ProdCons0", "ns/op", rounds, () -> prodCons(0, 500_000) / 500_000.0);
        }
        if (only.isEmpty() || only.contains("ProdCons100")) {
            report("ProdCons100", "ns/op", rounds, () -> prodCons(100, 1_000_000) / 1_000_000.0);
        }
        if (only.isEmpty() || only.contains("Relay")) {
            report("Relay1000x1000", "ms", rounds, () -> relay(1000, 1000) / 1e6);
        }
        if (only.isEmpty() || only.contains("Sieve")) {
            report("Sieve1000", "ms", rounds, () -> sieve(1000) / 1e6);
        }
        System.out.println(Go.schedStats());
    }

    interface Measure {
        double run();
    }

    private static void report(String name, String unit, int rounds, Measure m) {
        double[] r = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            r[i] = m.run();
        }
        double[] s = r.clone();
        Arrays.sort(s);
        System.out.printf("%-16s median %10.1f  best %10.1f %s   all %s%n", name, s[rounds / 2], s[0], unit,
                Arrays.toString(Arrays.stream(r).map(x -> Math.round(x * 10) / 10.0).toArray()));
    }

    /** Nanoseconds for n round trips over two unbuffered channels. */
    static long pingPong(int n) {
        long[] t = new long[1];
        Go.run(() -> {
            Chan<Integer> ping = Chan.make();
            Chan<Integer> pong = Chan.make();
            Go.go(() -> {
                for (Integer v : ping) {
                    pong.send(v);
                }
            });
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                ping.send(i);
                pong.recv();
            }
            t[0] = System.nanoTime() - t0;
            ping.close();
        });
        return t[0];
    }

    /** Nanoseconds for n items from one producer to one consumer through a channel of capacity c. */
    static long prodCons(int c, int n) {
        long[] t = new long[1];
        Go.run(() -> {
            Chan<Integer> ch = Chan.make(c);
            Chan<Boolean> done = Chan.make();
            Integer item = 7;
            long t0 = System.nanoTime();
            Go.go(() -> {
                for (Integer ignored : ch) {
                    // drain
                }
                done.close();
            });
            for (int i = 0; i < n; i++) {
                ch.send(item);
            }
            ch.close();
            done.recv();
            t[0] = System.nanoTime() - t0;
        });
        return t[0];
    }

    /** Nanoseconds for {@code tokens} values relayed through a chain of {@code len} goroutines. */
    static long relay(int len, int tokens) {
        long[] t = new long[1];
        Go.run(() -> {
            Chan<Integer> first = Chan.make();
            Chan<Integer> in = first;
            for (int i = 0; i < len; i++) {
                Chan<Integer> src = in;
                Chan<Integer> dst = Chan.make();
                Go.go(() -> {
                    for (Integer v : src) {
                        dst.send(v);
                    }
                    dst.close();
                });
                in = dst;
            }
            Chan<Integer> last = in;
            long t0 = System.nanoTime();
            Go.go(() -> {
                for (int i = 0; i < tokens; i++) {
                    first.send(i);
                }
                first.close();
            });
            int count = 0;
            for (Integer ignored : last) {
                count++;
            }
            t[0] = System.nanoTime() - t0;
            if (count != tokens) {
                throw new AssertionError(count);
            }
        });
        return t[0];
    }

    /** Nanoseconds for the concurrent prime sieve up to the n-th prime (Go's BenchmarkSieve1000). */
    static long sieve(int n) {
        long[] t = new long[1];
        Go.run(() -> {
            long t0 = System.nanoTime();
            Chan<Integer> ch0 = Chan.make();
            Go.go(() -> {
                for (int i = 2; ; i++) {
                    ch0.send(i);
                }
            });
            Chan<Integer> ch = ch0;
            int last = 0;
            for (int i = 0; i < n; i++) {
                int prime = ch.recv();
                last = prime;
                Chan<Integer> in = ch;
                Chan<Integer> out = Chan.make();
                Go.go(() -> {
                    while (true) {
                        int v = in.recv();
                        if (v % prime != 0) {
                            out.send(v);
                        }
                    }
                });
                ch = out;
            }
            t[0] = System.nanoTime() - t0;
            if (last != 7919 && n == 1000) {
                throw new AssertionError(last);
            }
        });
        return t[0];
    }
}
