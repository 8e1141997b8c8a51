package dev.spoa.bench.load;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.Action;
import dev.spoa.protocol.AgentDisconnect;
import dev.spoa.protocol.Frame;
import dev.spoa.protocol.FrameDecoder;
import dev.spoa.protocol.FrameHeader;
import dev.spoa.protocol.Handshake;
import dev.spoa.protocol.HaproxyHello;
import dev.spoa.protocol.Notify;
import dev.spoa.protocol.Status;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import dev.spoa.protocol.WireWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small agent for the generator's tests, written with the protocol module: a thread per
 * connection, blocking I/O, every NOTIFY answered at once, and a {@link Behaviour} deciding the answer.
 */
final class ScriptedAgent implements AutoCloseable {

    /** What the agent does with the n-th NOTIFY it receives (counted over all connections, from 0). */
    sealed interface Behaviour {
        /** An ACK setting these variables. */
        record Answer(List<Action> actions) implements Behaviour {
        }

        /** No answer at all. */
        record Ignore() implements Behaviour {
        }

        /** AGENT-DISCONNECT with this status, then close. */
        record Disconnect(Status status, String message) implements Behaviour {
        }
    }

    /** Chooses the behaviour for the n-th NOTIFY. */
    @FunctionalInterface
    interface Script {
        Behaviour forNotify(long n);
    }

    static final Behaviour SCORE = new Behaviour.Answer(List.of(new Action.SetVar(VarScope.TXN, "ip_score", new TypedData.Int32(50))));
    static final Behaviour ERROR = new Behaviour.Answer(
            List.of(new Action.SetVar(VarScope.TXN, "spoa_error", TypedData.Text.of("timeout"))));

    private final ServerSocketChannel server;
    private final Script script;
    private final AtomicLong notifies = new AtomicLong();
    private final Thread acceptor;

    ScriptedAgent(Script script) throws IOException {
        this.script = script;
        this.server = ServerSocketChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        this.acceptor = new Thread(this::accept, "scripted-agent");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    Endpoint endpoint() throws IOException {
        return Endpoint.tcp("127.0.0.1", ((InetSocketAddress) server.getLocalAddress()).getPort());
    }

    long notifies() {
        return notifies.get();
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel channel = server.accept();
                Thread connection = new Thread(() -> serve(channel), "scripted-agent-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(SocketChannel channel) {
        try (channel) {
            FrameDecoder decoder = FrameDecoder.forAgent(16380);
            byte[] in = new byte[1 << 16];
            byte[] out = new byte[1 << 16];
            int start = 0;
            int end = 0;
            while (true) {
                int read = channel.read(ByteBuffer.wrap(in, end, in.length - end));
                if (read < 0) {
                    return;
                }
                end += read;
                WireWriter writer = new WireWriter(out);
                FrameHeader header;
                boolean closing = false;
                while (!closing && (header = decoder.next(in, start, end - start)) != null) {
                    Frame frame = decoder.decode(header, in);
                    start = header.end();
                    if (frame instanceof HaproxyHello hello) {
                        Handshake.answer(hello, 16380).encode(writer, 16380);
                        decoder.useMaxFrameSize(16380);
                    } else if (frame instanceof Notify notify) {
                        Behaviour behaviour = script.forNotify(notifies.getAndIncrement());
                        if (behaviour instanceof Behaviour.Answer answer) {
                            new Ack(notify.streamId(), notify.frameId(), answer.actions()).encode(writer, 16380);
                        } else if (behaviour instanceof Behaviour.Disconnect disconnect) {
                            new AgentDisconnect(disconnect.status().code(), disconnect.message()).encode(writer, 16380);
                            closing = true;
                        }
                    } else {
                        closing = true;
                    }
                }
                System.arraycopy(in, start, in, 0, end - start);
                end -= start;
                start = 0;
                ByteBuffer pending = ByteBuffer.wrap(out, 0, writer.position());
                while (pending.hasRemaining()) {
                    channel.write(pending);
                }
                if (closing) {
                    return;
                }
            }
        } catch (Exception e) {
            // the generator went away, or the test is over
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
