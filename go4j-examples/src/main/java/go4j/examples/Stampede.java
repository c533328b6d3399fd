package go4j.examples;

import go4j.Go;
import go4j.sync.WaitGroup;
import go4j.sync.singleflight.Group;
import go4j.sync.singleflight.Result;
import go4j.time.Time;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cache stampede, and singleflight guarding against it. When a hot key is missing from a cache (cold start,
 * expiry), every request that misses goes to the database at once; with {@code singleflight} the first miss loads
 * the value and the others wait for that load and share its result.
 *
 * <pre>{@code
 * func (c *Cache) Get(key string) (User, error) {
 *     if u, ok := c.m.Load(key); ok {
 *         return u.(User), nil
 *     }
 *     v, err, _ := c.sf.Do(key, func() (any, error) {
 *         if u, ok := c.m.Load(key); ok {       // filled while we were getting here
 *             return u, nil
 *         }
 *         u, err := c.db.Load(key)
 *         if err == nil {
 *             c.m.Store(key, u)
 *         }
 *         return u, err
 *     })
 *     ...
 * }
 * }</pre>
 * The database is simulated: a load takes 20 ms and is counted.
 */
public final class Stampede {
    private Stampede() {}

    record User(String id, String name) {}

    /** The slow backend: counts its loads. */
    static final class Database {
        final AtomicInteger loads = new AtomicInteger();

        User load(String key) {
            loads.incrementAndGet();
            Time.sleep(Duration.ofMillis(20)); // the query
            return new User(key, "user " + key.substring(key.indexOf(':') + 1));
        }
    }

    /** A read-through cache; {@code guarded} selects singleflight or the naive miss path. */
    static final class Cache {
        final Map<String, User> m = new ConcurrentHashMap<>();
        final Group<String, User> sf = new Group<>();
        final Database db;
        final boolean guarded;
        final AtomicInteger shared = new AtomicInteger();

        Cache(Database db, boolean guarded) {
            this.db = db;
            this.guarded = guarded;
        }

        User get(String key) {
            User u = m.get(key);
            if (u != null) {
                return u;
            }
            if (!guarded) {
                u = db.load(key); // every miss hits the database
                m.put(key, u);
                return u;
            }
            Result<User> r = sf.doCall(key, () -> {
                User cached = m.get(key); // filled while we were getting here
                if (cached != null) {
                    return Result.of(cached);
                }
                User loaded = db.load(key);
                m.put(key, loaded);
                return Result.of(loaded);
            });
            if (r.shared()) {
                shared.incrementAndGet();
            }
            return r.val();
        }

        /** The key expires. */
        void evict(String key) {
            m.remove(key);
        }
    }

    /** {@code clients} goroutines ask for the same key at once; returns the number of database loads. */
    static int burst(Cache cache, String key, int clients) {
        WaitGroup wg = new WaitGroup();
        AtomicInteger wrong = new AtomicInteger();
        for (int i = 0; i < clients; i++) {
            wg.go(() -> {
                User u = cache.get(key);
                if (!u.id().equals(key)) {
                    wrong.incrementAndGet();
                }
            });
        }
        wg.await();
        if (wrong.get() != 0) {
            throw new IllegalStateException(wrong.get() + " clients got the wrong user");
        }
        return cache.db.loads.get();
    }

    /** Runs the stampede without and with singleflight; returns {naive loads, guarded loads, guarded after expiry}. */
    public static int[] run(int clients, PrintStream out) {
        int[] loads = new int[3];
        Go.run(() -> {
            Cache naive = new Cache(new Database(), false);
            loads[0] = burst(naive, "user:42", clients);
            out.println("stampede: " + clients + " concurrent misses on user:42 without singleflight -> "
                    + loads[0] + " database loads");

            Cache guarded = new Cache(new Database(), true);
            loads[1] = burst(guarded, "user:42", clients);
            out.println("stampede: " + clients + " concurrent misses on user:42 with singleflight -> " + loads[1]
                    + " database load, " + guarded.shared.get() + " callers shared it");

            guarded.evict("user:42");
            loads[2] = burst(guarded, "user:42", clients) - loads[1];
            out.println("stampede: after expiry, another burst -> " + loads[2] + " more load; value: "
                    + guarded.get("user:42"));
        });
        return loads;
    }

    public static void main(String[] args) {
        Go.main(() -> run(100, System.out));
    }
}
