package go4j.sync.atomic;

import go4j.Go;
import go4j.Panic;
import go4j.sync.WaitGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AtomicTest {

    /** Go's TestAddInt32/TestSwapInt32/TestCompareAndSwapInt32/TestAndInt32/TestOrInt32 return-value rules. */
    @Test
    void int32Semantics() {
        Int32 x = new Int32();
        assertThat(x.add(5)).isEqualTo(5); // Add returns new
        assertThat(x.swap(7)).isEqualTo(5); // Swap returns old
        assertThat(x.compareAndSwap(6, 8)).isFalse();
        assertThat(x.compareAndSwap(7, 8)).isTrue();
        assertThat(x.load()).isEqualTo(8);
        assertThat(x.and(0b1100)).isEqualTo(8); // And returns old
        assertThat(x.or(0b0011)).isEqualTo(8); // Or returns old
        assertThat(x.load()).isEqualTo(0b1011);
        x.store(Integer.MAX_VALUE);
        assertThat(x.add(1)).isEqualTo(Integer.MIN_VALUE); // wraps as Go
    }

    @Test
    void int64AndUnsigned() {
        Int64 y = new Int64(1);
        assertThat(y.add(-2)).isEqualTo(-1);
        assertThat(y.or(0)).isEqualTo(-1);
        Uint32 u = new Uint32();
        assertThat(u.add(-1)).isEqualTo(-1); // Go: AddUint32(&u, ^uint32(0)) == 0xFFFFFFFF
        assertThat(u.toString()).isEqualTo("4294967295");
        Uint64 w = new Uint64();
        w.add(-1);
        assertThat(w.toString()).isEqualTo("18446744073709551615");
        assertThat(w.and(0xFF)).isEqualTo(-1L);
        assertThat(w.load()).isEqualTo(0xFFL);
    }

    @Test
    void boolAndPointer() {
        Bool b = new Bool();
        assertThat(b.swap(true)).isFalse();
        assertThat(b.compareAndSwap(false, true)).isFalse();
        assertThat(b.compareAndSwap(true, false)).isTrue();
        assertThat(b.load()).isFalse();
        Pointer<String> p = new Pointer<>();
        String s1 = new String("a");
        String s2 = new String("a");
        assertThat(p.load()).isNull();
        assertThat(p.compareAndSwap(null, s1)).isTrue();
        assertThat(p.compareAndSwap(s2, "b")).as("pointer CAS is by identity").isFalse();
        assertThat(p.swap("b")).isSameAs(s1);
    }

    /** Go's TestValue / TestValueLarge. */
    @Test
    void valueStoreLoad() {
        Value v = new Value();
        assertThat(v.load()).isNull();
        v.store(42);
        assertThat(v.load()).isEqualTo(42);
        v.store(84);
        assertThat(v.load()).isEqualTo(84);
    }

    /** Go's TestValuePanic: nil and inconsistent stores panic with Go's messages. */
    @Test
    void valuePanics() {
        Value v = new Value();
        assertThatThrownBy(() -> v.store(null)).isInstanceOf(Panic.class)
                .hasMessage("sync/atomic: store of nil value into Value");
        v.store(42);
        assertThatThrownBy(() -> v.store("foo")).isInstanceOf(Panic.class)
                .hasMessage("sync/atomic: store of inconsistently typed value into Value");
        assertThatThrownBy(() -> v.store(null)).isInstanceOf(Panic.class)
                .hasMessage("sync/atomic: store of nil value into Value");
        assertThat(v.load()).isEqualTo(42);
    }

    /** Go's TestValueSwap and TestValueSwapPanic-like cases. */
    @Test
    void valueSwap() {
        Value v = new Value();
        assertThat(v.swap(1)).isNull();
        assertThat(v.swap(2)).isEqualTo(1);
        assertThatThrownBy(() -> v.swap(null)).isInstanceOf(Panic.class)
                .hasMessage("sync/atomic: swap of nil value into Value");
        assertThatThrownBy(() -> v.swap("x")).isInstanceOf(Panic.class)
                .hasMessage("sync/atomic: swap of inconsistently typed value into Value");
    }

    /** Go's TestValueCompareAndSwap table. */
    @Test
    void valueCompareAndSwap() {
        Value v = new Value();
        assertThat(v.compareAndSwap(1, 2)).isFalse(); // empty: only nil old matches
        assertThat(v.compareAndSwap(null, 1)).isTrue();
        assertThat(v.compareAndSwap(2, 3)).isFalse();
        assertThat(v.compareAndSwap(1, 3)).isTrue();
        assertThat(v.load()).isEqualTo(3);
        assertThatThrownBy(() -> v.compareAndSwap(3, null)).isInstanceOf(Panic.class)
                .hasMessage("sync/atomic: compare and swap of nil value into Value");
        assertThatThrownBy(() -> v.compareAndSwap(3, "x")).isInstanceOf(Panic.class)
                .hasMessage("sync/atomic: compare and swap of inconsistently typed values");
        assertThatThrownBy(() -> v.compareAndSwap(null, "x")).isInstanceOf(Panic.class)
                .hasMessage("sync/atomic: compare and swap of inconsistently typed value into Value");
    }

    /** Go's TestHammer32/64-style: concurrent adds lose nothing; concurrent CAS-increments too. */
    @Test
    void hammer() {
        Int64 sum = new Int64();
        Uint32 casSum = new Uint32();
        Go.run(() -> {
            WaitGroup wg = new WaitGroup();
            for (int g = 0; g < 8; g++) {
                wg.go(() -> {
                    for (int i = 0; i < 20_000; i++) {
                        sum.add(1);
                        while (true) {
                            int old = casSum.load();
                            if (casSum.compareAndSwap(old, old + 1)) {
                                break;
                            }
                        }
                    }
                });
            }
            wg.await();
        });
        assertThat(sum.load()).isEqualTo(160_000);
        assertThat(casSum.load()).isEqualTo(160_000);
    }

    /** Go's TestStoreLoadSeqCst32 (ported as is): Dekker — both sides cannot miss each other's store. */
    @Test
    void storeLoadSeqCst() throws InterruptedException {
        int n = 20_000; // Go uses 1e3 rounds; more here, still seconds on a loaded 2-core machine
        Int32[] x = {new Int32(), new Int32()};
        Int32[][] ack = new Int32[2][3];
        for (int m = 0; m < 2; m++) {
            for (int k = 0; k < 3; k++) {
                ack[m][k] = new Int32(-1);
            }
        }
        java.util.concurrent.atomic.AtomicReference<String> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread[] ts = new Thread[2];
        for (int p = 0; p < 2; p++) {
            int me = p;
            int he = 1 - p;
            ts[p] = Thread.ofPlatform().start(() -> {
                for (int i = 1; i < n && failure.get() == null; i++) {
                    x[me].store(i);
                    int my = x[he].load();
                    ack[me][i % 3].store(my);
                    for (int w = 1; ack[he][i % 3].load() == -1; w++) {
                        if (failure.get() != null) {
                            return;
                        }
                        if (w % 1000 == 0) {
                            Thread.yield(); // Go: runtime.Gosched() every 1000 spins
                        } else {
                            Thread.onSpinWait();
                        }
                    }
                    int his = ack[he][i % 3].load();
                    if ((my != i && my != i - 1) || (his != i && his != i - 1)) {
                        failure.compareAndSet(null, "invalid values: " + i + ": " + my + "/" + his);
                    }
                    if (my != i && his != i) {
                        failure.compareAndSet(null, "store/load are not sequentially consistent: " + i + ": " + my + "/" + his);
                    }
                    ack[me][(i - 1) % 3].store(-1);
                }
            });
        }
        ts[0].join();
        ts[1].join();
        assertThat(failure.get()).isNull();
    }
}
