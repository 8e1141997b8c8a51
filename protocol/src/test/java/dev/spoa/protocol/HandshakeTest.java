package dev.spoa.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HandshakeTest {

    private static HaproxyHello hello(String versions, long maxFrameSize) {
        return new HaproxyHello(versions, maxFrameSize, "pipelining,async", false, "engine");
    }

    @Test
    void answerEchoesHaproxysSizeUnlessOursIsSmaller() throws SpopException {
        assertEquals(new AgentHello("2.0", 16380, "pipelining"), Handshake.answer(hello("2.0", 16380), 1 << 20));
        assertEquals(4096, Handshake.answer(hello("2.0", 16380), 4096).maxFrameSize());
        assertEquals(256, Handshake.answer(hello("2.0", 256), 1 << 20).maxFrameSize());
        assertThrows(IllegalArgumentException.class, () -> Handshake.answer(hello("2.0", 16380), 255));
        assertThrows(IllegalArgumentException.class, () -> Handshake.answer(hello("2.0", 16380), Integer.MAX_VALUE));
        assertThrows(IllegalArgumentException.class, () -> FrameDecoder.forAgent(Integer.MAX_VALUE - 4));
    }

    @Test
    void answerToTheCapturedHelloIsTheAgentHelloHaproxyAccepted() throws SpopException {
        byte[] bytes = Vectors.resource("haproxy-hello.bin");
        HaproxyHello hello = (HaproxyHello) Frame.decode(FrameHeader.read(bytes, 0, bytes.length, 16380), bytes);
        assertEquals(List.of("pipelining", "async"), hello.capabilityList());
        assertArrayEquals(Vectors.resource("agent-hello.bin"), Vectors.encode(Handshake.answer(hello, 16380)));
        assertArrayEquals(Vectors.resource("agent-hello.bin"), Vectors.encode(Handshake.answer(hello, 1 << 24)));
    }

    @Test
    void haproxyFrameSizeBelow256IsRefused() {
        for (long size : new long[] {255, 0, -1}) {
            SpopException e = assertThrows(SpopException.class, () -> Handshake.answer(hello("2.0", size), 16380));
            assertEquals(Status.BAD_MAX_FRAME_SIZE, e.status());
        }
    }

    @Test
    void anyOffer_of_a_2_x_version_is_answered_2_0() throws SpopException {
        for (String offer : new String[] {"2.0", " 2.0 ", "2.0, 1.5", "1.0,2.3", "2.999", "junk, 2.0"}) {
            assertEquals("2.0", Handshake.answer(hello(offer, 16380), 16380).version(), offer);
        }
        for (String offer : new String[] {"1.0", "3.0", "", " , ", "2", "2.", ".0", "2.0.1", "0.0", "2.1000", "two"}) {
            SpopException e = assertThrows(SpopException.class, () -> Handshake.answer(hello(offer, 16380), 16380), offer);
            assertEquals(Status.UNSUPPORTED_VERSION, e.status());
        }
    }

    @Test
    void missingHelloItemsHaveTheirOwnStatus() {
        assertEquals(Status.NO_VERSION, decodeFailure(new HaproxyHello("2.0", 16380, "", false, null), "supported-versions"));
        assertEquals(Status.NO_MAX_FRAME_SIZE, decodeFailure(new HaproxyHello("2.0", 16380, "", false, null), "max-frame-size"));
        assertEquals(Status.NO_CAPABILITIES, decodeFailure(new HaproxyHello("2.0", 16380, "", false, null), "capabilities"));
    }

    @Test
    void healthcheckIsAnsweredWithoutCapabilities() throws SpopException {
        byte[] bytes = withoutItem(new HaproxyHello("2.0", 16380, "", true, null), "capabilities");
        HaproxyHello hello = (HaproxyHello) Frame.decode(FrameHeader.read(bytes, 0, bytes.length, 16380), bytes);
        assertTrue(hello.healthcheck());
        assertNull(hello.engineId());
        assertEquals("", hello.capabilities());
        assertEquals(new AgentHello("2.0", 256, "pipelining"), Handshake.answer(hello, 16380),
                "256: HAProxy 3.x checks a health check's answer against its own bufsize, not the 16380 it sent");

        byte[] captured = Vectors.resource("haproxy-hello-healthcheck.bin");
        HaproxyHello check = (HaproxyHello) Frame.decode(FrameHeader.read(captured, 0, captured.length, 16380), captured);
        assertTrue(check.healthcheck());
        assertEquals(List.of(), check.capabilityList());
    }

    @Test
    void wrongItemTypesAreInvalid() {
        byte[] bytes = Vectors.resource("haproxy-hello.bin").clone();
        // "supported-versions" value: STRING (8) becomes BINARY (9).
        int at = indexOf(bytes, "supported-versions".getBytes()) + "supported-versions".length();
        bytes[at] = 9;
        SpopException e = assertThrows(SpopException.class, () -> Frame.decode(FrameHeader.read(bytes, 0, bytes.length, 16380), bytes));
        assertEquals(Status.INVALID_FRAME, e.status());
    }

    @Test
    void haproxySideChecksTheAgentHello() throws SpopException {
        assertEquals(16380, Handshake.accept(new AgentHello("2.0", 16380, "pipelining"), 16380));
        assertEquals(1024, Handshake.accept(new AgentHello(" 2.0 ", 1024, ""), 16380));
        assertEquals(Status.UNSUPPORTED_VERSION, acceptFailure(new AgentHello("1.0", 16380, "")));
        assertEquals(Status.UNSUPPORTED_VERSION, acceptFailure(new AgentHello("2.1", 16380, "")));
        assertEquals(Status.INVALID_FRAME, acceptFailure(new AgentHello("x", 16380, "")));
        assertEquals(Status.BAD_MAX_FRAME_SIZE, acceptFailure(new AgentHello("2.0", 100, "")));
        assertEquals(Status.BAD_MAX_FRAME_SIZE, acceptFailure(new AgentHello("2.0", 16381, "")));
    }

    @Test
    void versionParsingFollowsHaproxy() {
        assertEquals(2000, Handshake.parseVersion("2.0"));
        assertEquals(1005, Handshake.parseVersion(" 1.5 "));
        assertEquals(2999, Handshake.parseVersion("2.999"));
        assertEquals(-1, Handshake.parseVersion("0.5"));
        assertEquals(-1, Handshake.parseVersion("2.1000"));
        assertEquals(-1, Handshake.parseVersion("2.a"));
        assertFalse(Handshake.offersVersion2("1.5, 3.0"));
    }

    private static Status acceptFailure(AgentHello hello) {
        return assertThrows(SpopException.class, () -> Handshake.accept(hello, 16380)).status();
    }

    private static Status decodeFailure(HaproxyHello hello, String dropped) {
        byte[] bytes = withoutItem(hello, dropped);
        return assertThrows(SpopException.class, () -> Frame.decode(FrameHeader.read(bytes, 0, bytes.length, 16380), bytes)).status();
    }

    /** The encoded HELLO with one KV item removed and the length prefix fixed. */
    private static byte[] withoutItem(HaproxyHello hello, String key) {
        try {
            byte[] full = Vectors.encode(hello);
            FrameHeader header = FrameHeader.read(full, 0, full.length, 16380);
            List<KeyValue> kept = KvList.decode(full, header.payloadOffset(), header.payloadLength()).items().stream()
                    .filter(item -> !item.key().equals(key)).toList();
            byte[] buf = new byte[full.length];
            WireWriter out = new WireWriter(buf);
            out.writeFrame(FrameType.HAPROXY_HELLO, 0, 0, 16380, kept, (items, writer) -> {
                for (KeyValue item : items) {
                    writer.writeName(item.key());
                    writer.writeTypedData(item.value());
                }
            });
            return java.util.Arrays.copyOf(buf, out.position());
        } catch (SpopException e) {
            throw new AssertionError(e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
