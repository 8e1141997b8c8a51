package dev.spoa.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One SPOP connection of the generator after its HELLO: an input array the agent's frames are
 * read into and scanned in place, an output array every NOTIFY of a turn is written into (then one
 * socket write), and {@code inFlight} slots, one per NOTIFY that may be waiting for its ACK.
 *
 * <p>ACKs find their NOTIFY without a map: the frame in slot {@code s} carries stream-id
 * {@code n * inFlight + s}, {@code n} counting the slot's uses, so {@code streamId % inFlight} is
 * its slot, and the slot remembers the stream-id it waits for and when its frame was (or should
 * have been) sent. Used by one thread.
 */
final class Connection {
    static final long NOT_WAITING = -1;
    private static final int INPUT_SIZE = 64 * 1024;

    final int number;
    final SocketChannel channel;
    final int inFlight;
    final int maxFrameSize;
    SelectionKey key;
    /** Open loop: when this connection's next NOTIFY is due (System.nanoTime). */
    long nextDue;

    final byte[] in;
    private final ByteBuffer inBuffer;
    /** Unscanned input: {@code in[0, inEnd)}. */
    int inEnd;

    private final byte[] out;
    private final ByteBuffer outBuffer;
    /** Not yet written: {@code out[outStart, outEnd)}. */
    private int outStart;
    private int outEnd;
    private boolean wantsWrite;

    private final long[] streamIdOfSlot;
    private final long[] sentAtOfSlot;
    private final long[] usesOfSlot;
    private final int[] freeSlots;
    private int freeCount;

    Connection(int number, SocketChannel channel, int inFlight, int maxFrameSize) {
        this.number = number;
        this.channel = channel;
        this.inFlight = inFlight;
        this.maxFrameSize = maxFrameSize;
        // Room for a whole frame of the largest size the agent may send, beyond a full read.
        this.in = new byte[INPUT_SIZE + 4 + maxFrameSize];
        this.inBuffer = ByteBuffer.wrap(in);
        // Unwritten bytes never exceed one frame per slot: a slot is only reused once the agent
        // has answered, so has read, its previous frame.
        this.out = new byte[(inFlight + 1) * NotifyFrames.MAX_SIZE];
        this.outBuffer = ByteBuffer.wrap(out);
        this.streamIdOfSlot = new long[inFlight];
        this.sentAtOfSlot = new long[inFlight];
        this.usesOfSlot = new long[inFlight];
        this.freeSlots = new int[inFlight];
        for (int slot = 0; slot < inFlight; slot++) {
            streamIdOfSlot[slot] = NOT_WAITING;
            freeSlots[freeCount++] = inFlight - 1 - slot;
        }
    }

    boolean hasFreeSlot() {
        return freeCount > 0;
    }

    int waiting() {
        return inFlight - freeCount;
    }

    /** Writes a NOTIFY into the output array (sent by the next {@link #flush}), in a free slot. */
    void queueNotify(long sentAt, int address) {
        int slot = freeSlots[--freeCount];
        long streamId = usesOfSlot[slot]++ * inFlight + slot;
        streamIdOfSlot[slot] = streamId;
        sentAtOfSlot[slot] = sentAt;
        if (out.length - outEnd < NotifyFrames.MAX_SIZE) {
            compactOutput();
        }
        outEnd = NotifyFrames.write(out, outEnd, streamId, address);
    }

    /**
     * The ACK of this stream-id arrived: frees its slot and returns when its NOTIFY was sent, or
     * {@link #NOT_WAITING} if no NOTIFY of this connection waits for that stream-id.
     */
    long answered(long streamId) {
        if (streamId < 0) {
            return NOT_WAITING;
        }
        int slot = (int) (streamId % inFlight);
        if (streamIdOfSlot[slot] != streamId) {
            return NOT_WAITING;
        }
        streamIdOfSlot[slot] = NOT_WAITING;
        freeSlots[freeCount++] = slot;
        return sentAtOfSlot[slot];
    }

    /** Reads what the socket holds into the input array: bytes read, -1 at end of stream. */
    int read() throws IOException {
        inBuffer.limit(in.length).position(inEnd);
        int read = channel.read(inBuffer);
        if (read > 0) {
            inEnd += read;
        }
        return read;
    }

    /** The frames before {@code scanned} are done with; a partial frame after them moves to the front. */
    void consumed(int scanned) {
        if (scanned == inEnd) {
            inEnd = 0;
        } else if (scanned > 0) {
            System.arraycopy(in, scanned, in, 0, inEnd - scanned);
            inEnd -= scanned;
        }
    }

    boolean hasOutput() {
        return outEnd > outStart;
    }

    /** One write of everything queued; what the socket cannot take now waits for OP_WRITE. */
    void flush() throws IOException {
        outBuffer.limit(outEnd).position(outStart);
        channel.write(outBuffer);
        outStart = outBuffer.position();
        if (outStart == outEnd) {
            outStart = 0;
            outEnd = 0;
            if (wantsWrite) {
                wantsWrite = false;
                key.interestOps(SelectionKey.OP_READ);
            }
        } else if (!wantsWrite) {
            wantsWrite = true;
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
    }

    private void compactOutput() {
        System.arraycopy(out, outStart, out, 0, outEnd - outStart);
        outEnd -= outStart;
        outStart = 0;
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // the run is over; nothing depends on a clean close
        }
    }
}
