package go4j.examples;

import go4j.Chan;
import go4j.Go;
import go4j.RecvChan;
import go4j.SendChan;

import java.io.PrintStream;

/**
 * A bounded worker pool (Go by Example: "Worker Pools"), ported line by line: a fixed number of workers range
 * over a buffered jobs channel, so at most {@code workers} jobs run at once and the producer blocks when the
 * queue is full.
 *
 * <pre>{@code
 * func worker(id int, jobs <-chan int, results chan<- int) {
 *     for j := range jobs {
 *         results <- work(j)
 *     }
 * }
 * func main() {
 *     jobs := make(chan int, 16)
 *     results := make(chan result, 16)
 *     for w := 1; w <= 4; w++ { go worker(w, jobs, results) }
 *     go func() { for j := 1; j <= numJobs; j++ { jobs <- j }; close(jobs) }()
 *     for a := 1; a <= numJobs; a++ { <-results }
 * }
 * }</pre>
 */
public final class WorkerPool {
    private WorkerPool() {}

    record Result(int worker, int job, int primes) {}

    /** The job: count the primes below job * 100 (trial division; deliberately CPU-bound). */
    static int work(int job) {
        int count = 0;
        for (int n = 2; n < job * 100; n++) {
            boolean prime = true;
            for (int d = 2; d * d <= n; d++) {
                if (n % d == 0) {
                    prime = false;
                    break;
                }
            }
            if (prime) {
                count++;
            }
        }
        return count;
    }

    static void worker(int id, RecvChan<Integer> jobs, SendChan<Result> results) {
        for (int j : jobs) {
            results.send(new Result(id, j, work(j)));
        }
    }

    /** Runs numJobs jobs on `workers` workers; returns the total of the results. */
    public static long run(int workers, int numJobs, PrintStream out) {
        long[] total = new long[1];
        Go.run(() -> {
            Chan<Integer> jobs = Chan.make(16);
            Chan<Result> results = Chan.make(16);
            for (int w = 1; w <= workers; w++) {
                int id = w;
                Go.go(() -> worker(id, jobs, results));
            }
            Go.go(() -> {
                for (int j = 1; j <= numJobs; j++) {
                    jobs.send(j);
                }
                jobs.close();
            });
            int[] perWorker = new int[workers + 1];
            for (int a = 1; a <= numJobs; a++) {
                Result r = results.recv();
                perWorker[r.worker()]++;
                total[0] += r.primes();
            }
            StringBuilder sb = new StringBuilder();
            for (int w = 1; w <= workers; w++) {
                sb.append(" w").append(w).append('=').append(perWorker[w]);
            }
            out.println("workerpool: " + numJobs + " jobs on " + workers + " workers, total primes counted "
                    + total[0] + "; jobs per worker:" + sb);
        });
        return total[0];
    }

    public static void main(String[] args) {
        Go.main(() -> run(4, 200, System.out));
    }
}
