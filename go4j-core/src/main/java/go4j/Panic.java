package go4j;

/**
 * A Go panic: an unchecked exception carrying the panic value ({@code panic(v)} is {@code throw new Panic(v)};
 * {@code recover()} is a {@code catch (Panic p)} whose {@link #value()} is what {@code recover} returns).
 *
 * <p>go4j's own runtime errors (misuse of channels and the like) are {@link RuntimeError}s, a subtype, with Go's
 * exact message. An unrecovered panic in a goroutine ends its {@link Go#run program}; see {@link Go}.
 */
public class Panic extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Object value;
    private volatile long goroutine;

    /** {@code panic(value)}. A Throwable value also becomes the cause. */
    public Panic(Object value) {
        super(describeValue(value), value instanceof Throwable t ? t : null);
        this.value = value;
    }

    /** The value passed to {@code panic}. */
    public Object value() {
        return value;
    }

    /** The id of the goroutine this panic escaped from, or 0 while it has not escaped a goroutine. */
    public long goroutine() {
        return goroutine;
    }

    /** Set by the runtime when the panic escapes goroutine {@code id}. */
    public void setGoroutine(long id) {
        if (goroutine == 0) {
            goroutine = id;
        }
    }

    /** How Go prints a panic value after {@code "panic: "}. */
    static String describeValue(Object v) {
        if (v instanceof Throwable t) {
            return t.toString();
        }
        return String.valueOf(v);
    }

    /** Go's text for an escaping throwable: the panic value for a Panic, the throwable itself otherwise. */
    public static String describe(Throwable t) {
        if (t instanceof Panic p) {
            return describeValue(p.value);
        }
        return t.toString();
    }
}
