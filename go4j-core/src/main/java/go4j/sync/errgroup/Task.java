package go4j.sync.errgroup;

/**
 * A task of an errgroup {@link Group} (and of a {@link go4j.sync.workerpool.WorkerPool}): Go's
 * {@code func() error}.
 *
 * <p>Errors are values, as in Go and as {@link go4j.context.Context#err()}: the task <em>returns</em> its error
 * ({@code return err}), or {@code null} for success ({@code return nil}). A throwable the task <em>throws</em> is a
 * panic, not an error; what a panic does is documented where the task runs ({@link Group}: an unrecovered panic of
 * the task's goroutine, as in Go's x/sync).
 *
 * <pre>{@code
 * g.go(() -> {
 *     try {
 *         results[i] = fetch(ctx, url);
 *         return null;
 *     } catch (IOException e) {
 *         return e;            // if err != nil { return err }
 *     }
 * });
 * }</pre>
 */
@FunctionalInterface
public interface Task {
    /** Runs the task; returns its error, or {@code null} on success. */
    Throwable run();
}
