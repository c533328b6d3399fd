package go4j;

/**
 * A Go fatal error ({@code fatal error: ...}): not a panic and not meant to be recovered — for example
 * {@code all goroutines are asleep - deadlock!} or {@code sync: unlock of unlocked mutex}. In a {@link Go#run}
 * program it ends the run ({@code Go.run} throws it, {@code Go.main} exits with status 2).
 */
public class FatalError extends Error {
    private static final long serialVersionUID = 1L;

    public FatalError(String message) {
        super(message);
    }
}
