/**
 * JMH benchmarks of go4j on the workloads of Go's reference benchmarks ({@code shared/anchors/go/bench_test.go}),
 * side by side with the JVM peers (package {@link go4j.bench.peers}: jox and java.util.concurrent).
 *
 * <h2>Conventions (bench/run and its report rely on them)</h2>
 * <ul>
 *   <li>A {@code @Benchmark} method is named exactly as the Go benchmark it mirrors, without Go's
 *       {@code Benchmark} prefix: {@code PingPong}, {@code MutexContended}, {@code Sieve1000}, ... The report
 *       matches method names against the Go anchors and puts every match in the side-by-side table.</li>
 *   <li>Every class under {@code go4j.bench} except {@code go4j.bench.peers} measures go4j (for example a later
 *       {@code go4j.bench.sync.SyncBench.MutexContended} or {@code go4j.bench.timectx.ContextBench.ContextCancel}).
 *       Peer classes are {@code go4j.bench.peers.Jox*} (jox) and {@code go4j.bench.peers.Juc*}
 *       (java.util.concurrent).</li>
 *   <li>Mode AverageTime in ns. A Go benchmark whose loop is driven by {@code b.N} across goroutines is mirrored by
 *       one invocation that runs the same Go code for a batch of {@code n} operations, declared with
 *       {@code @OperationsPerInvocation(n)}, so that JMH's ns/op is Go's ns/op (setup included and amortised,
 *       as in Go).</li>
 *   <li>The loop runs where Go's runs: in a goroutine ({@code Go.run}) for go4j, in a virtual thread for the
 *       peers (never on JMH's platform thread, whose park/unpark costs ~4.5 µs), so that go4j's scheduler
 *       ({@code -Dgo4j.scheduler}) runs the whole workload.</li>
 *   <li>Every goroutine or thread a benchmark starts has exited (or is interrupted and joined in a
 *       {@code @TearDown}) before the next invocation: nothing leaks across invocations or iterations.</li>
 * </ul>
 */
package go4j.bench;
