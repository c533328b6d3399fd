package go4j;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static go4j.Select.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChanBasicsTest {

    @Test
    void unbufferedPingPong() {
        Chan<Integer> ping = Chan.make();
        Chan<Integer> pong = Chan.make();
        Go.run(() -> {
            Go.go(() -> {
                for (Integer v : ping) {
                    pong.send(v + 1);
                }
                pong.close();
            });
            for (int i = 0; i < 10_000; i++) {
                ping.send(i);
                assertThat(pong.recv()).isEqualTo(i + 1);
            }
            ping.close();
            assertThat(pong.recvOk()).isEqualTo(Received.closed());
        });
    }

    @Test
    void bufferedKeepsFifoAndDrainsAfterClose() {
        Chan<String> c = Chan.make(3);
        c.send("a");
        c.send(null);
        c.send("c");
        assertThat(c.len()).isEqualTo(3);
        assertThat(c.cap()).isEqualTo(3);
        assertThat(c.trySend("d")).isFalse();
        c.close();
        List<String> got = new ArrayList<>();
        for (String s : c) {
            got.add(s);
        }
        assertThat(got).containsExactly("a", null, "c");
        assertThat(c.recvOk()).isEqualTo(Received.closed());
        assertThat(c.tryRecv()).isEqualTo(Received.closed());
    }

    @Test
    void misusePanicsWithGoMessages() {
        assertThatThrownBy(() -> Chan.make(-1)).isInstanceOf(RuntimeError.class).hasMessage("makechan: size out of range");
        assertThatThrownBy(() -> Chan.nil().close()).isInstanceOf(RuntimeError.class).hasMessage("close of nil channel");
        Chan<Integer> c = Chan.make(1);
        c.close();
        assertThatThrownBy(c::close).isInstanceOf(RuntimeError.class).hasMessage("close of closed channel");
        assertThatThrownBy(() -> c.send(1)).isInstanceOf(RuntimeError.class).hasMessage("send on closed channel");
        assertThatThrownBy(() -> c.trySend(1)).isInstanceOf(RuntimeError.class).hasMessage("send on closed channel");
    }

    @Test
    void selectPicksReadyCaseAndDefault() {
        Chan<Integer> a = Chan.make(1);
        Chan<Integer> b = Chan.make(1);
        int[] got = new int[1];
        assertThat(select(recv(a), recv(b), defaultCase())).isEqualTo(2);
        b.send(7);
        assertThat(select(recv(a), recv(b, v -> got[0] = v), defaultCase())).isEqualTo(1);
        assertThat(got[0]).isEqualTo(7);
    }

    @Test
    void blockedSenderPanicsOnClose() {
        Chan<Integer> c = Chan.make();
        assertThatThrownBy(() -> Go.run(() -> {
            Chan<Boolean> started = Chan.make();
            Go.go(() -> {
                started.send(true);
                c.send(1);
            });
            started.recv();
            while (c.sendq.isEmptyAcquire()) {
                Go.gosched();
            }
            c.close();
            Chan.<Integer>nil().recv(); // block main until the panic ends the program
        })).isInstanceOf(Panic.class).hasMessage("send on closed channel")
                .satisfies(p -> assertThat(((Panic) p).goroutine()).isEqualTo(2));
    }
}
