package go4j.sync.singleflight;

import go4j.Chan;
import go4j.Go;
import go4j.Panic;
import go4j.RecvChan;
import go4j.Select;
import go4j.sync.WaitGroup;

import java.util.ArrayList;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Go's {@code golang.org/x/sync/singleflight.Group}: duplicate function call suppression. A Group is a namespace
 * of keys; {@link #doCall} runs a function for a key unless a call for that key is already in flight, in which case
 * the caller waits for that call and receives its results. The classic use is a cache stampede guard: when many
 * goroutines miss the same cache key at once, one loads it and the others share the result.
 *
 * <p>Go's {@code Do} is {@link #doCall} ({@code do} is a Java keyword); {@code DoChan} and {@code Forget} keep their
 * names. Go's keys are strings; here the key type is a parameter (any {@code K} with {@code equals}/{@code hashCode};
 * {@code null} is a valid key). A Group is ready to use when constructed (Go's zero value).
 *
 * <h2>Errors and panics</h2>
 * <ul>
 *   <li>Errors are values, as in Go: the function returns a {@link Result} built with {@link Result#of(Object,
 *       Throwable)} ({@code return v, err}); a returned error is delivered to every caller of that call, as is the
 *       value. Nothing is cached: once a call has returned, the next {@code doCall} for the key runs the function
 *       again.</li>
 *   <li>A throwable <em>thrown</em> by the function is a panic (Go's rules, golang/go#41133): every {@link #doCall}
 *       caller of that call — the one that ran the function and all the duplicates — throws a new {@link Panic}
 *       whose value is a {@link PanicError} holding the original panic value and stack (its cause is the original
 *       throwable). If callers of {@link #doChan} are waiting for that call, the panic is made unrecoverable, so
 *       that they cannot block for ever on a channel that will never receive: it is re-thrown in a new goroutine
 *       (which ends the {@link Go#run} program, or reaches the detached panic handler), and the goroutine that ran
 *       the function blocks for ever (Go keeps it for the crash dump; go4j interrupts it when the program ends).</li>
 *   <li>Go's {@code runtime.Goexit} has no go4j counterpart, so Go's {@code errGoexit} case does not arise.</li>
 * </ul>
 *
 * <h2>Blocking</h2>
 * Duplicate {@code doCall} callers wait on the call's {@link WaitGroup} (wait reason {@code sync.WaitGroup.Wait},
 * as in Go), uninterruptibly. The group's map is a {@link ConcurrentHashMap}: calls for different keys do not
 * contend (Go serialises all keys of a group on one mutex).
 *
 * <p>Happens-before: the function's return (or panic) happens before every {@code doCall} that receives its result
 * returns (or re-panics), and before its result is received from any {@code doChan} channel.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public class Group<K, V> {
    /** The function of a call: Go's {@code func() (interface{}, error)}. */
    @FunctionalInterface
    public interface Func<V> {
        /**
         * Computes the value for the key; returns {@link Result#of(Object)}, {@link Result#of(Object, Throwable)}
         * or {@link Result#error(Throwable)} (the {@code shared} flag of the returned Result is ignored; returning
         * {@code null} means {@code return nil, nil}). Throwing is panicking.
         */
        Result<V> call();
    }

    /**
     * An in-flight or completed call. {@link #val}, {@link #err} and {@link #panic} are written once, before
     * {@code wg.done()}, and read only after {@code wg.await()} (or by the goroutine that wrote them).
     * {@link #dups} and {@link #chans} are written only inside {@code m.compute} for the call's key while the call is
     * in the map (so under the map's lock for that key); the owner reads them after removing the call from the map
     * with the same lock, so it sees every update and no later one can happen.
     */
    private static final class Call<V> {
        final WaitGroup wg = new WaitGroup();
        V val;
        Throwable err;
        PanicError panic;
        int dups;
        ArrayList<Chan<Result<V>>> chans;

        Call() {
            wg.add(1);
        }
    }

    /** Stands for the null key (ConcurrentHashMap has none). */
    private static final Object NULL_KEY = new Object();

    /**
     * In-flight calls by key (Go's map guarded by the group's mutex). Go4j uses a ConcurrentHashMap and does every
     * join ({@code dups++}, appending a {@code doChan} channel) inside {@code compute} and the removal with
     * {@code remove(key, call)}: these serialise on the key's bin, as Go's operations serialise on its mutex, but
     * calls for different keys do not contend.
     */
    private final ConcurrentHashMap<Object, Call<V>> m = new ConcurrentHashMap<>();

    /** An empty group (Go's zero value). */
    public Group() {}

    private static Object mapKey(Object key) {
        return key == null ? NULL_KEY : key;
    }

    /**
     * Go's {@code Do}: runs {@code fn} and returns its results, making sure that only one execution is in flight
     * for {@code key} at a time. A duplicate caller waits for the original call and receives the same results;
     * {@link Result#shared()} says whether the results were given to more than one caller.
     *
     * @throws Panic with a {@link PanicError} value if {@code fn} panicked (in this call or in the call shared)
     */
    public Result<V> doCall(K key, Func<V> fn) {
        Object k = mapKey(key);
        Call<V> fresh = new Call<>();
        Call<V> c = m.compute(k, (kk, old) -> {
            if (old == null) {
                return fresh;
            }
            old.dups++;
            return old;
        });
        if (c != fresh) {
            c.wg.await();
            if (c.panic != null) {
                throw new Panic(c.panic);
            }
            return new Result<>(c.val, c.err, true);
        }
        run(c, k, fn);
        // run removed the call from the map (or it was forgotten): dups is final and visible.
        return new Result<>(c.val, c.err, c.dups > 0);
    }

    /**
     * Go's {@code DoChan}: like {@link #doCall} but does not block; returns a channel (buffered, capacity 1) that
     * receives the {@link Result} when it is ready. The function, if this call starts one, runs in a new goroutine.
     * If the function panics while {@code doChan} callers wait, the panic cannot be recovered (see the class
     * comment).
     */
    public RecvChan<Result<V>> doChan(K key, Func<V> fn) {
        Object k = mapKey(key);
        Chan<Result<V>> ch = Chan.make(1);
        Call<V> fresh = new Call<>();
        Call<V> c = m.compute(k, (kk, old) -> {
            Call<V> call = old == null ? fresh : old;
            if (old != null) {
                old.dups++;
            }
            if (call.chans == null) {
                call.chans = new ArrayList<>(2);
            }
            call.chans.add(ch);
            return call;
        });
        if (c == fresh) {
            Go.go(() -> run(c, k, fn));
        }
        return ch;
    }

    /**
     * Go's {@code Forget}: forgets the call in flight for {@code key}, if any. Future calls for the key run the
     * function rather than waiting for the earlier call; callers already waiting for it still get its result.
     */
    public void forget(K key) {
        m.remove(mapKey(key));
    }

    /**
     * Runs the function of call {@code c} (Go's {@code doCall}), publishes its outcome, removes the call from the
     * map and delivers the result to the {@code doChan} channels — or re-panics.
     */
    private void run(Call<V> c, Object k, Func<V> fn) {
        try {
            Result<V> r = fn.call();
            if (r != null) {
                c.val = r.val();
                c.err = r.err();
            }
        } catch (Throwable t) {
            c.panic = new PanicError(t);
        }
        // Leave the map first (if still there: not forgotten), then release the waiters. A caller that joined did
        // so before the removal, so it waits on wg; a caller that comes after starts a new call. Go does both
        // under its mutex; the order gives the same outcomes.
        // compute (not remove(k, c)): it always locks the key's bin or CASes its slot, so it happens after every
        // join and after a forget, even when the call is no longer in the map.
        m.compute(k, (kk, cur) -> cur == c ? null : cur);
        c.wg.done();
        PanicError panic = c.panic;
        ArrayList<Chan<Result<V>>> chans = c.chans;
        if (panic == null) {
            if (chans != null) {
                Result<V> r = new Result<>(c.val, c.err, c.dups > 0);
                for (Chan<Result<V>> ch : chans) {
                    ch.send(r); // buffered, capacity 1, one send each: never blocks
                }
            }
            return;
        }
        if (chans == null) {
            throw new Panic(panic);
        }
        // doChan callers are waiting for a result that will never come: make the panic unrecoverable, and keep
        // this goroutine around (blocked) so that it appears in the crash report, as Go does.
        Go.go(() -> {
            throw new Panic(panic);
        });
        Select.select();
    }

    @Override
    public String toString() {
        return "singleflight.Group[inFlight=" + m.size() + "]";
    }
}
