package go4j.bench.report;

import java.util.Arrays;

/**
 * The machine's own speed for hand-offs, measured by bench/run before and after the benchmarks: the round trip of
 * one cache line between two spinning platform threads (what a pair of goroutines on two cores pays per hand-off,
 * several times over) and one {@code Thread.onSpinWait}. On a virtual machine both drift with the host's placement
 * of the vCPUs (50–75 ns and 200–490 ns round trips were seen on the 2-core reference machine), which moves every
 * cross-core row of the report; printed as {@code key=value} lines for machine.properties.
 */
public final class Calibrate {
    private Calibrate() {}

    private static volatile int flag;

    public static void main(String[] args) throws InterruptedException {
        int rounds = 7;
        int n = 200_000;
        double[] rtt = new double[rounds];
        Thread echo = new Thread(() -> {
            for (int i = 0; i < rounds * n; i++) {
                while (flag != 1) {
                    Thread.onSpinWait();
                }
                flag = 0;
            }
        });
        echo.setDaemon(true);
        echo.start();
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                flag = 1;
                while (flag != 0) {
                    Thread.onSpinWait();
                }
            }
            rtt[r] = (System.nanoTime() - t0) / (double) n;
        }
        echo.join(10_000);
        long t0 = System.nanoTime();
        for (int i = 0; i < 10_000_000; i++) {
            Thread.onSpinWait();
        }
        double pause = (System.nanoTime() - t0) / 1e7;
        Arrays.sort(rtt);
        System.out.printf("crosscore.rtt.ns=%.0f ns (median of %d rounds; min %.0f, max %.0f)%n", rtt[rounds / 2], rounds,
                rtt[0], rtt[rounds - 1]);
        System.out.printf("onspinwait.ns=%.1f ns%n", pause);
    }
}
