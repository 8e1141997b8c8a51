package dev.spoa.testkit;

import dev.spoa.protocol.AgentHello;
import dev.spoa.protocol.Frame;
import dev.spoa.protocol.FrameDecoder;
import dev.spoa.protocol.FrameHeader;
import dev.spoa.protocol.FrameTooBigException;
import dev.spoa.protocol.Handshake;
import dev.spoa.protocol.HaproxyDisconnect;
import dev.spoa.protocol.HaproxyHello;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.Notify;
import dev.spoa.protocol.SpopException;
import dev.spoa.protocol.Status;
import dev.spoa.protocol.WireWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Plays HAProxy's side of one SPOP connection, strictly: every frame the agent sends is checked by
 * the codec as HAProxy would (FrameDecoder.forHaproxy, Handshake.accept). For tests and the load
 * generator; single-threaded.
 */
public final class SpopClient implements AutoCloseable {
    /** HAProxy's default: tune.bufsize 16384 - 4. */
    public static final int MAX_FRAME_SIZE = 16380;

    private final SocketChannel channel;
    private final Selector selector;
    private final FrameDecoder decoder;
    private final int offeredMaxFrameSize;
    private final byte[] out;
    private final WireWriter writer;
    private byte[] in = new byte[64 * 1024];
    private int inStart;
    private int inEnd;
    private int maxFrameSize;

    private SpopClient(SocketChannel channel, int offeredMaxFrameSize) throws IOException {
        this.channel = channel;
        this.offeredMaxFrameSize = offeredMaxFrameSize;
        this.decoder = FrameDecoder.forHaproxy(offeredMaxFrameSize);
        this.out = new byte[4 + offeredMaxFrameSize + 64 * 1024];
        this.writer = new WireWriter(out);
        this.maxFrameSize = offeredMaxFrameSize;
        channel.configureBlocking(false);
        this.selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
    }

    /** A connection with no handshake yet, to send whatever bytes a test wants. */
    public static SpopClient open(SocketAddress address) throws IOException {
        return open(address, MAX_FRAME_SIZE);
    }

    private static SpopClient open(SocketAddress address, int maxFrameSize) throws IOException {
        SocketChannel channel = address instanceof UnixDomainSocketAddress
                ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
        channel.connect(address);
        return new SpopClient(channel, maxFrameSize);
    }

    /** Connects and completes the HELLO exchange as HAProxy 2.6 opens a connection. */
    public static SpopClient connect(SocketAddress address, Duration timeout) throws IOException, SpopException {
        return connect(address, timeout, MAX_FRAME_SIZE);
    }

    /** The same, offering another max-frame-size (HAProxy offers tune.bufsize - 4). */
    public static SpopClient connect(SocketAddress address, Duration timeout, int maxFrameSize) throws IOException, SpopException {
        SpopClient client = open(address, maxFrameSize);
        try {
            client.hello(new HaproxyHello("2.0", maxFrameSize, "pipelining,async", false, "spoa-tests"), timeout);
            return client;
        } catch (IOException | SpopException | RuntimeException e) {
            client.close();
            throw e;
        }
    }

    public static SocketAddress tcp(int port) {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** Sends this HELLO and checks the agent's answer as HAProxy does; returns it. */
    public AgentHello hello(HaproxyHello hello, Duration timeout) throws IOException, SpopException {
        send(hello);
        Frame answer = receive(timeout);
        if (!(answer instanceof AgentHello agentHello)) {
            throw new IOException("expected AGENT-HELLO, got " + answer);
        }
        maxFrameSize = Handshake.accept(agentHello, offeredMaxFrameSize);
        decoder.useMaxFrameSize(maxFrameSize);
        return agentHello;
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    public void notify(long streamId, long frameId, List<Message> messages) throws IOException {
        send(new Notify(streamId, frameId, messages));
    }

    public void disconnect() throws IOException {
        send(HaproxyDisconnect.of(Status.NORMAL));
    }

    public void send(Frame frame) throws IOException {
        writer.reset(out, 0, out.length);
        try {
            frame.encode(writer, maxFrameSize);
        } catch (FrameTooBigException e) {
            throw new IOException(e);
        }
        sendRaw(Arrays.copyOf(out, writer.position()));
    }

    /** Queues several frames and writes them in one go (pipelining as HAProxy does it). */
    public void sendAll(List<? extends Frame> frames) throws IOException {
        writer.reset(out, 0, out.length);
        for (Frame frame : frames) {
            try {
                frame.encode(writer, maxFrameSize);
            } catch (FrameTooBigException e) {
                throw new IOException(e);
            }
        }
        sendRaw(Arrays.copyOf(out, writer.position()));
    }

    public void sendRaw(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            if (channel.write(buffer) == 0) {
                Thread.onSpinWait();
            }
        }
    }

    /**
     * The next frame from the agent, checked as HAProxy would check it; null if the agent closed
     * the connection.
     *
     * @throws IOException when nothing complete arrives within the timeout
     * @throws SpopException when the agent sends something HAProxy would reject
     */
    public Frame receive(Duration timeout) throws IOException, SpopException {
        long giveUp = System.nanoTime() + timeout.toNanos();
        while (true) {
            FrameHeader header = decoder.next(in, inStart, inEnd - inStart);
            if (header != null) {
                Frame frame = decoder.decode(header, in);
                inStart = header.end();
                return frame;
            }
            compact(decoder.bytesNeeded());
            long left = giveUp - System.nanoTime();
            if (left <= 0) {
                throw new IOException("no frame from the agent within " + timeout.toMillis() + " ms");
            }
            selector.select(Math.max(1, left / 1_000_000));
            selector.selectedKeys().clear();
            int read;
            try {
                read = channel.read(ByteBuffer.wrap(in, inEnd, in.length - inEnd));
            } catch (IOException reset) {
                return null;
            }
            if (read < 0) {
                return null;
            }
            inEnd += read;
        }
    }

    /** True when the agent closes the connection within the timeout with nothing more to say. */
    public boolean closedByAgent(Duration timeout) throws IOException {
        try {
            return receive(timeout) == null;
        } catch (SpopException e) {
            return false;
        }
    }

    private void compact(int needed) {
        int unread = inEnd - inStart;
        byte[] target = needed > in.length ? new byte[needed] : in;
        System.arraycopy(in, inStart, target, 0, unread);
        in = target;
        inStart = 0;
        inEnd = unread;
    }

    @Override
    public void close() throws IOException {
        selector.close();
        channel.close();
    }
}
