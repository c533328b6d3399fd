package go4j.internal.sched;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local run queue of a P in isolation: runnext replacement, ring order, overflow to the global queue, steal.
 * Ports the behaviours of Go's {@code TestSchedLocalQueue}, {@code TestSchedLocalQueueSteal} and
 * {@code TestSchedLocalQueueEmptyRace} (runtime/proc_test.go, export_test.go's RunSchedLocalQueueTest).
 */
class RunQueueTest {

    /** A named task, so that the tests can see which one came out. */
    record T(int id) implements Runnable {
        @Override
        public void run() {}
    }

    /** Collects what a full ring sends to the global queue. */
    static final class Global implements P.Overflow {
        final List<Runnable> got = new ArrayList<>();

        @Override
        public void putBatch(Runnable[] batch) {
            got.addAll(List.of(batch));
        }
    }

    @Test
    void runnextIsReplacedAndTheOldOccupantMovesToTheTail() {
        P p = new P(0);
        Global g = new Global();
        assertThat(p.put(new T(1), false, g)).isTrue();
        assertThat(p.put(new T(2), true, g)).as("only runnext filled").isFalse();
        assertThat(p.put(new T(3), true, g)).as("2 displaced to the ring").isTrue();
        assertThat(p.size()).isEqualTo(3);
        assertThat(p.get()).isEqualTo(new T(3));
        assertThat(p.get()).isEqualTo(new T(1));
        assertThat(p.get()).isEqualTo(new T(2));
        assertThat(p.get()).isNull();
        assertThat(p.isEmpty()).isTrue();
        assertThat(g.got).isEmpty();
    }

    @Test
    void ringIsFifoAcrossWrapAround() {
        // Go's TestSchedLocalQueue: put/get many times over the ring's capacity.
        P p = new P(0);
        Global g = new Global();
        int next = 0;
        int expect = 0;
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 200; i++) {
                p.put(new T(next++), false, g);
            }
            for (int i = 0; i < 200; i++) {
                assertThat(p.get()).isEqualTo(new T(expect++));
            }
            assertThat(p.get()).isNull();
        }
        assertThat(g.got).isEmpty();
    }

    @Test
    void fullRingMovesHalfOfItselfAndTheNewTaskToTheGlobalQueue() {
        P p = new P(0);
        Global g = new Global();
        for (int i = 0; i < P.RUNQ_SIZE; i++) {
            p.put(new T(i), false, g);
        }
        assertThat(g.got).isEmpty();
        p.put(new T(1000), false, g);
        assertThat(g.got).hasSize(P.RUNQ_SIZE / 2 + 1);
        assertThat(g.got.get(0)).isEqualTo(new T(0));
        assertThat(g.got.get(P.RUNQ_SIZE / 2 - 1)).isEqualTo(new T(P.RUNQ_SIZE / 2 - 1));
        assertThat(g.got.get(P.RUNQ_SIZE / 2)).isEqualTo(new T(1000));
        assertThat(p.size()).isEqualTo(P.RUNQ_SIZE / 2);
        assertThat(p.get()).isEqualTo(new T(P.RUNQ_SIZE / 2));
    }

    @Test
    void stealTakesTheOlderHalfAndRunnextOnlyWhenAsked() {
        // Go's TestSchedLocalQueueSteal: every task is taken exactly once by the owner or the thief.
        P victim = new P(0);
        P thief = new P(1);
        Global g = new Global();
        for (int i = 0; i < 10; i++) {
            victim.put(new T(i), false, g);
        }
        victim.put(new T(99), true, g);
        Runnable first = thief.steal(victim, false);
        assertThat(first).isEqualTo(new T(4)); // five stolen (0..4), the last returned, four queued at the thief
        assertThat(thief.size()).isEqualTo(4);
        assertThat(thief.get()).isEqualTo(new T(0));
        assertThat(victim.size()).isEqualTo(6);
        // empty the victim's ring; runnext stays until a thief asks for it
        for (int i = 5; i < 10; i++) {
            assertThat(victim.getFromRing()).isEqualTo(new T(i));
        }
        assertThat(thief.steal(victim, false)).isNull();
        assertThat(thief.steal(victim, true)).isEqualTo(new T(99));
        assertThat(victim.isEmpty()).isTrue();
    }

    @Test
    void concurrentOwnerAndThievesTakeEveryTaskExactlyOnce() throws Exception {
        // Go's TestSchedLocalQueueSteal / EmptyRace, with real threads.
        P victim = new P(0);
        Global g = new Global();
        int rounds = 2000;
        int[] seen = new int[rounds * 8];
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> thieves = new ArrayList<>();
        java.util.concurrent.atomic.AtomicIntegerArray taken = new java.util.concurrent.atomic.AtomicIntegerArray(
                seen.length);
        for (int k = 0; k < 2; k++) {
            P thief = new P(1 + k);
            Thread t = new Thread(() -> {
                while (!stop.get()) {
                    Runnable r = thief.steal(victim, true);
                    if (r != null) {
                        taken.incrementAndGet(((T) r).id());
                        Runnable q;
                        while ((q = thief.get()) != null) {
                            taken.incrementAndGet(((T) q).id());
                        }
                    }
                }
            });
            t.start();
            thieves.add(t);
        }
        int id = 0;
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < 7; i++) {
                victim.put(new T(id++), i == 6, g);
            }
            Runnable q;
            while ((q = victim.get()) != null) {
                taken.incrementAndGet(((T) q).id());
            }
        }
        while (!victim.isEmpty()) {
            Thread.onSpinWait();
        }
        stop.set(true);
        for (Thread t : thieves) {
            t.join();
        }
        for (Runnable r : g.got) {
            taken.incrementAndGet(((T) r).id());
        }
        for (int i = 0; i < id; i++) {
            assertThat(taken.get(i)).as("task %d", i).isEqualTo(1);
        }
    }
}
