package go4j.debug;

import java.time.Duration;
import java.util.List;

/**
 * One goroutine as a dump saw it.
 *
 * @param program      the process-wide number of its program ({@code 0} = detached goroutines)
 * @param id           its goroutine id (per program; the main goroutine of a run is 1)
 * @param status       Go's status text: {@code running}, {@code runnable}, a wait reason such as
 *                     {@code chan receive}, or {@code syscall}/{@code sleep} while blocked in the JDK
 * @param waiting      whether it is parked in a go4j primitive (then {@code status} is the wait reason)
 * @param waitDuration how long it has been parked (zero unless {@code waiting})
 * @param stack        its visible frames, innermost first (go4j's and the JDK's machinery removed)
 * @param createdBy    the function that started it ({@code Class.method}), or null for a run's main goroutine
 * @param parentId     the goroutine that started it (0 if none)
 * @param text         its trace in Go's format ({@code goroutine N [status]:}, frames, {@code created by})
 */
public record GoroutineInfo(long program, long id, String status, boolean waiting, Duration waitDuration,
                            List<StackTraceElement> stack, String createdBy, long parentId, String text) {

    /** The innermost visible frame as {@code Class.method}, or "" for an empty stack. */
    public String topFunction() {
        return stack.isEmpty() ? "" : stack.get(0).getClassName() + "." + stack.get(0).getMethodName();
    }
}
