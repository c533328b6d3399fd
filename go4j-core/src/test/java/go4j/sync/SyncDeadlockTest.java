package go4j.sync;

import go4j.FatalError;
import go4j.Go;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Go's checkdead with sync primitives (runtime/testdata/testprog/deadlock.go style programs). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SyncDeadlockTest {
    private static final String MSG = "all goroutines are asleep - deadlock!";

    @Test
    void waitGroupNeverDone() {
        assertThatThrownBy(() -> Go.run(() -> {
            WaitGroup wg = new WaitGroup();
            wg.add(2);
            Go.go(wg::done);
            wg.await();
        })).isInstanceOf(FatalError.class).hasMessage(MSG);
    }

    @Test
    void mutexLockedTwice() {
        assertThatThrownBy(() -> Go.run(() -> {
            Mutex mu = new Mutex();
            mu.lock();
            mu.lock();
        })).isInstanceOf(FatalError.class).hasMessage(MSG);
    }

    @Test
    void rwMutexWriterBehindReaderThatWaitsForIt() {
        assertThatThrownBy(() -> Go.run(() -> {
            RWMutex rw = new RWMutex();
            rw.rLock();
            rw.lock(); // waits for the reader, which is this goroutine
        })).isInstanceOf(FatalError.class).hasMessage(MSG);
    }

    @Test
    void condWaitWithNoSignaller() {
        assertThatThrownBy(() -> Go.run(() -> {
            Mutex mu = new Mutex();
            Cond c = new Cond(mu);
            mu.lock();
            c.await();
        })).isInstanceOf(FatalError.class).hasMessage(MSG);
    }

    @Test
    void mutexHandedOverIsNotADeadlock() {
        Go.run(() -> {
            Mutex mu = new Mutex();
            WaitGroup wg = new WaitGroup();
            for (int i = 0; i < 8; i++) {
                wg.add(1);
                Go.go(() -> {
                    for (int k = 0; k < 10_000; k++) {
                        mu.lock();
                        mu.unlock();
                    }
                    wg.done();
                });
            }
            wg.await();
        });
    }
}
