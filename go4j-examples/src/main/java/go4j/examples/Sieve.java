package go4j.examples;

import go4j.Chan;
import go4j.Go;
import go4j.RecvChan;
import go4j.SendChan;

import java.io.PrintStream;

/**
 * The concurrent prime sieve, Go's classic (go.dev/doc/play/sieve.go), ported line by line:
 *
 * <pre>{@code
 * func Generate(ch chan<- int) {
 *     for i := 2; ; i++ { ch <- i }
 * }
 * func Filter(in <-chan int, out chan<- int, prime int) {
 *     for { i := <-in; if i%prime != 0 { out <- i } }
 * }
 * func main() {
 *     ch := make(chan int)
 *     go Generate(ch)
 *     for i := 0; i < 10; i++ {
 *         prime := <-ch
 *         fmt.Println(prime)
 *         ch1 := make(chan int)
 *         go Filter(ch, ch1, prime)
 *         ch = ch1
 *     }
 * }
 * }</pre>
 */
public final class Sieve {
    private Sieve() {}

    static void generate(SendChan<Integer> ch) {
        for (int i = 2; ; i++) {
            ch.send(i);
        }
    }

    static void filter(RecvChan<Integer> in, SendChan<Integer> out, int prime) {
        while (true) {
            int i = in.recv();
            if (i % prime != 0) {
                out.send(i);
            }
        }
    }

    /** Prints the first n primes, the last one on its own line; returns the n-th prime. */
    public static int primes(int n, PrintStream out) {
        int[] last = new int[1];
        Go.run(() -> {
            Chan<Integer> src = Chan.make();
            Go.go(() -> generate(src));
            Chan<Integer> ch = src;
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < n; i++) {
                int prime = ch.recv();
                last[0] = prime;
                if (i < 10) {
                    line.append(prime).append(' ');
                }
                Chan<Integer> ch1 = Chan.make();
                Chan<Integer> in = ch;
                Go.go(() -> filter(in, ch1, prime));
                ch = ch1;
            }
            out.println("sieve: first primes: " + line.toString().trim() + " ...");
            out.println("sieve: prime #" + n + " = " + last[0] + " (" + n + " goroutines in the chain)");
        });
        return last[0];
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        Go.main(() -> primes(n, System.out));
    }
}
