package dev.spoa.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncoderLimitsTest {

    /** An ACK whose frame is exactly {@code frameSize} bytes (length prefix excluded): one set-var of a STRING. */
    private static Ack ackOfFrameSize(int frameSize) {
        // header: type 1 + flags 4 + stream-id 1 + frame-id 1; action: 3 bytes + name (1+1) + STRING type 1 + length varint
        int fixed = 7 + 3 + 2 + 1;
        int valueLength = frameSize - fixed - 1;
        if (Varint.size(valueLength) > 1) {
            valueLength = frameSize - fixed - Varint.size(valueLength);
        }
        return new Ack(1, 1, List.of(new Action.SetVar(VarScope.TXN, "v", new TypedData.Text(new byte[valueLength]))));
    }

    @Test
    void ackThatFitsExactlyIsWrittenAndOneByteMoreIsRefused() throws SpopException {
        byte[] buf = new byte[4096];
        WireWriter out = new WireWriter(buf);
        ackOfFrameSize(1000).encode(out, 1000);
        assertEquals(1004, out.position());
        FrameHeader header = FrameHeader.read(buf, 0, out.position(), 1000);
        assertEquals(1004, header.end());

        out.reset(buf, 0, buf.length);
        FrameTooBigException e = assertThrows(FrameTooBigException.class, () -> ackOfFrameSize(1001).encode(out, 1000));
        assertEquals(Status.TOO_BIG, e.status());
        assertEquals(0, out.position(), "writer back at the frame's start");
        assertEquals(buf.length, out.limit(), "limit restored");
    }

    @Test
    void framesGoBackToBackIntoOneBufferAndAFailureKeepsTheOthers() throws SpopException {
        byte[] buf = new byte[64 * 1024];
        WireWriter out = new WireWriter(buf);
        List<Ack> acks = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Ack ack = new Ack(i, i + 1, List.of(new Action.SetVar(VarScope.TXN, "n", new TypedData.Int64(i))));
            ack.encode(out, 16380);
            acks.add(ack);
            int before = out.position();
            assertThrows(FrameTooBigException.class, () -> ackOfFrameSize(20_000).encode(out, 16380));
            assertEquals(before, out.position());
        }
        FrameDecoder decoder = FrameDecoder.forHaproxy(16380);
        byte[] hello = Vectors.encode(new AgentHello("2.0", 16380, "pipelining"));
        decoder.next(hello, 0, hello.length);
        int pos = 0;
        for (Ack expected : acks) {
            FrameHeader header = decoder.next(buf, pos, out.position() - pos);
            assertEquals(expected, Frame.decode(header, buf));
            pos = header.end();
        }
        assertEquals(out.position(), pos);
    }

    @Test
    void workerEncodedPayloadWrappedByTheFrontIsTheSameAck() throws SpopException {
        List<Action> actions = List.of(
                new Action.SetVar(VarScope.TXN, "ip_score", new TypedData.Int32(42)),
                new Action.SetVar(VarScope.TXN, "ip_class", TypedData.Text.of("neutral")));
        byte[] payload = new byte[256];
        WireWriter worker = new WireWriter(payload);
        ActionList.encode(actions, worker);

        byte[] buf = new byte[512];
        WireWriter front = new WireWriter(buf);
        Ack.encode(front, 7, 2, payload, 0, worker.position(), 16380);
        assertArrayEquals(Vectors.resource("ack-ip-reputation.bin"), Arrays.copyOf(buf, front.position()));
        assertArrayEquals(Vectors.resource("ack-ip-reputation.bin"), Vectors.encode(new Ack(7, 2, actions)));

        assertEquals(16380 - 7, Ack.maxPayload(7, 2, 16380));
        byte[] exact = new byte[Ack.maxPayload(300, 2, 300)];
        Ack.encode(new WireWriter(new byte[512]), 300, 2, exact, 0, exact.length, 300);
        assertThrows(FrameTooBigException.class,
                () -> Ack.encode(new WireWriter(new byte[512]), 300, 2, new byte[exact.length + 1], 0, exact.length + 1, 300));

        WireWriter tooSmall = new WireWriter(new byte[256], 0, 20);
        assertThrows(FrameTooBigException.class, () -> ActionList.encode(actions, tooSmall));
        assertEquals(0, tooSmall.position(), "nothing kept: the worker answers with an error ACK instead");
    }

    @Test
    void unsetVarAndEveryScope() throws SpopException {
        List<Action> actions = new ArrayList<>();
        for (VarScope scope : VarScope.values()) {
            actions.add(new Action.UnsetVar(scope, "u_" + scope.label()));
            actions.add(new Action.SetVar(scope, "s_" + scope.label(), TypedData.NULL));
        }
        byte[] bytes = Vectors.encode(new Ack(3, 1, actions));
        FrameHeader header = FrameHeader.read(bytes, 0, bytes.length, 16380);
        assertEquals(actions, ActionList.decode(bytes, header.payloadOffset(), header.payloadLength()));
        assertArrayEquals(Vectors.resource("ack-unset-var.bin"),
                Vectors.encode(new Ack(5, 2, List.of(new Action.UnsetVar(VarScope.TXN, "ip_score")))));
    }

    @Test
    void disconnectMessagesAreCutTo255BytesAsHaproxyRequires() throws SpopException {
        String longReason = "é".repeat(200); // 400 bytes in UTF-8
        byte[] bytes = Vectors.encode(new AgentDisconnect(99, longReason));
        AgentDisconnect decoded = (AgentDisconnect) Frame.decode(FrameHeader.read(bytes, 0, bytes.length, 16380), bytes);
        assertEquals("é".repeat(127), decoded.message(), "254 bytes: the next character would make 256");
        assertEquals("x".repeat(255), Utf8.truncate("x".repeat(300), 255));
        assertEquals("ab", Utf8.truncate("ab\uD83D\uDE00", 5), "a surrogate pair is kept whole or dropped whole");
        assertEquals("ab\uD83D\uDE00", Utf8.truncate("ab\uD83D\uDE00", 6));
    }

    @Test
    void strictActionDecoding() {
        assertInvalidActions(new byte[] {3, 2, 2, 1, 'x'}); // unknown action type
        assertInvalidActions(new byte[] {1, 2, 2, 1, 'x', 0}); // set-var with 2 args
        assertInvalidActions(new byte[] {2, 3, 2, 1, 'x'}); // unset-var with 3 args
        assertInvalidActions(new byte[] {2, 2, 5, 1, 'x'}); // unknown scope
        assertInvalidActions(new byte[] {1, 3, 2, 1, 'x'}); // value missing
    }

    private static void assertInvalidActions(byte[] payload) {
        assertEquals(Status.INVALID_FRAME,
                assertThrows(SpopException.class, () -> ActionList.decode(payload, 0, payload.length)).status());
    }
}
