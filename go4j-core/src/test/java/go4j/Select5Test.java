package go4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static go4j.Select.defaultCase;
import static go4j.Select.recv;
import static go4j.Select.recvOk;
import static go4j.Select.select;
import static go4j.Select.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Port of Go's {@code test/chan/select5.go}, complete: Go's program enumerates every path through five templates
 * (recv, send, recvOrder, sendOrder, nonblock) with its {@code choose}/{@code maybe}/{@code next} enumerator and
 * prints one function per path (1,045 in Go 1.19). Here the same enumerator drives the same templates, but each
 * path builds and runs its select directly instead of printing source. The number of paths per template is
 * asserted against Go's generator output (241, 49, 194, 49, 512).
 *
 * <p>Go's receive assignment forms (direct, {@code *f(&x)}, {@code :=}, interface, map element) become the
 * matching Java bodies (field, holder array via a function, local, {@code Object}, {@code Map}); order-of-evaluation
 * checks ({@code checkorder}) keep Go's numbering: channel and value expressions are evaluated on entry in source
 * order, the receive's left-hand side only after the case is chosen (order 100).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Select5Test {

    // ------------------------------------------------------------------ Go's choice enumerator (verbatim logic)

    private static final class Choice {
        int i;
        final int n;

        Choice(int i, int n) {
            this.i = i;
            this.n = n;
        }
    }

    private final List<Choice> choices = new ArrayList<>();
    private int cp = -1;

    private boolean maybe() {
        return choose(2) == 0;
    }

    private int choose(int n) {
        if (cp >= choices.size()) {
            // never asked this before: start with 0.
            choices.add(new Choice(0, n));
            cp = choices.size();
            return 0;
        }
        // otherwise give recorded answer
        if (n != choices.get(cp).n) {
            throw new IllegalStateException("inconsistent choices");
        }
        int i = choices.get(cp).i;
        cp++;
        return i;
    }

    private boolean next() {
        if (cp < 0) {
            // start a new round
            cp = 0;
            return true;
        }
        // increment last choice sequence
        cp = choices.size() - 1;
        while (cp >= 0 && choices.get(cp).i == choices.get(cp).n - 1) {
            cp--;
        }
        if (cp < 0) {
            choices.clear();
            return false;
        }
        choices.get(cp).i++;
        choices.subList(cp + 1, choices.size()).clear();
        cp = 0;
        return true;
    }

    // ------------------------------------------------------------------ template arguments (Go's arg)

    private boolean def;
    private int nreset;

    private boolean maybeDefault() {
        if (def) {
            return false;
        }
        def = maybe();
        return def;
    }

    private boolean mustDefault() {
        return !def;
    }

    private void reset() {
        def = false;
        nreset++;
    }

    // ------------------------------------------------------------------ the generated program's globals

    /** channel is buffered so test is single-goroutine */
    private final Chan<Integer> c = Chan.make(1);
    private final Chan<Integer> nilch = Chan.nil();
    private int n = 1;
    private int x;
    private final int[] xp = new int[1]; // &x for the *f(&x) forms
    private Object i;
    private final Chan<Integer> dummy = Chan.make();
    private final Map<Integer, Integer> m = new HashMap<>();
    private int order;

    private int[] f(int[] p) {
        return p;
    }

    /** Successive calls must have increasing o values. */
    private void checkorder(int o) {
        assertThat(o).as("invalid order %d after %d", o, order).isGreaterThan(order);
        order = o;
    }

    private Chan<Integer> fc(Chan<Integer> ch, int o) {
        checkorder(o);
        return ch;
    }

    private int[] fp(int[] p, int o) {
        checkorder(o);
        return p;
    }

    private int fn(int v, int o) {
        checkorder(o);
        return v;
    }

    private static Runnable panics(String what) {
        return () -> {
            throw new AssertionError(what);
        };
    }

    private static <T> java.util.function.Consumer<T> panicsOnRecv(String what) {
        return v -> {
            throw new AssertionError(what);
        };
    }

    private void check() {
        assertThat(x).as("have %d want %d", x, n).isEqualTo(n);
        n++;
    }

    private void runSelect(List<Select.Case> cases) {
        select(cases.toArray(Select.Case[]::new));
    }

    // ------------------------------------------------------------------ templates

    /** Send n, receive it one way or another into x, check that they match. */
    private void recvTemplate() {
        c.send(n);
        if (maybe()) {
            x = c.recv();
        } else {
            List<Select.Case> cases = new ArrayList<>();
            if (maybeDefault()) {
                cases.add(defaultCase(panics("nonblock")));
            }
            if (maybe()) {
                cases.add(recv(c, v -> x = v));
            } else if (maybe()) {
                cases.add(recvOk(c, (v, ok) -> f(xp)[0] = v));
                xp[0] = Integer.MIN_VALUE;
            } else if (maybe()) {
                cases.add(recv(c, v -> {
                    int y = v;
                    x = y;
                }));
            } else if (maybe()) {
                cases.add(recv(c, v -> {
                    i = v;
                    x = (Integer) i;
                }));
            } else {
                cases.add(recv(c, v -> {
                    m.put(13, v);
                    x = m.get(13);
                }));
            }
            if (maybeDefault()) {
                cases.add(defaultCase(panics("nonblock")));
            }
            if (maybe()) {
                cases.add(send(dummy, 1, panics("dummy send")));
            }
            if (maybe()) {
                cases.add(recv(dummy, panicsOnRecv("dummy receive")));
            }
            if (maybe()) {
                cases.add(send(nilch, 1, panics("nilch send")));
            }
            if (maybe()) {
                cases.add(recv(nilch, panicsOnRecv("nilch recv")));
            }
            xp[0] = Integer.MIN_VALUE;
            runSelect(cases);
            if (xp[0] != Integer.MIN_VALUE) {
                x = xp[0];
            }
        }
        check();
    }

    /** As recvTemplate, checking the order of evaluation. */
    private void recvOrderTemplate() {
        order = 0;
        c.send(n);
        if (maybe()) {
            // Outside of select, left-to-right rule applies.
            int[] p = fp(xp, 1);
            p[0] = fc(c, 2).recv();
            x = xp[0];
        } else if (maybe()) {
            int k = fn(13, 1);
            m.put(k, fc(c, 2).recv());
            x = m.get(13);
        } else {
            List<Select.Case> cases = new ArrayList<>();
            xp[0] = Integer.MIN_VALUE;
            if (maybeDefault()) {
                cases.add(defaultCase(panics("nonblock")));
            }
            // Inside select, the assignment waits until the case is chosen: the right-hand side comes first.
            if (maybe()) {
                cases.add(recv(fc(c, 1), v -> fp(xp, 100)[0] = v));
            } else if (maybe()) {
                cases.add(recv(fc(c, 1), v -> {
                    int y = v;
                    x = y;
                }));
            } else if (maybe()) {
                cases.add(recv(fc(c, 1), v -> {
                    i = v;
                    x = (Integer) i;
                }));
            } else {
                cases.add(recv(fc(c, 1), v -> {
                    m.put(fn(13, 100), v);
                    x = m.get(13);
                }));
            }
            if (maybeDefault()) {
                cases.add(defaultCase(panics("nonblock")));
            }
            if (maybe()) {
                cases.add(send(fc(dummy, 2), fn(1, 3), panics("dummy send")));
            }
            if (maybe()) {
                cases.add(recv(fc(dummy, 4), panicsOnRecv("dummy receive")));
            }
            if (maybe()) {
                cases.add(send(fc(nilch, 5), fn(1, 6), panics("nilch send")));
            }
            if (maybe()) {
                cases.add(recv(fc(nilch, 7), panicsOnRecv("nilch recv")));
            }
            runSelect(cases);
            if (xp[0] != Integer.MIN_VALUE) {
                x = xp[0];
            }
        }
        check();
    }

    /** Send n one way or another, receive it into x, check that they match. */
    private void sendTemplate() {
        if (maybe()) {
            c.send(n);
        } else {
            List<Select.Case> cases = new ArrayList<>();
            if (maybeDefault()) {
                cases.add(defaultCase(panics("nonblock")));
            }
            cases.add(send(c, n));
            if (maybeDefault()) {
                cases.add(defaultCase(panics("nonblock")));
            }
            if (maybe()) {
                cases.add(send(dummy, 1, panics("dummy send")));
            }
            if (maybe()) {
                cases.add(recv(dummy, panicsOnRecv("dummy receive")));
            }
            if (maybe()) {
                cases.add(send(nilch, 1, panics("nilch send")));
            }
            if (maybe()) {
                cases.add(recv(nilch, panicsOnRecv("nilch recv")));
            }
            runSelect(cases);
        }
        x = c.recv();
        check();
    }

    /** As sendTemplate, checking the order of evaluation. */
    private void sendOrderTemplate() {
        order = 0;
        if (maybe()) {
            Chan<Integer> ch = fc(c, 1);
            ch.send(fn(n, 2));
        } else {
            List<Select.Case> cases = new ArrayList<>();
            if (maybeDefault()) {
                cases.add(defaultCase(panics("nonblock")));
            }
            cases.add(send(fc(c, 1), fn(n, 2)));
            if (maybeDefault()) {
                cases.add(defaultCase(panics("nonblock")));
            }
            if (maybe()) {
                cases.add(send(fc(dummy, 3), fn(1, 4), panics("dummy send")));
            }
            if (maybe()) {
                cases.add(recv(fc(dummy, 5), panicsOnRecv("dummy receive")));
            }
            if (maybe()) {
                cases.add(send(fc(nilch, 6), fn(1, 7), panics("nilch send")));
            }
            if (maybe()) {
                cases.add(recv(fc(nilch, 8), panicsOnRecv("nilch recv")));
            }
            runSelect(cases);
        }
        x = c.recv();
        check();
    }

    /**
     * Various combinations of non-blocking operations; receive assignments must not edit or even compute the
     * address of the left-hand side.
     */
    private void nonblockTemplate() {
        x = n;
        List<Select.Case> cases = new ArrayList<>();
        if (maybeDefault()) {
            cases.add(defaultCase());
        }
        if (maybe()) {
            cases.add(send(dummy, 1, panics("dummy <- 1")));
        }
        if (maybe()) {
            cases.add(send(nilch, 1, panics("nilch <- 1")));
        }
        if (maybe()) {
            cases.add(recv(dummy, panicsOnRecv("<-dummy")));
        }
        if (maybe()) {
            cases.add(recv(dummy, v -> {
                x = v;
                throw new AssertionError("<-dummy x");
            }));
        }
        if (maybe()) {
            int[][] nilp = null;
            cases.add(recv(dummy, v -> {
                nilp[0][0] = v; // **(**int)(nil) = <-dummy
                throw new AssertionError("<-dummy (and didn't crash saving result!)");
            }));
        }
        if (maybe()) {
            cases.add(recv(nilch, panicsOnRecv("<-nilch")));
        }
        if (maybe()) {
            cases.add(recv(nilch, v -> {
                x = v;
                throw new AssertionError("<-nilch x");
            }));
        }
        if (maybe()) {
            int[][] nilp = null;
            cases.add(recv(nilch, v -> {
                nilp[0][0] = v;
                throw new AssertionError("<-nilch (and didn't crash saving result!)");
            }));
        }
        if (mustDefault()) {
            cases.add(defaultCase());
        }
        runSelect(cases);
        check();
    }

    /** Go's {@code do(t)}: every path through the template, one run each; returns the number of paths. */
    private int doAll(Runnable template) {
        int before = nreset;
        for (; next(); reset()) {
            template.run();
        }
        return nreset - before;
    }

    /** Go: test/chan/select5.go — all 1,045 generated cases, in Go's order. */
    @Test
    void select5() {
        Go.run(() -> {
            assertThat(doAll(this::recvTemplate)).as("recv cases").isEqualTo(241);
            assertThat(doAll(this::sendTemplate)).as("send cases").isEqualTo(49);
            assertThat(doAll(this::recvOrderTemplate)).as("recvOrder cases").isEqualTo(194);
            assertThat(doAll(this::sendOrderTemplate)).as("sendOrder cases").isEqualTo(49);
            assertThat(doAll(this::nonblockTemplate)).as("nonblock cases").isEqualTo(512);
            assertThat(nreset).isEqualTo(1045);
            assertThat(n).isEqualTo(1046);
        });
    }
}
