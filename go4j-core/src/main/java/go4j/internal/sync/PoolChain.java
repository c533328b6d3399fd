package go4j.internal.sync;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The shared part of one {@code sync.Pool} shard: Go's {@code poolChain}, a list of ring buffers that double in
 * size (up to {@link #MAX_RING}) as they fill up. Puts go to the newest ring ({@link #head}); gets and steals take
 * from the oldest non-empty one ({@link #tail}), dropping exhausted rings.
 *
 * <p>Go's chain is single-producer (the owning P, pinned) multi-consumer. A go4j shard is picked by carrier thread
 * and carriers may share a shard, so each ring is a lock-free multi-producer multi-consumer bounded queue (Vyukov's
 * sequence-numbered ring): a slot's sequence number says whether it is free for the put of ticket {@code pos}
 * ({@code seq == pos}) or holds the value of ticket {@code pos} ({@code seq == pos + 1}); producers and consumers
 * claim tickets by CAS on {@link Ring#putPos}/{@link Ring#takePos}, then publish the slot with a release store of
 * its sequence.
 *
 * <p>A pool may drop any item at any time, so two benign races are accepted rather than prevented: a put that
 * lands in a ring just unlinked by a consumer, and a get that reports "empty" while a producer is between its
 * ticket CAS and its publish. Neither can return an item twice or return a non-item.
 */
public final class PoolChain {
    private static final int FIRST_RING = 8;
    private static final int MAX_RING = 1 << 13;
    private static final VarHandle HEAD;
    private static final VarHandle TAIL;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            HEAD = l.findVarHandle(PoolChain.class, "head", Ring.class);
            TAIL = l.findVarHandle(PoolChain.class, "tail", Ring.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The ring puts go to (newest). */
    @SuppressWarnings("unused")
    private volatile Ring head;
    /** The ring gets take from (oldest still linked). */
    @SuppressWarnings("unused")
    private volatile Ring tail;

    public PoolChain() {
        Ring r = new Ring(FIRST_RING);
        HEAD.setRelease(this, r);
        TAIL.setRelease(this, r);
    }

    /** Adds x (non-null). */
    public void push(Object x) {
        while (true) {
            Ring r = (Ring) HEAD.getAcquire(this);
            if (r.offer(x)) {
                return;
            }
            // Full: link a bigger ring (or find the one another producer linked) and move head to it.
            Ring next = r.next();
            if (next == null) {
                Ring created = new Ring(Math.min(r.capacity() * 2, MAX_RING));
                next = r.casNext(created) ? created : r.next();
            }
            HEAD.compareAndSet(this, r, next);
        }
    }

    /** Removes and returns an item, or null if the chain looks empty. */
    public Object pop() {
        while (true) {
            Ring r = (Ring) TAIL.getAcquire(this);
            Object x = r.poll();
            if (x != null) {
                return x;
            }
            Ring next = r.next();
            if (next == null) {
                return null;
            }
            // r is exhausted and a newer ring exists: puts no longer target r, drop it.
            TAIL.compareAndSet(this, r, next);
        }
    }

    /** One bounded MPMC ring (Vyukov). */
    static final class Ring {
        private static final VarHandle SEQ = MethodHandles.arrayElementVarHandle(long[].class);
        private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
        private static final VarHandle PUT;
        private static final VarHandle TAKE;
        private static final VarHandle NEXT;

        static {
            try {
                MethodHandles.Lookup l = MethodHandles.lookup();
                PUT = l.findVarHandle(Ring.class, "putPos", long.class);
                TAKE = l.findVarHandle(Ring.class, "takePos", long.class);
                NEXT = l.findVarHandle(Ring.class, "next", Ring.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final Object[] slots;
        /** seq[i]: pos when free for the put of ticket pos, pos+1 when holding the value of ticket pos. */
        private final long[] seq;
        private final int mask;
        @SuppressWarnings("unused")
        private volatile long putPos;
        @SuppressWarnings("unused")
        private volatile long takePos;
        @SuppressWarnings("unused")
        private volatile Ring next;

        Ring(int capacity) {
            slots = new Object[capacity];
            seq = new long[capacity];
            mask = capacity - 1;
            for (int i = 0; i < capacity; i++) {
                seq[i] = i;
            }
            VarHandle.releaseFence(); // publish the initial sequence numbers with the ring
        }

        int capacity() {
            return mask + 1;
        }

        Ring next() {
            return (Ring) NEXT.getAcquire(this);
        }

        boolean casNext(Ring n) {
            return NEXT.compareAndSet(this, null, n);
        }

        boolean offer(Object x) {
            long pos = (long) PUT.getVolatile(this);
            while (true) {
                int i = (int) pos & mask;
                long s = (long) SEQ.getAcquire(seq, i);
                long dif = s - pos;
                if (dif == 0) {
                    if (PUT.compareAndSet(this, pos, pos + 1)) {
                        SLOT.set(slots, i, x);
                        SEQ.setRelease(seq, i, pos + 1); // publishes the slot write
                        return true;
                    }
                    pos = (long) PUT.getVolatile(this);
                } else if (dif < 0) {
                    return false; // full
                } else {
                    pos = (long) PUT.getVolatile(this);
                }
            }
        }

        Object poll() {
            long pos = (long) TAKE.getVolatile(this);
            while (true) {
                int i = (int) pos & mask;
                long s = (long) SEQ.getAcquire(seq, i);
                long dif = s - (pos + 1);
                if (dif == 0) {
                    if (TAKE.compareAndSet(this, pos, pos + 1)) {
                        Object x = SLOT.get(slots, i);
                        SLOT.set(slots, i, null);
                        SEQ.setRelease(seq, i, pos + mask + 1); // free for the put one lap later
                        return x;
                    }
                    pos = (long) TAKE.getVolatile(this);
                } else if (dif < 0) {
                    return null; // empty (or a put not yet published)
                } else {
                    pos = (long) TAKE.getVolatile(this);
                }
            }
        }
    }
}
