package dev.spoa.supervisor.front;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.AgentDisconnect;
import dev.spoa.protocol.AgentHello;
import dev.spoa.protocol.Frame;
import dev.spoa.protocol.FrameDecoder;
import dev.spoa.protocol.FrameHeader;
import dev.spoa.protocol.FrameTooBigException;
import dev.spoa.protocol.HaproxyDisconnect;
import dev.spoa.protocol.HaproxyHello;
import dev.spoa.protocol.Handshake;
import dev.spoa.protocol.SpopException;
import dev.spoa.protocol.Status;
import dev.spoa.protocol.WireWriter;
import dev.spoa.supervisor.dispatch.AckSink;
import dev.spoa.supervisor.dispatch.Dispatcher;
import dev.spoa.supervisor.metrics.DisconnectSide;
import dev.spoa.supervisor.metrics.ErrorReason;
import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import org.tinylog.Logger;

/**
 * One SPOP connection from HAProxy: HAPROXY-HELLO, then NOTIFYs (many in flight, ACKs in any order),
 * then HAPROXY-DISCONNECT or a plain close. One method per frame type. Everything runs on the
 * front's thread, {@link #deliver} included: ACKs are encoded into the output buffer as results
 * come, and written once per turn of the front's loop.
 *
 * <p>No state is kept per stream: HAProxy 2.6 spreads the events of one stream over several
 * connections, and an ACK only needs the stream-id and frame-id of its NOTIFY.
 */
final class Connection implements AckSink {
    /** Buffers start small and grow with what a connection needs: thousands of idle connections must stay cheap. */
    private static final int INITIAL_BUFFER = 4 * 1024;
    /** Until the HELLO is answered, a frame can only be a HELLO or a DISCONNECT: a few hundred bytes. */
    private static final int HELLO_MAX_FRAME_SIZE = 16 * 1024;
    /** Stop reading NOTIFYs while this much of our output waits for the peer to read it. */
    private static final int OUTPUT_HIGH_WATER = 1024 * 1024;
    /** Room for the frame header around an ACK's actions: length, type, flags and two 10-byte varints. */
    private static final int ACK_OVERHEAD = 4 + 1 + 4 + 10 + 10;
    /** A HELLO answer or a DISCONNECT (its message is at most 255 bytes). */
    private static final int SMALL_FRAME = 512;
    /** The drain's read budget when the socket will not tell its receive buffer size: Linux's usual net.core.rmem_default. */
    private static final int DEFAULT_RECEIVE_BUFFER = 212_992;

    private final long id;
    private final SocketChannel channel;
    private final Front front;
    private final Dispatcher dispatcher;
    private final int configuredMaxFrameSize;
    private final int maxInFlight;
    private final byte[] tooBigActions;
    private final FrameDecoder decoder;
    /** ACKs were added to the output since the front last flushed it. */
    private boolean scheduled;
    private SelectionKey key;

    private byte[] in = new byte[INITIAL_BUFFER];
    private int inStart;
    private int inEnd;
    private byte[] out = new byte[INITIAL_BUFFER];
    private int outStart;
    /**
     * The socket's reads and writes go through these, set to the range at hand each time, rather
     * than through a ByteBuffer.wrap per call: a read and a write per request at low rates, which
     * was a fifth of the front's garbage. Each is rewrapped where its array is replaced by a larger
     * one (makeRoomToRead, makeRoomToWrite).
     */
    private ByteBuffer inView = ByteBuffer.wrap(in);
    private ByteBuffer outView = ByteBuffer.wrap(out);
    private final WireWriter writer = new WireWriter(out);

    private int maxFrameSize;
    private int inFlight;
    private long received;
    private boolean closeWhenFlushed;
    private boolean draining;
    /** Draining: the socket is read only while {@link #received} stays below this (see {@link #startDraining}). */
    private long readLimit = Long.MAX_VALUE;
    private long receivedWhenDrainingStarted;
    /** Draining: the socket is read no more; what it still holds came after the signal. */
    private boolean doneReading;
    /** Every whole frame read so far has been handled: the input buffer holds at most the start of one. */
    private boolean caughtUp = true;
    /** Draining: our goodbye is out and our side shut; what the peer still sends is read and dropped until it closes. */
    private boolean lingering;
    private volatile boolean open = true;

    Connection(long id, SocketChannel channel, Front front, Dispatcher dispatcher, int configuredMaxFrameSize, int maxInFlight,
            byte[] tooBigActions) {
        this.id = id;
        this.channel = channel;
        this.front = front;
        this.dispatcher = dispatcher;
        this.configuredMaxFrameSize = configuredMaxFrameSize;
        this.maxInFlight = maxInFlight;
        this.tooBigActions = tooBigActions;
        this.decoder = FrameDecoder.forAgent(Math.min(configuredMaxFrameSize, HELLO_MAX_FRAME_SIZE));
        this.maxFrameSize = configuredMaxFrameSize;
    }

    void register(SelectionKey key) {
        this.key = key;
    }

    /** An ACK, encoded now and written at the end of the front's turn with the others. */
    @Override
    public void deliver(long streamId, long frameId, byte[] actions, int offset, int length) {
        inFlight--;
        if (!open || closeWhenFlushed) {
            return; // nothing may follow an AGENT-DISCONNECT
        }
        try {
            writeAck(streamId, frameId, actions, offset, length);
        } catch (RuntimeException e) {
            // Called from the dispatcher's loops: one connection's trouble must not end the front's.
            Logger.error(e, "connection {}: unexpected failure; closing it", id);
            close();
            return;
        }
        if (!scheduled) {
            scheduled = true;
            front.schedule(this);
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    // ---- the front's thread ----

    void onReadable() {
        if (lingering) {
            discardInput();
            return;
        }
        if (draining) {
            readFrames(); // reads the socket itself, within the drain's budget
            return;
        }
        try {
            int read = channel.read(range(inView, inEnd, in.length - inEnd));
            if (read < 0) {
                onEndOfStream();
                return;
            }
            received += read;
            inEnd += read;
            readFrames();
        } catch (IOException e) {
            Logger.debug("connection {}: {}", id, e.getMessage());
            close();
        }
    }

    void onWritable() {
        flush();
        readFrames(); // frames held back while output piled up; also sets the interest ops again
    }

    /** Writes the ACKs that came in, all in one write, and reads on if the in-flight cap held reading back. */
    void writeAcks() {
        scheduled = false;
        if (open) {
            flush();
            readFrames();
        }
    }

    /**
     * Handles the frames received, as many as the in-flight cap and the output high-water allow;
     * while draining, also reads the socket (see {@link #startDraining}).
     */
    private void readFrames() {
        if (!open) {
            return;
        }
        handleFrames();
        if (draining) {
            readWhileDraining();
        }
        flush(); // HELLO answers and goodbyes of this batch, in one write
        updateInterest();
    }

    /** Whether another frame may be handled (or, draining, the socket read) now: what pauses reading in normal operation. */
    private boolean mayRead() {
        return open && !closeWhenFlushed && inFlight < maxInFlight && pendingOutput() < OUTPUT_HIGH_WATER;
    }

    private void handleFrames() {
        caughtUp = false;
        try {
            while (mayRead()) {
                FrameHeader header = decoder.next(in, inStart, inEnd - inStart);
                if (header == null) {
                    caughtUp = true;
                    break;
                }
                switch (header.type()) {
                    case HAPROXY_HELLO:
                        onHello(header);
                        break;
                    case NOTIFY:
                        onNotify(header);
                        break;
                    case HAPROXY_DISCONNECT:
                        onDisconnect(header);
                        break;
                    default:
                        Logger.debug("connection {}: frame of unknown type {} skipped", id, header.typeCode());
                }
                inStart = header.end();
            }
            makeRoomToRead();
        } catch (SpopException e) {
            onMalformed(e);
        }
    }

    /**
     * Draining: reads the socket until a read returns nothing or the budget is spent, handling the
     * frames as they come; paused, like normal reading, while the in-flight cap or the output
     * high-water holds, and taken up again by {@link #readFrames} as answers go out. It reads by
     * itself rather than waiting for the selector, since only a read that returns nothing tells
     * that the socket is empty.
     */
    private void readWhileDraining() {
        while (!doneReading && caughtUp && mayRead()) {
            // Room is never 0 here but when the budget is spent: once caught up, makeRoomToRead
            // has left room for the rest of the frame begun.
            int room = (int) Math.min(in.length - inEnd, readLimit - received);
            int read;
            try {
                read = room == 0 ? 0 : channel.read(range(inView, inEnd, room));
            } catch (IOException e) {
                Logger.debug("connection {}: {}", id, e.getMessage());
                close();
                return;
            }
            if (read < 0) {
                onEndOfStream();
                return;
            }
            if (read == 0) {
                doneReading = true;
                Logger.debug("connection {}: draining read {} bytes more{}", id, received - receivedWhenDrainingStarted,
                        room == 0 ? ", its whole budget" : ", all there was");
                break;
            }
            received += read;
            inEnd += read;
            handleFrames();
        }
    }

    private void onHello(FrameHeader header) throws SpopException {
        HaproxyHello hello = (HaproxyHello) decoder.decode(header, in);
        AgentHello answer = Handshake.answer(hello, configuredMaxFrameSize);
        maxFrameSize = (int) answer.maxFrameSize();
        decoder.useMaxFrameSize(maxFrameSize);
        write(answer);
        if (hello.healthcheck()) {
            // Answer and close: HAProxy 3.x reads the check's answer to the end of its buffer, so nothing may follow.
            Logger.debug("connection {}: health check answered", id);
            closeWhenFlushed = true;
        } else {
            Logger.debug("connection {}: HELLO from engine {}, versions \"{}\", capabilities \"{}\", max-frame-size {} (answered {})",
                    id, hello.engineId(), hello.supportedVersions(), hello.capabilities(), hello.maxFrameSize(), maxFrameSize);
        }
    }

    private void onNotify(FrameHeader header) throws SpopException {
        decoder.validateNotify(header, in);
        if (header.aborted()) {
            Logger.debug("connection {}: stream {} frame {}: aborted by HAProxy", id, header.streamId(), header.frameId());
            return;
        }
        inFlight++;
        dispatcher.submit(this, header.streamId(), header.frameId(), in, header.payloadOffset(), header.payloadLength(),
                Ack.maxPayload(header.streamId(), header.frameId(), maxFrameSize));
    }

    private void onDisconnect(FrameHeader header) throws SpopException {
        HaproxyDisconnect disconnect = (HaproxyDisconnect) decoder.decode(header, in);
        dispatcher.metrics().front().disconnected(DisconnectSide.HAPROXY, disconnect.statusCode());
        if (disconnect.statusCode() == Status.NORMAL.code()) {
            Logger.debug("connection {}: HAProxy disconnects", id);
        } else {
            Logger.info("connection {}: HAProxy disconnects with status {}: {}", id, disconnect.statusCode(), disconnect.message());
        }
        disconnect(Status.NORMAL);
    }

    private void onMalformed(SpopException e) {
        Logger.warn("connection {}: status {} ({}): {}", id, e.status().code(), e.status().reason(), e.getMessage());
        disconnect(e.status());
    }

    private void onEndOfStream() {
        if (received == 0) {
            Logger.debug("connection {}: closed without a byte (a probe or a TCP check)", id);
        } else if (inStart < inEnd) {
            Logger.debug("connection {}: closed by the peer in the middle of a frame", id);
        } else {
            Logger.debug("connection {}: closed by the peer", id);
        }
        close();
    }

    /** NOTIFYs read and not yet answered on this connection. */
    int inFlight() {
        return inFlight;
    }

    /**
     * Shutdown: from now on the socket is read only for what HAProxy sent before the signal; every
     * NOTIFY read is still answered, and once all are, {@link #drained} says so and the front sends
     * AGENT-DISCONNECT.
     *
     * <p>What HAProxy wrote before the signal is in this socket's receive buffer (or already read),
     * so it is read on until a read returns nothing. HAProxy keeps sending meanwhile, and a peer that
     * streams faster than we read would keep that going forever; so no more is read than the
     * receive buffer's size (SO_RCVBUF, taken now) beyond what was received before: all that the
     * buffer can have held at the signal. A frame that does not end within that budget is not
     * handled: it was sent after the signal, and HAProxy learns from the AGENT-DISCONNECT that it
     * will not be answered. NOTIFYs received within the budget after the signal are answered like
     * the rest: the workers are still there, and an answer serves HAProxy better than an error.
     * Reading pauses on the in-flight cap and the output high-water exactly as in normal operation
     * and takes up again as answers go out; the front's drain timeout bounds the whole.
     *
     * <p>The budget's limits: on a Unix socket the sender's send buffer bounds what is queued, by
     * default the same size; and bytes HAProxy's kernel still held because our receive window was
     * shut may fall outside it. With the in-flight cap (64 by default) above HAProxy's
     * max-waiting-frames (20 by default), reading never pauses long enough for that.
     */
    void startDraining() {
        draining = true;
        receivedWhenDrainingStarted = received;
        readLimit = received + receiveBufferSize();
        readFrames();
    }

    /** Draining: nothing left to read or to answer (or the connection is closing anyway). */
    boolean drained() {
        return !open || closeWhenFlushed || (doneReading && caughtUp && inFlight == 0);
    }

    private int receiveBufferSize() {
        try {
            return channel.getOption(StandardSocketOptions.SO_RCVBUF);
        } catch (IOException | UnsupportedOperationException e) {
            Logger.debug("connection {}: no receive buffer size ({}); reading at most {} bytes more", id, e.getMessage(),
                    DEFAULT_RECEIVE_BUFFER);
            return DEFAULT_RECEIVE_BUFFER;
        }
    }

    void disconnect(Status status) {
        if (!closeWhenFlushed) {
            write(AgentDisconnect.of(status));
            dispatcher.metrics().front().disconnected(DisconnectSide.AGENT, status.code());
            closeWhenFlushed = true;
        }
        flush();
        updateInterest();
    }

    private void writeAck(long streamId, long frameId, byte[] actions, int offset, int length) {
        makeRoomToWrite(Math.max(length, tooBigActions.length) + ACK_OVERHEAD);
        try {
            Ack.encode(writer, streamId, frameId, actions, offset, length, maxFrameSize);
        } catch (FrameTooBigException e) {
            // Workers keep their answers within the room they were given; this is the last safety net.
            Logger.warn("connection {}: stream {} frame {}: ACK too big, sending the error variable", id, streamId, frameId);
            dispatcher.metrics().front().failed(ErrorReason.TOO_BIG);
            try {
                Ack.encode(writer, streamId, frameId, tooBigActions, 0, tooBigActions.length, maxFrameSize);
            } catch (FrameTooBigException impossible) {
                throw new IllegalStateException(impossible);
            }
        }
    }

    private void write(Frame frame) {
        makeRoomToWrite(SMALL_FRAME);
        try {
            frame.encode(writer, maxFrameSize);
        } catch (FrameTooBigException e) {
            throw new IllegalStateException("a HELLO or DISCONNECT never exceeds 256 bytes", e);
        }
    }

    private void flush() {
        int end = writer.position();
        if (outStart == end || !open) {
            return;
        }
        try {
            outStart += channel.write(range(outView, outStart, end - outStart));
        } catch (IOException e) {
            Logger.debug("connection {}: {}", id, e.getMessage());
            close();
            return;
        }
        if (outStart == end) {
            outStart = 0;
            writer.reset(out, 0, out.length);
            if (closeWhenFlushed) {
                if (draining) {
                    linger();
                } else {
                    close();
                }
            }
        }
    }

    /**
     * Draining, the goodbye written: a socket closed with unread input is reset, and a reset can
     * destroy the last ACKs and the AGENT-DISCONNECT still on their way. So our side is shut (the
     * FIN follows our last bytes) and what HAProxy still sends is dropped until it closes, which
     * it does on reading the AGENT-DISCONNECT; the front closes whatever is left after a second.
     */
    private void linger() {
        if (lingering) {
            return;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            Logger.debug("connection {}: {}", id, e.getMessage());
            close();
            return;
        }
        lingering = true;
        key.interestOps(SelectionKey.OP_READ);
        discardInput();
    }

    /** One read per readiness: a peer that keeps sending must not hold the front's thread here. */
    private void discardInput() {
        try {
            if (channel.read(range(inView, 0, in.length)) < 0) {
                close();
            }
        } catch (IOException e) {
            Logger.debug("connection {}: {}", id, e.getMessage());
            close();
        }
    }

    private int pendingOutput() {
        return writer.position() - outStart;
    }

    /** {@code view} set to {@code [offset, offset + length)} of the array it wraps. */
    private static ByteBuffer range(ByteBuffer view, int offset, int length) {
        return view.clear().position(offset).limit(offset + length);
    }

    /** Room for {@code needed} more bytes at the writer's position. */
    private void makeRoomToWrite(int needed) {
        if (out.length - writer.position() >= needed) {
            return;
        }
        int pending = writer.position() - outStart;
        byte[] target = out.length - pending >= needed ? out : new byte[Math.max(out.length * 2, pending + needed)];
        System.arraycopy(out, outStart, target, 0, pending);
        if (target != out) {
            outView = ByteBuffer.wrap(target);
        }
        out = target;
        outStart = 0;
        writer.reset(out, pending, out.length);
    }

    /** Moves unread bytes to the front of the buffer, growing it when the next frame needs more than it holds. */
    private void makeRoomToRead() {
        int unread = inEnd - inStart;
        if (unread == 0) {
            inStart = 0;
            inEnd = 0;
            return;
        }
        int needed = Math.max(decoder.bytesNeeded(), unread);
        if (inEnd < in.length && in.length - inStart >= needed) {
            return;
        }
        byte[] target = needed > in.length ? new byte[Math.max(needed, in.length * 2)] : in;
        System.arraycopy(in, inStart, target, 0, unread);
        if (target != in) {
            inView = ByteBuffer.wrap(target);
        }
        in = target;
        inStart = 0;
        inEnd = unread;
    }

    private void updateInterest() {
        if (!open || lingering) {
            return;
        }
        boolean reading = !draining && mayRead(); // draining reads without the selector
        boolean writing = outStart < writer.position();
        key.interestOps((reading ? SelectionKey.OP_READ : 0) | (writing ? SelectionKey.OP_WRITE : 0));
    }

    void close() {
        if (!open) {
            return;
        }
        open = false;
        dispatcher.metrics().front().connectionClosed();
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            Logger.debug("connection {}: {}", id, e.getMessage());
        }
        front.closed(this);
    }

    @Override
    public long id() {
        return id;
    }

    /** "connection 3": how log lines about its frames begin ("connection 3: stream 5 frame 1: ..."). */
    @Override
    public String toString() {
        return "connection " + id;
    }
}
