package go4j.examples;

import go4j.Chan;
import go4j.Go;
import go4j.time.Time;

import java.io.PrintStream;
import java.time.Duration;

import static go4j.Select.recv;
import static go4j.Select.select;

/**
 * Select with a timeout (Go by Example: "Timeouts"), ported line by line:
 *
 * <pre>{@code
 * c1 := make(chan string, 1)
 * go func() { time.Sleep(2 * time.Second); c1 <- "result 1" }()
 * select {
 * case res := <-c1:                   fmt.Println(res)
 * case <-time.After(100 * time.Millisecond): fmt.Println("timeout 1")
 * }
 * c2 := make(chan string, 1)
 * go func() { time.Sleep(20 * time.Millisecond); c2 <- "result 2" }()
 * select {
 * case res := <-c2:                   fmt.Println(res)
 * case <-time.After(3 * time.Second): fmt.Println("timeout 2")
 * }
 * }</pre>
 * The buffered channels let the slow goroutine finish its send after nobody listens (no goroutine leak in Go;
 * here the program's end interrupts its sleep).
 */
public final class Timeouts {
    private Timeouts() {}

    /** Returns the two lines Go would print. */
    public static String run(PrintStream out) {
        StringBuilder printed = new StringBuilder();
        Go.run(() -> {
            Chan<String> c1 = Chan.make(1);
            Go.go(() -> {
                Time.sleep(Duration.ofSeconds(2));
                c1.send("result 1");
            });
            select(
                    recv(c1, res -> printed.append(res).append('\n')),
                    recv(Time.after(Duration.ofMillis(100)), t -> printed.append("timeout 1\n")));

            Chan<String> c2 = Chan.make(1);
            Go.go(() -> {
                Time.sleep(Duration.ofMillis(20));
                c2.send("result 2");
            });
            select(
                    recv(c2, res -> printed.append(res).append('\n')),
                    recv(Time.after(Duration.ofSeconds(3)), t -> printed.append("timeout 2\n")));
        });
        out.print("timeouts: " + printed.toString().replace("\n", "; "));
        out.println();
        return printed.toString();
    }

    public static void main(String[] args) {
        Go.main(() -> run(System.out));
    }
}
