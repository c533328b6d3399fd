package go4j.bench;

import java.io.File;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Paired A/B measurement of two <em>builds</em> of go4j inside one JVM: the sibling of {@link Paired} for changes
 * that cannot sit behind a toggle field (a different protocol, a different field layout), and for settings read
 * once at class initialisation ({@code -Dgo4j.chan.maxSpins}, {@code -Dgo4j.idleSpinMicros}, ...).
 *
 * <p>Each build is a go4j-core jar loaded by its own class loader, together with this module's
 * workload code (so each build has its own scheduler, its own statics and its own JIT-compiled code); the system
 * properties given with a build are set while that build initialises and starts its scheduler, and restored
 * after. The iterations alternate between the builds (A B, B A, A B, ...): both sides of a pair run a fraction of a
 * second apart, in the same phase of the host. It prints each build's median time per operation after the
 * warm-up, the median of the per-iteration ratios B/A and in how many iterations B was faster. The build that is
 * not running leaves its carriers parked (an M of an idle scheduler spins at most {@code go4j.idleSpinMicros}).
 * The same build twice measures the noise floor: on the reference VM, 26 pairs of PingPong on one P gave a median
 * ratio of 1.017; but Sieve1000 on two Ps differed by up to 25 % between two instances of the same jar in one JVM
 * (1.23, 1.25 and 1.00 in three JVMs), so run such workloads in several JVMs with the builds in both roles.
 *
 * <pre>
 *   java --add-opens=java.base/java.lang=ALL-UNNAMED --add-exports=java.base/jdk.internal.vm=ALL-UNNAMED \
 *       -Dgo4j.gomaxprocs=1 -cp go4j-bench/target/benchmarks.jar go4j.bench.Builds \
 *       WORKLOAD OPS ITERATIONS WARMUP BUILD_A BUILD_B
 *   WORKLOAD, OPS: as for {@link Paired}
 *   BUILD: a go4j-core jar, optionally followed by system properties for that build only:
 *          /tmp/old.jar   or   go4j-core/target/go4j-core-0.1.0-SNAPSHOT.jar@go4j.chan.maxSpins=0
 * </pre>
 * Properties common to both builds (the scheduler mode, GOMAXPROCS) go on the command line as usual.
 */
public final class Builds {
    private Builds() {}

    /**
     * A build's loader: the JDK from the platform loader; go4j from the build's jar, which comes before this
     * module's (shaded) jar in the search order; the workloads from this module's jar. The application class path
     * is not a parent, so nothing of go4j is shared between the builds.
     */
    private static final class BuildLoader extends URLClassLoader {
        BuildLoader(URL[] urls) {
            super(urls, ClassLoader.getPlatformClassLoader());
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: Builds WORKLOAD OPS ITERATIONS WARMUP BUILD_A BUILD_B"
                    + "   (BUILD: go4j-core.jar[@property=value...])");
            System.exit(2);
        }
        String workload = args[0];
        int ops = Integer.parseInt(args[1]);
        int iterations = Integer.parseInt(args[2]);
        int warmup = Integer.parseInt(args[3]);
        String[] specs = {args[4], args[5]};
        URL self = Builds.class.getProtectionDomain().getCodeSource().getLocation();
        Method[] run = new Method[2];
        for (int b = 0; b < 2; b++) {
            run[b] = load(specs[b], self, workload);
        }
        List<List<Double>> perOp = List.of(new ArrayList<>(), new ArrayList<>());
        List<Double> ratios = new ArrayList<>();
        int bFaster = 0;
        for (int it = 0; it < iterations; it++) {
            double[] t = new double[2];
            for (int k = 0; k < 2; k++) {
                int b = it % 2 == 0 ? k : 1 - k;
                t[b] = (double) (long) run[b].invoke(null, workload, ops) / ops;
            }
            System.out.printf(Locale.ROOT, "%d A=%.1f B=%.1f ns/op%n", it, t[0], t[1]);
            if (it < warmup) {
                continue;
            }
            perOp.get(0).add(t[0]);
            perOp.get(1).add(t[1]);
            ratios.add(t[1] / t[0]);
            if (t[1] < t[0]) {
                bFaster++;
            }
        }
        System.out.printf(Locale.ROOT, "%s: A %s median=%.1f ns/op; B %s median=%.1f ns/op; B/A median=%.3f;"
                        + " B faster in %d of %d pairs%n", workload, specs[0], Paired.median(perOp.get(0)), specs[1],
                Paired.median(perOp.get(1)), Paired.median(ratios), bFaster, ratios.size());
    }

    /** Loads one build and starts its scheduler with the build's properties set; returns its Paired.timeOnce. */
    private static Method load(String spec, URL self, String workload) throws Exception {
        String[] parts = spec.split("@");
        File jar = new File(parts[0]);
        if (!jar.isFile()) {
            throw new IllegalArgumentException("no such jar: " + jar);
        }
        Map<String, String> saved = new HashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String[] kv = parts[i].split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("expected property=value after @ in " + spec);
            }
            saved.put(kv[0], System.getProperty(kv[0]));
            System.setProperty(kv[0], kv[1]);
        }
        try {
            ClassLoader loader = new BuildLoader(new URL[] {jar.toURI().toURL(), self});
            Method m = loader.loadClass(Paired.class.getName()).getMethod("timeOnce", String.class, int.class);
            m.invoke(null, workload, 1); // initialises the build's classes and scheduler under its properties
            return m;
        } finally {
            saved.forEach((k, v) -> {
                if (v == null) {
                    System.clearProperty(k);
                } else {
                    System.setProperty(k, v);
                }
            });
        }
    }
}
