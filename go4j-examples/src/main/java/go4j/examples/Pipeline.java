package go4j.examples;

import go4j.Chan;
import go4j.Go;
import go4j.RecvChan;

import java.io.PrintStream;
import java.util.List;

import static go4j.Select.recv;
import static go4j.Select.select;
import static go4j.Select.send;

/**
 * Pipelines with fan-out, fan-in and explicit cancellation, from the Go blog's "Go Concurrency Patterns:
 * Pipelines and cancellation" (go.dev/blog/pipelines), ported line by line:
 *
 * <pre>{@code
 * func gen(done <-chan struct{}, nums ...int) <-chan int {
 *     out := make(chan int)
 *     go func() {
 *         defer close(out)
 *         for _, n := range nums {
 *             select {
 *             case out <- n:
 *             case <-done:
 *                 return
 *             }
 *         }
 *     }()
 *     return out
 * }
 * func sq(done <-chan struct{}, in <-chan int) <-chan int   // same shape, sends n*n
 * func merge(done <-chan struct{}, cs ...<-chan int) <-chan int {
 *     var wg sync.WaitGroup
 *     out := make(chan int)
 *     output := func(c <-chan int) {
 *         defer wg.Done()
 *         for n := range c {
 *             select {
 *             case out <- n:
 *             case <-done:
 *                 return
 *             }
 *         }
 *     }
 *     wg.Add(len(cs))
 *     for _, c := range cs { go output(c) }
 *     go func() { wg.Wait(); close(out) }()
 *     return out
 * }
 * }</pre>
 * The WaitGroup of {@code merge} is played here by a channel that each output goroutine signals on exit.
 */
public final class Pipeline {
    private Pipeline() {}

    record Unit() {}

    static RecvChan<Integer> gen(RecvChan<Unit> done, int... nums) {
        Chan<Integer> out = Chan.make();
        Go.go(() -> {
            try {
                for (int n : nums) {
                    if (select(send(out, n), recv(done)) == 1) {
                        return;
                    }
                }
            } finally {
                out.close();
            }
        });
        return out;
    }

    static RecvChan<Integer> sq(RecvChan<Unit> done, RecvChan<Integer> in) {
        Chan<Integer> out = Chan.make();
        Go.go(() -> {
            try {
                for (int n : in) {
                    if (select(send(out, n * n), recv(done)) == 1) {
                        return;
                    }
                }
            } finally {
                out.close();
            }
        });
        return out;
    }

    static RecvChan<Integer> merge(RecvChan<Unit> done, List<RecvChan<Integer>> cs) {
        Chan<Integer> out = Chan.make();
        Chan<Unit> exited = Chan.make(cs.size());
        for (RecvChan<Integer> c : cs) {
            Go.go(() -> {
                try {
                    for (int n : c) {
                        if (select(send(out, n), recv(done)) == 1) {
                            return;
                        }
                    }
                } finally {
                    exited.send(new Unit());
                }
            });
        }
        Go.go(() -> {
            for (int i = 0; i < cs.size(); i++) {
                exited.recv();
            }
            out.close();
        });
        return out;
    }

    /** Sums the squares of 1..n through a 4-way fan-out, then cancels a second pipeline after one value. */
    public static long run(int n, PrintStream out) {
        long[] sum = new long[1];
        Go.run(() -> {
            int[] nums = new int[n];
            for (int i = 0; i < n; i++) {
                nums[i] = i + 1;
            }
            // Full run: every value flows through; merge closes out when all squarers are done.
            Chan<Unit> done = Chan.make();
            RecvChan<Integer> in = gen(done, nums);
            RecvChan<Integer> merged = merge(done, List.of(sq(done, in), sq(done, in), sq(done, in), sq(done, in)));
            for (int v : merged) {
                sum[0] += v;
            }
            done.close();
            out.println("pipeline: sum of squares 1.." + n + " through 4 squarers = " + sum[0]);

            // Cancelled run: take the first value, then close(done) stops every stage.
            int before = Go.numGoroutine();
            Chan<Unit> done2 = Chan.make();
            RecvChan<Integer> in2 = gen(done2, nums);
            RecvChan<Integer> out2 = merge(done2, List.of(sq(done2, in2), sq(done2, in2)));
            int first = out2.recv();
            int running = Go.numGoroutine() - before;
            done2.close();
            for (int spins = 0; Go.numGoroutine() > before && spins < 1_000_000; spins++) {
                Go.gosched();
            }
            out.println("pipeline: first value " + first + " of a cancelled pipeline; goroutines: " + running
                    + " running, " + (Go.numGoroutine() - before) + " left after close(done)");
        });
        return sum[0];
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        Go.main(() -> run(n, System.out));
    }
}
