package dev.spoa.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static final int MAX = Vectors.HAPROXY_MAX_FRAME_SIZE;
    private static final byte[] HELLO = Vectors.resource("haproxy-hello.bin");
    private static final byte[] NOTIFY = Vectors.resource("notify-client-session-ipv4.bin");

    @Test
    void frameArrivingByteByByteIsReturnedOnlyWhenComplete() throws SpopException {
        FrameDecoder decoder = FrameDecoder.forAgent(MAX);
        for (int available = 0; available < HELLO.length; available++) {
            assertNull(decoder.next(HELLO, 0, available));
            assertEquals(available < 4 ? 4 : HELLO.length, decoder.bytesNeeded());
        }
        FrameHeader header = decoder.next(HELLO, 0, HELLO.length);
        assertEquals(FrameType.HAPROXY_HELLO, header.type());
        assertTrue(decoder.helloSeen());
    }

    @Test
    void lengthAboveTheLimitIsRefusedBeforeTheBodyArrives() {
        byte[] prefixOnly = {0, 0, 0x40, 0x01};
        SpopException e = assertThrows(SpopException.class, () -> FrameDecoder.forAgent(MAX).next(prefixOnly, 0, 4));
        assertEquals(Status.TOO_BIG, e.status());
        byte[] huge = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        assertEquals(Status.TOO_BIG, assertThrows(SpopException.class, () -> FrameDecoder.forAgent(MAX).next(huge, 0, 4)).status());
    }

    @Test
    void claimedLengthsAllocateNothing() throws SpopException {
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        // A NOTIFY whose only argument claims a 2^62-byte STRING, and one claiming 16000 bytes with 5 there.
        byte[] hugeClaim = framed("03 00000001 0101 01 6d 01 01 61 08" + HexFormat.of().formatHex(VarintTest.encode(1L << 62)));
        byte[] shortOfClaim = framed("03 00000001 0101 01 6d 01 01 61 08" + HexFormat.of().formatHex(VarintTest.encode(16000)) + "6162636465");
        FrameDecoder decoder = FrameDecoder.forAgent(MAX);
        decoder.next(HELLO, 0, HELLO.length);
        for (int round = 0; round < 3; round++) {
            for (byte[] frame : List.of(hugeClaim, shortOfClaim)) {
                FrameHeader header = decoder.next(frame, 0, frame.length);
                long before = threads.getCurrentThreadAllocatedBytes();
                assertThrows(SpopException.class, () -> Frame.decode(header, frame));
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                if (round == 2) {
                    assertTrue(allocated < 2048, "allocated " + allocated + " bytes for a claim, not for data");
                }
            }
        }
    }

    @Test
    void negotiatedLimitAppliesAfterTheHello() throws SpopException {
        FrameDecoder decoder = FrameDecoder.forAgent(1 << 20);
        assertNotNull(decoder.next(HELLO, 0, HELLO.length));
        decoder.useMaxFrameSize(300);
        byte[] big = Vectors.resource("notify-frontend-request-binary-body.bin"); // 547-byte frame
        assertEquals(Status.TOO_BIG, assertThrows(SpopException.class, () -> decoder.next(big, 0, big.length)).status());
        assertThrows(IllegalArgumentException.class, () -> decoder.useMaxFrameSize(255));
    }

    @Test
    void firstFrameMustBeTheHello() {
        assertEquals(Status.INVALID_FRAME,
                assertThrows(SpopException.class, () -> FrameDecoder.forAgent(MAX).next(NOTIFY, 0, NOTIFY.length)).status());
        byte[] unknown = Vectors.resource("malformed-unknown-frame-type.bin");
        assertThrows(SpopException.class, () -> FrameDecoder.forAgent(MAX).next(unknown, 0, unknown.length));
        byte[] ack = Vectors.resource("ack-ip-reputation.bin");
        assertThrows(SpopException.class, () -> FrameDecoder.forHaproxy(MAX).next(ack, 0, ack.length));
    }

    @Test
    void disconnectMayComeBeforeTheHello() throws SpopException {
        byte[] bye = Vectors.resource("haproxy-disconnect-normal.bin");
        assertEquals(FrameType.HAPROXY_DISCONNECT, FrameDecoder.forAgent(MAX).next(bye, 0, bye.length).type());
        byte[] refusal = Vectors.resource("agent-disconnect-error.bin");
        assertEquals(FrameType.AGENT_DISCONNECT, FrameDecoder.forHaproxy(MAX).next(refusal, 0, refusal.length).type());
    }

    @Test
    void framesFromTheWrongSideAndSecondHellosAreInvalid() throws SpopException {
        FrameDecoder agent = FrameDecoder.forAgent(MAX);
        agent.next(HELLO, 0, HELLO.length);
        for (String wrong : List.of("ack-ip-reputation.bin", "agent-hello.bin", "agent-disconnect-normal.bin", "haproxy-hello.bin")) {
            byte[] bytes = Vectors.resource(wrong);
            assertEquals(Status.INVALID_FRAME, assertThrows(SpopException.class, () -> agent.next(bytes, 0, bytes.length), wrong).status());
        }
        FrameDecoder haproxy = FrameDecoder.forHaproxy(MAX);
        byte[] agentHello = Vectors.resource("agent-hello.bin");
        haproxy.next(agentHello, 0, agentHello.length);
        assertThrows(SpopException.class, () -> haproxy.next(NOTIFY, 0, NOTIFY.length));
    }

    @Test
    void validationIsForNotifyFramesOnly() throws SpopException {
        FrameDecoder decoder = FrameDecoder.forAgent(MAX);
        FrameHeader hello = decoder.next(HELLO, 0, HELLO.length);
        assertThrows(IllegalArgumentException.class, () -> decoder.validateNotify(hello, HELLO));
        FrameHeader notify = decoder.next(NOTIFY, 0, NOTIFY.length);
        assertEquals(1, decoder.validateNotify(notify, NOTIFY));
        assertEquals(Frame.decode(notify, NOTIFY), decoder.decode(notify, NOTIFY));
    }

    @Test
    void unknownFrameTypesAreHandedBackToSkip() throws SpopException {
        FrameDecoder decoder = FrameDecoder.forAgent(MAX);
        decoder.next(HELLO, 0, HELLO.length);
        byte[] unknown = Vectors.resource("malformed-unknown-frame-type.bin");
        FrameHeader header = decoder.next(unknown, 0, unknown.length);
        assertEquals(FrameType.UNKNOWN, header.type());
        assertEquals(42, header.typeCode());
        assertEquals(unknown.length, header.end());
    }

    @Test
    void headerRules() throws SpopException {
        FrameDecoder decoder = FrameDecoder.forAgent(MAX);
        decoder.next(HELLO, 0, HELLO.length);
        assertInvalid(decoder, "00000000");
        assertInvalid(decoder, "0000000103");
        assertInvalid(decoder, "000000050300000001"); // no room for stream-id and frame-id
        assertEquals(Status.FRAGMENTATION_NOT_SUPPORTED,
                assertThrows(SpopException.class, () -> decoder.next(hex("000000070300000000 0101"), 0, 11)).status());
        FrameHeader aborted = decoder.next(hex("000000070300000003 0101"), 0, 11);
        assertTrue(aborted.aborted());
        String maxId = HexFormat.of().formatHex(VarintTest.encode(-1L)); // ten bytes
        FrameHeader big = decoder.next(hex("0000001003 00000001" + maxId + "01"), 0, 20);
        assertEquals(-1L, big.streamId(), "stream-ids are 64-bit");
        assertInvalid(decoder, "0000001103 00000001" + maxId.substring(0, 18) + "8001" + "01"); // eleven-byte varint
    }

    @Test
    void helloAndDisconnectCarryNoStream() {
        byte[] nonzero = Vectors.resource("malformed-hello-nonzero-stream-id.bin");
        assertThrows(SpopException.class, () -> FrameDecoder.forAgent(MAX).next(nonzero, 0, nonzero.length));
        byte[] disconnectWithFrameId = hex("0000000702 00000001 0001");
        assertThrows(SpopException.class, () -> FrameDecoder.forAgent(MAX).next(disconnectWithFrameId, 0, disconnectWithFrameId.length));
    }

    @Test
    void framesAreFoundAtAnyOffsetOfABiggerBuffer() throws SpopException {
        byte[] stream = Vectors.resource("stream-pipelining-haproxy-to-agent.bin");
        byte[] padded = new byte[stream.length + 7];
        System.arraycopy(stream, 0, padded, 3, stream.length);
        FrameDecoder decoder = FrameDecoder.forAgent(MAX);
        int pos = 3;
        int frames = 0;
        FrameHeader header;
        while ((header = decoder.next(padded, pos, stream.length + 3 - pos)) != null) {
            pos = header.end();
            frames++;
        }
        assertEquals(10, frames);
        assertEquals(stream.length + 3, pos);
    }

    private static void assertInvalid(FrameDecoder decoder, String frame) {
        byte[] bytes = hex(frame);
        assertEquals(Status.INVALID_FRAME, assertThrows(SpopException.class, () -> decoder.next(bytes, 0, bytes.length), frame).status());
    }

    /** The frame body given in hex, behind its length prefix. */
    private static byte[] framed(String body) {
        byte[] frame = hex(body);
        return TypedDataTest.concat(new byte[] {0, 0, (byte) (frame.length >> 8), (byte) frame.length}, frame);
    }

    private static byte[] hex(String text) {
        return HexFormat.of().parseHex(text.replace(" ", ""));
    }
}
