package go4j.context;

/**
 * A custom {@link Context} implementation may implement this (Go's unexported {@code afterFuncer} interface): then
 * contexts derived from it register for its cancellation through {@link #afterFunc} instead of starting a watcher
 * goroutine. The method must behave as {@link Context#afterFunc}: arrange to call {@code f} (once, in its own
 * goroutine or not) after this context is done, and return a stop function reporting whether it prevented the call.
 */
public interface AfterFuncer {
    /** Registers f to run after this context is done. */
    StopFunc afterFunc(Runnable f);
}
