package dev.spoa.bench.load;

import dev.spoa.protocol.AgentDisconnect;
import dev.spoa.protocol.AgentHello;
import dev.spoa.protocol.Frame;
import dev.spoa.protocol.FrameDecoder;
import dev.spoa.protocol.FrameHeader;
import dev.spoa.protocol.FrameTooBigException;
import dev.spoa.protocol.Handshake;
import dev.spoa.protocol.HaproxyHello;
import dev.spoa.protocol.SpopException;
import dev.spoa.protocol.WireWriter;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;

/**
 * Opens a connection as HAProxy does: HAPROXY-HELLO (supported-versions "2.0", max-frame-size
 * 16380, capabilities "pipelining"), then the AGENT-HELLO checked by the protocol module as
 * HAProxy checks it. Not on the hot path, so it uses the codec's frames as they are.
 */
final class HelloExchange {
    /** HAProxy's default offer: tune.bufsize 16384 - 4. */
    static final int OFFERED_MAX_FRAME_SIZE = 16380;

    private HelloExchange() {
    }

    /** A connection after the HELLO: non-blocking, with the negotiated max-frame-size. */
    record Opened(SocketChannel channel, int maxFrameSize) {
    }

    static Opened open(Endpoint endpoint, Duration timeout) {
        SocketChannel channel;
        try {
            channel = endpoint.connect();
        } catch (IOException e) {
            throw new LoadFailure("cannot connect to " + endpoint + ": " + e.getMessage(), e);
        }
        try {
            channel.configureBlocking(false);
            int maxFrameSize = hello(channel, timeout);
            return new Opened(channel, maxFrameSize);
        } catch (IOException e) {
            close(channel);
            throw new LoadFailure("HELLO with " + endpoint + " failed: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            close(channel);
            throw e;
        }
    }

    private static int hello(SocketChannel channel, Duration timeout) throws IOException {
        byte[] out = new byte[4 + OFFERED_MAX_FRAME_SIZE];
        WireWriter writer = new WireWriter(out);
        try {
            new HaproxyHello(Handshake.VERSION, OFFERED_MAX_FRAME_SIZE, Handshake.PIPELINING, false, null)
                    .encode(writer, OFFERED_MAX_FRAME_SIZE);
        } catch (FrameTooBigException e) {
            throw new IllegalStateException(e); // a HELLO is a few dozen bytes
        }
        long giveUp = System.nanoTime() + timeout.toNanos();
        try (Selector selector = Selector.open()) {
            SelectionKey key = channel.register(selector, SelectionKey.OP_WRITE);
            ByteBuffer pending = ByteBuffer.wrap(out, 0, writer.position());
            while (pending.hasRemaining()) {
                channel.write(pending);
                if (pending.hasRemaining()) {
                    waitFor(selector, giveUp, timeout);
                }
            }
            key.interestOps(SelectionKey.OP_READ);
            return answer(channel, selector, giveUp, timeout);
        }
    }

    private static int answer(SocketChannel channel, Selector selector, long giveUp, Duration timeout) throws IOException {
        FrameDecoder decoder = FrameDecoder.forHaproxy(OFFERED_MAX_FRAME_SIZE);
        byte[] in = new byte[4 + OFFERED_MAX_FRAME_SIZE];
        ByteBuffer buffer = ByteBuffer.wrap(in);
        while (true) {
            Frame frame;
            try {
                FrameHeader header = decoder.next(in, 0, buffer.position());
                if (header != null) {
                    if (header.end() != buffer.position()) {
                        throw new LoadFailure("the agent sent more than its AGENT-HELLO before our first NOTIFY");
                    }
                    frame = decoder.decode(header, in);
                    return accept(frame);
                }
            } catch (SpopException e) {
                throw new LoadFailure("the agent's answer to HAPROXY-HELLO is not one HAProxy accepts: " + e.getMessage(), e);
            }
            if (!buffer.hasRemaining()) {
                throw new LoadFailure("the agent's answer to HAPROXY-HELLO does not fit " + in.length + " bytes");
            }
            waitFor(selector, giveUp, timeout);
            if (channel.read(buffer) < 0) {
                throw new LoadFailure("the agent closed the connection instead of answering HAPROXY-HELLO");
            }
        }
    }

    private static int accept(Frame frame) throws SpopException {
        if (frame instanceof AgentDisconnect disconnect) {
            throw new LoadFailure("the agent answered HAPROXY-HELLO with " + Disconnects.describe(disconnect));
        }
        if (!(frame instanceof AgentHello hello)) {
            throw new LoadFailure("the agent answered HAPROXY-HELLO with " + frame.type());
        }
        int maxFrameSize = Handshake.accept(hello, OFFERED_MAX_FRAME_SIZE);
        if (!hello.capabilityList().contains(Handshake.PIPELINING)) {
            // HAProxy would send one NOTIFY at a time: the scenarios' in-flight counts would be a lie.
            throw new LoadFailure("the agent does not announce the \"pipelining\" capability (it announces \""
                    + hello.capabilities() + "\")");
        }
        return maxFrameSize;
    }

    private static void waitFor(Selector selector, long giveUp, Duration timeout) throws IOException {
        long left = giveUp - System.nanoTime();
        if (left <= 0) {
            throw new LoadFailure("no answer to HAPROXY-HELLO within " + timeout.toMillis() + " ms");
        }
        selector.select(Math.max(1, left / 1_000_000));
        selector.selectedKeys().clear();
    }

    private static void close(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already failing: the first error is the one worth reporting
        }
    }
}
