package go4j.examples;

import go4j.Chan;
import go4j.Go;

import java.io.PrintStream;

/**
 * Ping-pong over two unbuffered channels (the "ball" of Sameer Ajmani's Go concurrency talk):
 *
 * <pre>{@code
 * type Ball struct{ hits int }
 * func player(name string, table chan *Ball, done chan bool, limit int) {
 *     for ball := range table {
 *         ball.hits++
 *         if ball.hits >= limit { done <- true; return }
 *         table <- ball
 *     }
 * }
 * func main() {
 *     table, done := make(chan *Ball), make(chan bool)
 *     go player("ping", table, done, 100000)
 *     go player("pong", table, done, 100000)
 *     table <- new(Ball)
 *     <-done
 * }
 * }</pre>
 */
public final class PingPong {
    private PingPong() {}

    static final class Ball {
        int hits;
        String lastPlayer;
    }

    static void player(String name, Chan<Ball> table, Chan<Boolean> done, int limit) {
        for (Ball ball : table) {
            ball.hits++;
            ball.lastPlayer = name;
            if (ball.hits >= limit) {
                done.send(true);
                return;
            }
            table.send(ball);
        }
    }

    /** Plays {@code hits} hits; returns the ball's hit count. */
    public static int play(int hits, PrintStream out) {
        Ball ball = new Ball();
        Go.run(() -> {
            Chan<Ball> table = Chan.make();
            Chan<Boolean> done = Chan.make();
            Go.go(() -> player("ping", table, done, hits));
            Go.go(() -> player("pong", table, done, hits));
            long t0 = System.nanoTime();
            table.send(ball);
            done.recv();
            long ns = System.nanoTime() - t0;
            out.printf("pingpong: %d hits, last by %s, %.0f ns per hit%n", ball.hits, ball.lastPlayer,
                    (double) ns / ball.hits);
        });
        return ball.hits;
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Go.main(() -> play(n, System.out));
    }
}
