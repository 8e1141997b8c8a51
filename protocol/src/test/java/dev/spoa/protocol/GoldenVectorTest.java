package dev.spoa.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every file of spop-vectors against its index.json entry: valid frames decode to exactly the
 * recorded contents and re-encode to the same bytes; malformed frames get exactly the recorded
 * reaction (the status code of the AGENT-DISCONNECT, or being skipped).
 */
class GoldenVectorTest {
    private static final int MAX = Vectors.HAPROXY_MAX_FRAME_SIZE;

    @Test
    void everyVectorFileIsIndexed() {
        assertEquals(48, Vectors.all().size(), "index.json lists every .bin file");
    }

    @TestFactory
    Stream<DynamicTest> validFramesDecodeToTheirContentsAndReencodeIdentically() {
        return Vectors.all().stream()
                .filter(vector -> vector.decoded() != null)
                .map(vector -> dynamicTest(vector.name(), () -> checkSingleFrame(vector)));
    }

    @TestFactory
    Stream<DynamicTest> pipelinedStreamsDecodeFrameByFrame() {
        return Vectors.all().stream()
                .filter(vector -> vector.expect() != null && vector.expect().containsKey("stream"))
                .map(vector -> dynamicTest(vector.name(), () -> checkStream(vector)));
    }

    @TestFactory
    Stream<DynamicTest> malformedFramesGetTheirStatusCode() {
        return Vectors.all().stream()
                .filter(vector -> vector.expect() != null && vector.expect().containsKey("agent_reaction"))
                .map(vector -> dynamicTest(vector.name(), () -> checkMalformed(vector)));
    }

    private static void checkSingleFrame(Vectors.Vector vector) throws Exception {
        byte[] bytes = vector.bytes();
        Map<String, Object> decoded = vector.decoded();
        assertEquals(((BigDecimal) vector.entry().get("size")).intValueExact(), bytes.length);
        int flags = number(decoded, "flags").intValue();

        if ((flags & FrameHeader.FLAG_FIN) == 0) {
            // ack-without-fin-rejected: HAProxy answered status 10; so must any reader of ours.
            SpopException e = assertThrows(SpopException.class, () -> FrameHeader.read(bytes, 0, bytes.length, MAX));
            assertEquals(Status.FRAGMENTATION_NOT_SUPPORTED, e.status());
            int payloadLength = number(decoded, "payload_length").intValue();
            checkPayload(decoded, bytes, bytes.length - payloadLength, payloadLength);
            return;
        }

        FrameHeader header = FrameHeader.read(bytes, 0, bytes.length, MAX);
        assertNotNull(header);
        checkHeader(decoded, header);
        assertEquals(bytes.length, header.end());
        checkPayload(decoded, bytes, header.payloadOffset(), header.payloadLength());

        Frame frame = Frame.decode(header, bytes);
        assertArrayEquals(bytes, Vectors.encode(frame), "re-encoded bytes");
        assertEquals(frame, Frame.decode(header, Vectors.encode(frame)));

        // The receiving side's decoder takes it too (after a HELLO where the protocol requires one).
        FrameDecoder receiver = vector.fromHaproxy() ? FrameDecoder.forAgent(MAX) : FrameDecoder.forHaproxy(MAX);
        if (!header.type().isHello() && !header.type().isDisconnect()) {
            byte[] hello = Vectors.resource(vector.fromHaproxy() ? "haproxy-hello.bin" : "agent-hello.bin");
            assertNotNull(receiver.next(hello, 0, hello.length));
        }
        assertEquals(header, receiver.next(bytes, 0, bytes.length));

        if (vector.name().equals("agent-hello-rejected-version")) {
            SpopException e = assertThrows(SpopException.class, () -> Handshake.accept((AgentHello) frame, MAX));
            assertEquals(Status.UNSUPPORTED_VERSION, e.status());
        }
    }

    @SuppressWarnings("unchecked")
    private static void checkStream(Vectors.Vector vector) throws Exception {
        byte[] bytes = vector.bytes();
        List<Object> expected = (List<Object>) vector.expect().get("stream");
        FrameDecoder decoder = vector.fromHaproxy() ? FrameDecoder.forAgent(MAX) : FrameDecoder.forHaproxy(MAX);
        ByteArrayOutputStream reencoded = new ByteArrayOutputStream();
        int pos = 0;
        for (Object item : expected) {
            Map<String, Object> frameJson = (Map<String, Object>) item;
            FrameHeader header = decoder.next(bytes, pos, bytes.length - pos);
            assertNotNull(header, "frame at offset " + pos);
            checkHeader(frameJson, header);
            checkPayload(frameJson, bytes, header.payloadOffset(), header.payloadLength());
            reencoded.writeBytes(Vectors.encode(Frame.decode(header, bytes)));
            pos = header.end();
        }
        assertEquals(bytes.length, pos, "every byte belongs to a frame");
        assertNull(decoder.next(bytes, pos, 0));
        assertArrayEquals(bytes, reencoded.toByteArray());
    }

    private static void checkMalformed(Vectors.Vector vector) throws Exception {
        Map<String, Object> expect = vector.expect();
        FrameDecoder decoder = FrameDecoder.forAgent(MAX);
        if (Boolean.TRUE.equals(expect.get("send_haproxy_hello_first"))) {
            byte[] hello = Vectors.resource("haproxy-hello.bin");
            assertEquals(List.of(FrameType.HAPROXY_HELLO), AgentPipeline.receive(decoder, hello));
        }
        byte[] bytes = vector.bytes();
        if ("ignore".equals(expect.get("agent_reaction"))) {
            assertEquals(List.of(FrameType.UNKNOWN), AgentPipeline.receive(decoder, bytes));
            byte[] notify = Vectors.resource("notify-client-session-ipv4.bin");
            assertEquals(List.of(FrameType.NOTIFY), AgentPipeline.receive(decoder, notify), "the connection stays usable");
            return;
        }
        assertEquals("disconnect", expect.get("agent_reaction"));
        SpopException e = assertThrows(SpopException.class, () -> AgentPipeline.receive(decoder, bytes));
        assertEquals(number(expect, "status_code").intValue(), e.status().code(), e.toString());
        assertEquals(expect.get("status_message"), e.status().reason());
        AgentDisconnect answer = AgentDisconnect.of(e.status());
        if (e.status() == Status.INVALID_FRAME) {
            assertArrayEquals(Vectors.resource("agent-disconnect-invalid-frame.bin"), Vectors.encode(answer));
        }
    }

    private static void checkHeader(Map<String, Object> json, FrameHeader header) {
        assertEquals(number(json, "frame_type").intValue(), header.typeCode());
        assertEquals(json.get("frame_type_name"), header.type().name().replace('_', '-'));
        assertEquals(number(json, "flags").intValue(), header.flags());
        assertEquals(number(json, "stream_id").longValueExact(), header.streamId());
        assertEquals(number(json, "frame_id").longValueExact(), header.frameId());
        assertEquals(number(json, "payload_length").intValue(), header.payloadLength());
    }

    @SuppressWarnings("unchecked")
    private static void checkPayload(Map<String, Object> json, byte[] buf, int offset, int length) throws SpopException {
        if (json.containsKey("kv")) {
            List<KeyValue> items = KvList.decode(buf, offset, length).items();
            List<Object> expected = (List<Object>) json.get("kv");
            assertEquals(expected.size(), items.size());
            for (int i = 0; i < items.size(); i++) {
                Map<String, Object> item = (Map<String, Object>) expected.get(i);
                assertEquals(item.get("key"), items.get(i).key());
                checkValue(item, items.get(i).value());
            }
        } else if (json.containsKey("messages")) {
            assertEquals(json.get("messages") == null ? 0 : ((List<Object>) json.get("messages")).size(),
                    MessageList.validate(buf, offset, length));
            List<Message> messages = MessageList.decode(buf, offset, length);
            List<Object> expected = (List<Object>) json.get("messages");
            assertEquals(expected.size(), messages.size());
            for (int i = 0; i < messages.size(); i++) {
                Map<String, Object> message = (Map<String, Object>) expected.get(i);
                assertEquals(message.get("name"), messages.get(i).name());
                List<Object> args = (List<Object>) message.get("args");
                List<Argument> arguments = messages.get(i).arguments();
                assertEquals(args.size(), arguments.size());
                for (int j = 0; j < args.size(); j++) {
                    Map<String, Object> arg = (Map<String, Object>) args.get(j);
                    assertEquals(arg.get("name"), arguments.get(j).name());
                    checkValue(arg, arguments.get(j).value());
                }
            }
        } else {
            List<Action> actions = ActionList.decode(buf, offset, length);
            List<Object> expected = (List<Object>) json.get("actions");
            assertEquals(expected.size(), actions.size());
            for (int i = 0; i < actions.size(); i++) {
                Map<String, Object> action = (Map<String, Object>) expected.get(i);
                Action actual = actions.get(i);
                assertEquals(action.get("scope"), actual.scope().label());
                assertEquals(number(action, "scope_id").intValue(), actual.scope().id());
                assertEquals(action.get("name"), actual.name());
                if ("set-var".equals(action.get("action"))) {
                    checkValue((Map<String, Object>) action.get("value"), assertInstanceOf(Action.SetVar.class, actual).value());
                } else {
                    assertEquals("unset-var", action.get("action"));
                    assertInstanceOf(Action.UnsetVar.class, actual);
                }
            }
        }
    }

    private static void checkValue(Map<String, Object> json, TypedData actual) {
        assertEquals(json.get("type"), actual.type().name());
        switch (actual.type()) {
            case NULL:
                assertTrue(actual instanceof TypedData.Null);
                break;
            case BOOL:
                assertEquals(json.get("value"), ((TypedData.Bool) actual).value());
                break;
            case INT32:
                assertEquals(number(json, "value").intValueExact(), ((TypedData.Int32) actual).value());
                break;
            case UINT32:
                assertEquals(number(json, "value").longValueExact(), ((TypedData.Uint32) actual).value());
                break;
            case INT64:
                assertEquals(number(json, "value").longValueExact(), ((TypedData.Int64) actual).value());
                break;
            case UINT64:
                assertEquals(number(json, "value"), new BigInteger(Long.toUnsignedString(((TypedData.Uint64) actual).value())));
                break;
            case IPV4:
            case IPV6:
                assertEquals(json.get("value"), actual.toString());
                break;
            case STRING:
                byte[] text = ((TypedData.Text) actual).bytes();
                assertEquals(number(json, "length").intValue(), text.length);
                assertArrayEquals(((String) json.get("value")).getBytes(StandardCharsets.UTF_8), text);
                break;
            case BINARY:
                byte[] binary = ((TypedData.Binary) actual).bytes();
                assertEquals(number(json, "length").intValue(), binary.length);
                assertEquals(json.get("hex"), HexFormat.of().formatHex(binary));
                break;
            default:
                throw new AssertionError(actual);
        }
    }

    private static BigInteger number(Map<String, Object> json, String key) {
        return ((BigDecimal) json.get(key)).toBigIntegerExact();
    }

    /** What an agent does with bytes from HAProxy, minus the I/O: the codec steps the front takes for each frame. */
    static final class AgentPipeline {
        private AgentPipeline() {
        }

        static List<FrameType> receive(FrameDecoder decoder, byte[] bytes) throws SpopException {
            List<FrameType> seen = new ArrayList<>();
            int pos = 0;
            FrameHeader header;
            while ((header = decoder.next(bytes, pos, bytes.length - pos)) != null) {
                switch (header.type()) {
                    case HAPROXY_HELLO:
                        AgentHello answer = Handshake.answer((HaproxyHello) decoder.decode(header, bytes), MAX);
                        decoder.useMaxFrameSize((int) answer.maxFrameSize());
                        break;
                    case NOTIFY:
                        decoder.validateNotify(header, bytes);
                        break;
                    case UNKNOWN:
                        break;
                    default:
                        decoder.decode(header, bytes);
                }
                seen.add(header.type());
                pos = header.end();
            }
            return seen;
        }
    }
}
