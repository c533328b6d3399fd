package go4j;

import go4j.internal.Program;
import go4j.internal.TimerChans;

/**
 * The memory layout of {@link Chan}: its immutable fields first (next to the object header), then a cache line of
 * padding, then (in {@code Chan} itself) the fields written by every operation. A select reads the immutable
 * fields of each of its channels before it locks them (nil check, lock order); without the padding they shared a
 * cache line with the lock word, so every select first fetched a line that another core held modified (the
 * senders' lock and buffer writes), then fetched it again exclusively to take the lock. With it, the header line
 * stays shared in every core's cache and only the lock line moves.
 *
 * <p>Superclass fields come first in a HotSpot object and subclass fields never go before them; the padding is
 * bytes so no subclass field can fill a gap inside it (JCTools' layout).
 */
abstract class ChanHeader {
    /** Lock order for select (Go sorts by address). Unique per channel. */
    final long seq;
    final boolean isNil;
    /** Ring buffer; its slots are guarded by the channel lock. Length is the capacity. */
    final Object[] buf;
    final int dataqsiz;
    /**
     * Non-null for a timer channel (Go 1.23's synchronous timer channels, Go's {@code c.timer}): internally one
     * slot that only the timer fills, but {@link Chan#len()} and {@link Chan#cap()} report 0 and
     * {@code Timer.stop/reset} drain the slot, so to its users it behaves as an unbuffered channel whose sender is
     * the timer. Receives call its {@code maybeRunChan} first and bracket their parking with
     * {@code blockTimerChan}/{@code unblockTimerChan} (never under the channel's lock).
     */
    final TimerChans.ChanTimer timer;
    /**
     * The program whose goroutine made this channel (null when made outside any run): a goroutine blocked on a
     * channel of another program may be woken by threads its run cannot see, so deadlock detection does not count
     * it as asleep (see {@code go4j.internal.Liveness}).
     */
    final Program home;
    /** Blocked receivers and senders; guarded by the channel lock (their ends are in {@link Chan}, see WaitQ). */
    final WaitQ recvq = new WaitQ(this, true);
    final WaitQ sendq = new WaitQ(this, false);
    /**
     * {@code Select.recv(this)}'s case, made on first use and shared afterwards (a case without a body is
     * immutable): a select over bare receive cases allocates only its varargs array. A benign race: two threads
     * may each make one; final fields make either safe to share. Written once, so this line stays shared.
     */
    Select.Case recvCase;

    ChanHeader(long seq, boolean isNil, int size, TimerChans.ChanTimer timer, Program home) {
        this.seq = seq;
        this.isNil = isNil;
        this.dataqsiz = size;
        this.buf = size == 0 ? null : new Object[size];
        this.timer = timer;
        this.home = home;
    }
}

/** One cache line between {@link ChanHeader}'s fields and {@link Chan}'s mutable ones (see {@link ChanHeader}). */
abstract class ChanPad extends ChanHeader {
    @SuppressWarnings("unused")
    private byte p00, p01, p02, p03, p04, p05, p06, p07, p08, p09, p0a, p0b, p0c, p0d, p0e, p0f;
    @SuppressWarnings("unused")
    private byte p10, p11, p12, p13, p14, p15, p16, p17, p18, p19, p1a, p1b, p1c, p1d, p1e, p1f;
    @SuppressWarnings("unused")
    private byte p20, p21, p22, p23, p24, p25, p26, p27, p28, p29, p2a, p2b, p2c, p2d, p2e, p2f;
    @SuppressWarnings("unused")
    private byte p30, p31, p32, p33, p34, p35, p36, p37, p38, p39, p3a, p3b, p3c, p3d, p3e, p3f;

    ChanPad(long seq, boolean isNil, int size, TimerChans.ChanTimer timer, Program home) {
        super(seq, isNil, size, timer, home);
    }
}
