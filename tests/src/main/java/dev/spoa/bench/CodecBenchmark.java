package dev.spoa.bench;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.Action;
import dev.spoa.protocol.ActionList;
import dev.spoa.protocol.AgentHello;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.Frame;
import dev.spoa.protocol.FrameDecoder;
import dev.spoa.protocol.FrameHeader;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.Notify;
import dev.spoa.protocol.SpopException;
import dev.spoa.protocol.Handshake;
import dev.spoa.protocol.HaproxyHello;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import dev.spoa.protocol.WireWriter;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The codec's hot paths, one NOTIFY in and one ACK out. Run with {@code bin/spoa-bench-codec},
 * which adds JMH's GC profiler: gc.alloc.rate.norm is the bytes allocated per operation.
 *
 * <ul>
 *   <li>decode*: frame header plus full decode into records (a connection's FrameDecoder);</li>
 *   <li>validate*: what the front does with a NOTIFY (check it, forward its bytes): nothing allocated;</li>
 *   <li>encodeAck*: an ACK with two set-vars into a reused buffer, from records (a worker) or around an
 *       already encoded payload (the front): nothing allocated.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms256m", "-Xmx256m"})
public class CodecBenchmark {
    private static final int MAX_FRAME_SIZE = 16380;

    private byte[] smallNotify;
    private byte[] allTypesNotify;
    private FrameDecoder decoder;
    private Ack ack;
    private byte[] ackPayload;
    private int ackPayloadLength;
    private final byte[] out = new byte[4 + MAX_FRAME_SIZE];
    private final WireWriter writer = new WireWriter(out);

    @Setup
    public void setUp() throws Exception {
        // The acceptance message: one check-client-ip with an IPv4 argument, as HAProxy 3.1+ numbers it.
        Notify notify = new Notify(1, 1, List.of(new Message("check-client-ip",
                List.of(new Argument("ip", TypedData.Ipv4.parse("127.0.0.1"))))));
        smallNotify = encode(notify);
        // The 18-argument frame captured from HAProxy 2.6 (every type it sends, a 3000-byte string).
        allTypesNotify = resource("/bench/notify-frontend-request-all-types.bin");

        decoder = FrameDecoder.forAgent(MAX_FRAME_SIZE);
        AgentHello answer = Handshake.answer(new HaproxyHello("2.0", MAX_FRAME_SIZE, "pipelining", false, null), MAX_FRAME_SIZE);
        byte[] hello = encode(new HaproxyHello("2.0", MAX_FRAME_SIZE, "pipelining", false, null));
        decoder.next(hello, 0, hello.length);
        decoder.useMaxFrameSize((int) answer.maxFrameSize());

        List<Action> actions = List.of(
                new Action.SetVar(VarScope.TXN, "ip_score", new TypedData.Int32(42)),
                new Action.SetVar(VarScope.TXN, "ip_class", TypedData.Text.of("neutral")));
        ack = new Ack(7, 2, actions);
        ackPayload = new byte[256];
        WireWriter payloadWriter = new WireWriter(ackPayload);
        ActionList.encode(actions, payloadWriter);
        ackPayloadLength = payloadWriter.position();

        check();
    }

    @Benchmark
    public Frame decodeSmallNotify() throws SpopException {
        return decoder.decode(decoder.next(smallNotify, 0, smallNotify.length), smallNotify);
    }

    @Benchmark
    public Frame decodeAllTypesNotify() throws SpopException {
        return decoder.decode(decoder.next(allTypesNotify, 0, allTypesNotify.length), allTypesNotify);
    }

    @Benchmark
    public int validateSmallNotify() throws SpopException {
        FrameHeader header = decoder.next(smallNotify, 0, smallNotify.length);
        return decoder.validateNotify(header, smallNotify);
    }

    @Benchmark
    public int validateAllTypesNotify() throws SpopException {
        FrameHeader header = decoder.next(allTypesNotify, 0, allTypesNotify.length);
        return decoder.validateNotify(header, allTypesNotify);
    }

    @Benchmark
    public int encodeAck() throws SpopException {
        writer.reset(out, 0, out.length);
        ack.encode(writer, MAX_FRAME_SIZE);
        return writer.position();
    }

    @Benchmark
    public int encodeAckAroundPayload() throws SpopException {
        writer.reset(out, 0, out.length);
        Ack.encode(writer, 7, 2, ackPayload, 0, ackPayloadLength, MAX_FRAME_SIZE);
        return writer.position();
    }

    /** The benchmarks measure real work: each result is what it should be. */
    private void check() throws SpopException {
        Notify small = (Notify) decodeSmallNotify();
        if (!small.messages().get(0).argument("ip").orElseThrow().toString().equals("127.0.0.1")) {
            throw new IllegalStateException("small NOTIFY decoded wrong: " + small);
        }
        if (((Notify) decodeAllTypesNotify()).messages().get(0).arguments().size() != 18 || validateAllTypesNotify() != 2) {
            throw new IllegalStateException("all-types NOTIFY decoded wrong");
        }
        int length = encodeAck();
        byte[] viaRecords = Arrays.copyOf(out, length);
        if (encodeAckAroundPayload() != length || !Arrays.equals(viaRecords, Arrays.copyOf(out, length))) {
            throw new IllegalStateException("the two ACK encodings differ");
        }
    }

    private static byte[] encode(Frame frame) throws SpopException {
        byte[] buf = new byte[4 + MAX_FRAME_SIZE];
        WireWriter w = new WireWriter(buf);
        frame.encode(w, MAX_FRAME_SIZE);
        return Arrays.copyOf(buf, w.position());
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = CodecBenchmark.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IOException("missing resource " + name);
            }
            return in.readAllBytes();
        }
    }
}
