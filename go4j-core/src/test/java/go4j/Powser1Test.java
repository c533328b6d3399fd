package go4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static go4j.Select.recv;
import static go4j.Select.select;
import static go4j.Select.send;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Port of Go's {@code test/chan/powser1.go} (Doug McIlroy's power series package): power series as demand-driven
 * pipelines of goroutines, each series a pair of unbuffered channels (request, data). Every constructor of the Go
 * program is ported (split generations with their release channels, getn's select over nil-disabled cases, ...),
 * and the test makes Go's checks: Ones, Add, Diff, Integ, Cmul, Sub, Mul, Exp and the arctangent series.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Powser1Test {

    /** A rational number; den == 0 is the end mark ({@code finis}). */
    record Rat(long num, long den) {
        boolean eq(Rat c) {
            return num == c.num && den == c.den;
        }

        @Override
        public String toString() {
            return den == 1 ? Long.toString(num) : num + "/" + den;
        }
    }

    /** A demand channel: a request channel and a data channel (Go's dch). */
    static final class Dch {
        final Chan<Integer> req = Chan.make();
        final Chan<Rat> dat = Chan.make();
    }

    // -------------------------------------------------------------------------------------- the Go program

    private final AtomicInteger seqno = new AtomicInteger();

    private static Dch mkdch() {
        return new Dch();
    }

    private static Dch[] mkdch2() {
        return new Dch[] {mkdch(), mkdch()};
    }

    // split reads a single demand channel and replicates its output onto two, which may be read at different
    // rates. A process is created at first demand for a rat and dies after the rat has been sent to both
    // outputs. When multiple generations of split exist, the newest will service requests on one channel, which
    // is always renamed to be out[0]; the oldest will service requests on the other channel, out[1]. All
    // generations but the newest hold queued data that has already been sent to out[0]. When data has finally
    // been sent to out[1], a signal on the release-wait channel tells the next newer generation to begin
    // servicing out[1].
    private void dosplit(Dch in, Dch[] out, Chan<Integer> wait) {
        boolean[] both = {false}; // do not service both channels
        select(
                recv(out[0].req),
                recv(wait, w -> {
                    both[0] = true;
                    select(
                            recv(out[0].req),
                            recv(out[1].req, r -> {
                                Dch t = out[0];
                                out[0] = out[1];
                                out[1] = t;
                            }));
                }));
        in.req.send(seqno.incrementAndGet());
        Chan<Integer> release = Chan.make();
        Go.go(() -> dosplit(in, out, release));
        Rat dat = in.dat.recv();
        out[0].dat.send(dat);
        if (!both[0]) {
            wait.recv();
        }
        out[1].req.recv();
        out[1].dat.send(dat);
        release.send(0);
    }

    private void split(Dch in, Dch[] out) {
        Chan<Integer> release = Chan.make();
        Go.go(() -> dosplit(in, out, release));
        release.send(0);
    }

    private static void put(Rat dat, Dch out) {
        out.req.recv();
        out.dat.send(dat);
    }

    private Rat get(Dch in) {
        in.req.send(seqno.incrementAndGet());
        return in.dat.recv();
    }

    /** Get one rat from each of n demand channels. */
    private Rat[] getn(Dch[] in) {
        int n = in.length;
        if (n != 2) {
            throw new Panic("bad n in getn");
        }
        @SuppressWarnings("unchecked")
        Chan<Integer>[] req = new Chan[2];
        @SuppressWarnings("unchecked")
        Chan<Rat>[] dat = new Chan[2];
        Rat[] out = new Rat[2];
        for (int i = 0; i < n; i++) {
            req[i] = in[i].req;
            dat[i] = null;
        }
        for (n = 2 * n; n > 0; n--) {
            int s = seqno.incrementAndGet();
            select(
                    send(req[0], s, () -> {
                        dat[0] = in[0].dat;
                        req[0] = null;
                    }),
                    send(req[1], s, () -> {
                        dat[1] = in[1].dat;
                        req[1] = null;
                    }),
                    recv(dat[0], it -> {
                        out[0] = it;
                        dat[0] = null;
                    }),
                    recv(dat[1], it -> {
                        out[1] = it;
                        dat[1] = null;
                    }));
        }
        return out;
    }

    /** Get one rat from each of 2 demand channels. */
    private Rat[] get2(Dch in0, Dch in1) {
        return getn(new Dch[] {in0, in1});
    }

    private void copy(Dch in, Dch out) {
        while (true) {
            out.req.recv();
            out.dat.send(get(in));
        }
    }

    private static void repeat(Rat dat, Dch out) {
        while (true) {
            put(dat, out);
        }
    }

    private Dch ones;
    private Dch twos;

    // Integer gcd; needed for rational arithmetic
    static long gcd(long u, long v) {
        if (u < 0) {
            return gcd(-u, v);
        }
        if (u == 0) {
            return v;
        }
        return gcd(v % u, u);
    }

    // Make a rational from two ints and from one int
    static Rat i2tor(long u, long v) {
        long g = gcd(u, v);
        if (v > 0) {
            return new Rat(u / g, v / g);
        }
        return new Rat(-u / g, -v / g);
    }

    static Rat itor(long u) {
        return i2tor(u, 1);
    }

    static final Rat ZERO = itor(0);
    static final Rat ONE = itor(1);
    /** End mark. */
    static final Rat FINIS = i2tor(1, 0);

    static int end(Rat u) {
        return u.den == 0 ? 1 : 0;
    }

    // Operations on rationals

    static Rat add(Rat u, Rat v) {
        long g = gcd(u.den, v.den);
        return i2tor(u.num * (v.den / g) + v.num * (u.den / g), u.den * (v.den / g));
    }

    static Rat mul(Rat u, Rat v) {
        long g1 = gcd(u.num, v.den);
        long g2 = gcd(u.den, v.num);
        return new Rat((u.num / g1) * (v.num / g2), (u.den / g2) * (v.den / g1));
    }

    static Rat neg(Rat u) {
        return i2tor(-u.num, u.den);
    }

    static Rat sub(Rat u, Rat v) {
        return add(u, neg(v));
    }

    static Rat inv(Rat u) { // invert a rat
        if (u.num == 0) {
            throw new Panic("zero divide in inv");
        }
        return i2tor(u.den, u.num);
    }

    // Power-series constructors return channels on which power series flow. They start an encapsulated
    // generator that puts the terms of the series on the channel.

    /** Make a pair of power series identical to a given power series. */
    Dch[] Split(Dch U) {
        Dch[] UU = mkdch2();
        Go.go(() -> split(U, UU));
        return UU;
    }

    /** Add two power series. */
    Dch Add(Dch U, Dch V) {
        Dch Z = mkdch();
        Go.go(() -> {
            while (true) {
                Z.req.recv();
                Rat[] uv = get2(U, V);
                switch (end(uv[0]) + 2 * end(uv[1])) {
                    case 0 -> Z.dat.send(add(uv[0], uv[1]));
                    case 1 -> {
                        Z.dat.send(uv[1]);
                        copy(V, Z);
                    }
                    case 2 -> {
                        Z.dat.send(uv[0]);
                        copy(U, Z);
                    }
                    default -> Z.dat.send(FINIS);
                }
            }
        });
        return Z;
    }

    /** Multiply a power series by a constant. */
    Dch Cmul(Rat c, Dch U) {
        Dch Z = mkdch();
        Go.go(() -> {
            boolean done = false;
            while (!done) {
                Z.req.recv();
                Rat u = get(U);
                if (end(u) != 0) {
                    done = true;
                } else {
                    Z.dat.send(mul(c, u));
                }
            }
            Z.dat.send(FINIS);
        });
        return Z;
    }

    Dch Sub(Dch U, Dch V) {
        return Add(U, Cmul(neg(ONE), V));
    }

    /** Multiply a power series by the monomial x^n. */
    Dch Monmul(Dch U, int n) {
        Dch Z = mkdch();
        Go.go(() -> {
            for (int k = n; k > 0; k--) {
                put(ZERO, Z);
            }
            copy(U, Z);
        });
        return Z;
    }

    Dch Xmul(Dch U) {
        return Monmul(U, 1);
    }

    Dch Rep(Rat c) {
        Dch Z = mkdch();
        Go.go(() -> repeat(c, Z));
        return Z;
    }

    /** Monomial c*x^n. */
    Dch Mon(Rat c, int n) {
        Dch Z = mkdch();
        Go.go(() -> {
            if (c.num != 0) {
                for (int k = n; k > 0; k--) {
                    put(ZERO, Z);
                }
                put(c, Z);
            }
            put(FINIS, Z);
        });
        return Z;
    }

    Dch Shift(Rat c, Dch U) {
        Dch Z = mkdch();
        Go.go(() -> {
            put(c, Z);
            copy(U, Z);
        });
        return Z;
    }

    // Multiply. The algorithm is
    //	let U = u + x*UU
    //	let V = v + x*VV
    //	then UV = u*v + x*(u*VV+v*UU) + x*x*UU*VV
    Dch Mul(Dch U, Dch V) {
        Dch Z = mkdch();
        Go.go(() -> {
            Z.req.recv();
            Rat[] uv = get2(U, V);
            if (end(uv[0]) != 0 || end(uv[1]) != 0) {
                Z.dat.send(FINIS);
            } else {
                Z.dat.send(mul(uv[0], uv[1]));
                Dch[] UU = Split(U);
                Dch[] VV = Split(V);
                Dch W = Add(Cmul(uv[0], VV[0]), Cmul(uv[1], UU[0]));
                Z.req.recv();
                Z.dat.send(get(W));
                copy(Add(W, Mul(UU[1], VV[1])), Z);
            }
        });
        return Z;
    }

    /** Differentiate. */
    Dch Diff(Dch U) {
        Dch Z = mkdch();
        Go.go(() -> {
            Z.req.recv();
            Rat u = get(U);
            if (end(u) == 0) {
                boolean done = false;
                for (int i = 1; !done; i++) {
                    u = get(U);
                    if (end(u) != 0) {
                        done = true;
                    } else {
                        Z.dat.send(mul(itor(i), u));
                        Z.req.recv();
                    }
                }
            }
            Z.dat.send(FINIS);
        });
        return Z;
    }

    /** Integrate, with const of integration. */
    Dch Integ(Rat c, Dch U) {
        Dch Z = mkdch();
        Go.go(() -> {
            put(c, Z);
            boolean done = false;
            for (int i = 1; !done; i++) {
                Z.req.recv();
                Rat u = get(U);
                if (end(u) != 0) {
                    done = true;
                }
                Z.dat.send(mul(i2tor(1, i), u));
            }
            Z.dat.send(FINIS);
        });
        return Z;
    }

    /** Binomial theorem (1+x)^c. */
    Dch Binom(Rat c0) {
        Dch Z = mkdch();
        Go.go(() -> {
            Rat c = c0;
            int n = 1;
            Rat t = itor(1);
            while (c.num != 0) {
                put(t, Z);
                t = mul(mul(t, c), i2tor(1, n));
                c = sub(c, ONE);
                n++;
            }
            put(FINIS, Z);
        });
        return Z;
    }

    // Reciprocal of a power series
    //	let U = u + x*UU
    //	let Z = z + x*ZZ
    //	(u+x*UU)*(z+x*ZZ) = 1
    //	z = 1/u
    //	u*ZZ + z*UU +x*UU*ZZ = 0
    //	ZZ = -UU*(z+x*ZZ)/u
    Dch Recip(Dch U) {
        Dch Z = mkdch();
        Go.go(() -> {
            Dch[] ZZ = mkdch2();
            Z.req.recv();
            Rat z = inv(get(U));
            Z.dat.send(z);
            split(Mul(Cmul(neg(z), U), Shift(z, ZZ[0])), ZZ);
            copy(ZZ[1], Z);
        });
        return Z;
    }

    // Exponential of a power series with constant term 0 (nonzero constant term would make nonrational
    // coefficients). bug: the constant term is simply ignored
    //	Z = exp(U)
    //	DZ = Z*DU
    //	integrate to get Z
    Dch Exp(Dch U) {
        Dch[] ZZ = mkdch2();
        split(Integ(ONE, Mul(ZZ[0], Diff(U))), ZZ);
        return ZZ[1];
    }

    // Substitute V for x in U, where the leading term of V is zero
    //	let U = u + x*UU
    //	let V = v + x*VV
    //	then S(U,V) = u + VV*S(V,UU)
    // bug: a nonzero constant term is ignored
    Dch Subst(Dch U, Dch V) {
        Dch Z = mkdch();
        Go.go(() -> {
            Dch[] VV = Split(V);
            Z.req.recv();
            Rat u = get(U);
            Z.dat.send(u);
            if (end(u) == 0) {
                if (end(get(VV[0])) != 0) {
                    put(FINIS, Z);
                } else {
                    copy(Mul(VV[0], Subst(U, VV[1])), Z);
                }
            }
        });
        return Z;
    }

    // Monomial Substitution: U(c x^n)
    // Each Ui is multiplied by c^i and followed by n-1 zeros
    Dch MonSubst(Dch U, Rat c0, int n) {
        Dch Z = mkdch();
        Go.go(() -> {
            Rat c = ONE;
            while (true) {
                Z.req.recv();
                Rat u = get(U);
                Z.dat.send(mul(u, c));
                c = mul(c, c0);
                if (end(u) != 0) {
                    Z.dat.send(FINIS);
                    break;
                }
                for (int i = 1; i < n; i++) {
                    Z.req.recv();
                    Z.dat.send(ZERO);
                }
            }
        });
        return Z;
    }

    private void init() {
        seqno.set(0);
        ones = Rep(ONE);
        twos = Rep(itor(2));
    }

    private void check(Dch U, Rat c, int count, String str) {
        for (int i = 0; i < count; i++) {
            Rat r = get(U);
            assertThat(r.eq(c)).as("%s: got %s should get %s", str, r, c).isTrue();
        }
    }

    static final int N = 10;

    private void checka(Dch U, Rat[] a, String str) {
        for (int i = 0; i < N; i++) {
            check(U, a[i], 1, str);
        }
    }

    /** Go: test/chan/powser1.go main (test mode). */
    @Test
    void powser1() {
        Go.run(() -> {
            init();
            check(ones, ONE, 5, "Ones");
            check(Add(ones, ones), itor(2), 0, "Add Ones Ones"); // 1 1 1 1 1
            check(Add(ones, twos), itor(3), 0, "Add Ones Twos"); // 3 3 3 3 3
            Rat[] a = new Rat[N];
            Dch d = Diff(ones);
            for (int i = 0; i < N; i++) {
                a[i] = itor(i + 1);
            }
            checka(d, a, "Diff"); // 1 2 3 4 5
            Dch in = Integ(ZERO, ones);
            a[0] = ZERO; // integration constant
            for (int i = 1; i < N; i++) {
                a[i] = i2tor(1, i);
            }
            checka(in, a, "Integ"); // 0 1 1/2 1/3 1/4 1/5
            check(Cmul(neg(ONE), twos), itor(-2), 10, "CMul"); // -1 -1 -1 -1 -1
            check(Sub(ones, twos), itor(-1), 0, "Sub Ones Twos"); // -1 -1 -1 -1 -1
            Dch m = Mul(ones, ones);
            for (int i = 0; i < N; i++) {
                a[i] = itor(i + 1);
            }
            checka(m, a, "Mul"); // 1 2 3 4 5
            Dch e = Exp(ones);
            a[0] = itor(1);
            a[1] = itor(1);
            a[2] = i2tor(3, 2);
            a[3] = i2tor(13, 6);
            a[4] = i2tor(73, 24);
            a[5] = i2tor(167, 40);
            a[6] = i2tor(4051, 720);
            a[7] = i2tor(37633, 5040);
            a[8] = i2tor(43817, 4480);
            a[9] = i2tor(4596553, 362880);
            checka(e, a, "Exp"); // 1 1 3/2 13/6 73/24
            Dch at = Integ(ZERO, MonSubst(ones, neg(ONE), 2));
            for (int c = 1, i = 0; i < N; i++) {
                if (i % 2 == 0) {
                    a[i] = ZERO;
                } else {
                    a[i] = i2tor(c, i);
                    c *= -1;
                }
            }
            checka(at, a, "ATan"); // 0 -1 0 -1/3 0 -1/5
        });
    }

    /**
     * go4j: the constructors that powser1's test mode leaves unchecked (Recip, Binom, Mon, Xmul, Shift, Subst),
     * checked against what the Go program itself prints for them (Go 1.19, {@code printn}):
     * <pre>
     * Recip(Ones)            1 -1 0 0 0 0 0
     * Binom(3)               1 3 3          (Go's Binom stops before the last term of (1+x)^3)
     * Mon(5, 2)              0 0 5
     * Xmul(Twos)             0 2 2 2 2
     * Shift(7, Ones)         7 1 1 1 1
     * Subst(Ones, Mon(1, 1)) 1 1 1 1 1
     * </pre>
     */
    @Test
    void powser1OtherConstructors() {
        Go.run(() -> {
            init();
            Dch r = Recip(ones);
            check(r, ONE, 1, "Recip");
            check(r, itor(-1), 1, "Recip");
            check(r, ZERO, 5, "Recip");
            Dch b = Binom(itor(3));
            for (Rat x : new Rat[] {ONE, itor(3), itor(3), FINIS}) {
                check(b, x, 1, "Binom");
            }
            Dch mon = Mon(itor(5), 2);
            for (Rat x : new Rat[] {ZERO, ZERO, itor(5), FINIS}) {
                check(mon, x, 1, "Mon");
            }
            Dch xm = Xmul(twos);
            check(xm, ZERO, 1, "Xmul");
            check(xm, itor(2), 4, "Xmul");
            Dch sh = Shift(itor(7), ones);
            check(sh, itor(7), 1, "Shift");
            check(sh, ONE, 4, "Shift");
            Dch s = Subst(ones, Mon(ONE, 1));
            check(s, ONE, 5, "Subst");
        });
    }
}
