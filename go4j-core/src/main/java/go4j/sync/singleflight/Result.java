package go4j.sync.singleflight;

/**
 * Go's {@code singleflight.Result}: the outcome of a call, as {@link Group#doCall} returns it and as
 * {@link Group#doChan} delivers it on its channel — and, with {@code shared} ignored, what the function passed to
 * them returns ({@code return v, err} is {@code return Result.of(v, err)}).
 *
 * <p>Errors are values, as in Go: {@code err} is a {@link Throwable} <em>returned</em> by the function, or
 * {@code null} (Go's {@code nil}). A throwable <em>thrown</em> by the function is a panic, not an error (see
 * {@link Group}).
 *
 * @param val    the value the function returned (Go's {@code Val})
 * @param err    the error the function returned, or {@code null} (Go's {@code Err})
 * @param shared whether {@code val} and {@code err} were given to more than one caller (Go's {@code Shared})
 * @param <V>    the value type
 */
public record Result<V>(V val, Throwable err, boolean shared) {
    /** {@code return v, nil}. */
    public static <V> Result<V> of(V val) {
        return new Result<>(val, null, false);
    }

    /** {@code return v, err}. */
    public static <V> Result<V> of(V val, Throwable err) {
        return new Result<>(val, err, false);
    }

    /** {@code return nil, err} (Go's zero value for {@code V} is {@code null} here). */
    public static <V> Result<V> error(Throwable err) {
        return new Result<>(null, err, false);
    }
}
