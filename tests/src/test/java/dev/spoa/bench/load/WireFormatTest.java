package dev.spoa.bench.load;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.Action;
import dev.spoa.protocol.AgentDisconnect;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.Frame;
import dev.spoa.protocol.FrameHeader;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.Notify;
import dev.spoa.protocol.Status;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import dev.spoa.protocol.WireWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The generator's own NOTIFY writer and ACK scanner agree with the protocol module, byte for byte. */
class WireFormatTest {
    private static final AckCheck CHECK = new AckCheck("ip_score", "spoa_error");
    private static final long[] STREAM_IDS = {0, 1, 239, 240, 2287, 2288, 264431, 264432, 1L << 40, Long.MAX_VALUE, -1L};

    @Test
    void notifyFramesAreWhatTheCodecWrites() throws Exception {
        for (long streamId : STREAM_IDS) {
            int address = NotifyFrames.address(streamId * 7919);
            byte[] ours = new byte[NotifyFrames.MAX_SIZE];
            int end = NotifyFrames.write(ours, 0, streamId, address);
            Notify notify = new Notify(streamId, 1, List.of(new Message(NotifyFrames.MESSAGE,
                    List.of(new Argument(NotifyFrames.ARGUMENT, new TypedData.Ipv4(address))))));
            assertArrayEquals(encode(notify), Arrays.copyOf(ours, end), "stream-id " + Long.toUnsignedString(streamId));
        }
    }

    @Test
    void addressesAreTenSlashEight() {
        assertEquals(0x0A000000, NotifyFrames.address(0));
        assertEquals(0x0AFFFFFF, NotifyFrames.address(0xFFFFFF));
        assertEquals(0x0A000000, NotifyFrames.address(0x1000000));
    }

    @Test
    void scansAcksAsTheCodecWritesThem() throws Exception {
        FrameScanner scanner = new FrameScanner(CHECK, 16380);
        for (long streamId : STREAM_IDS) {
            byte[] frame = encode(new Ack(streamId, 1, List.of(
                    new Action.SetVar(VarScope.TXN, "ip_score", new TypedData.Int32(-5)),
                    new Action.SetVar(VarScope.SESS, "blob", new TypedData.Text(new byte[300])),
                    new Action.UnsetVar(VarScope.REQ, "spoa_error"))));
            assertTrue(scanner.scan(frame, 0, frame.length));
            assertEquals(FrameScanner.ACK, scanner.type);
            assertEquals(streamId, scanner.streamId);
            assertEquals(1, scanner.frameId);
            assertEquals(frame.length, scanner.frameEnd);
            assertEquals(3, scanner.actions);
            assertTrue(scanner.setsExpected);
            assertFalse(scanner.setsError, "unsetting the error variable is no error");
        }
    }

    @Test
    void everyValueTypeIsSkipped() throws Exception {
        FrameScanner scanner = new FrameScanner(CHECK, 16380);
        List<TypedData> values = List.of(TypedData.NULL, TypedData.TRUE, new TypedData.Int32(7), new TypedData.Uint32(1L << 31),
                new TypedData.Int64(-1), new TypedData.Uint64(-1), new TypedData.Ipv4(0x7F000001),
                TypedData.Ipv6.parse("2001:db8::1"), TypedData.Text.of("x".repeat(250)), new TypedData.Binary(new byte[3]));
        for (TypedData value : values) {
            byte[] frame = encode(new Ack(3, 1, List.of(new Action.SetVar(VarScope.TXN, "v", value),
                    new Action.SetVar(VarScope.TXN, "spoa_error", TypedData.Text.of("timeout")))));
            assertTrue(scanner.scan(frame, 0, frame.length), value.toString());
            assertEquals(2, scanner.actions, value.toString());
            assertFalse(scanner.setsExpected);
            assertTrue(scanner.setsError);
        }
    }

    @Test
    void aNameThatOnlyStartsLikeTheVariableDoesNotCount() throws Exception {
        FrameScanner scanner = new FrameScanner(CHECK, 16380);
        byte[] frame = encode(new Ack(3, 1, List.of(new Action.SetVar(VarScope.TXN, "ip_scores", new TypedData.Int32(1)),
                new Action.SetVar(VarScope.TXN, "ip_scor", new TypedData.Int32(1)))));
        assertTrue(scanner.scan(frame, 0, frame.length));
        assertFalse(scanner.setsExpected);
    }

    @Test
    void anAckWithoutActionsIsCountedAsSuch() throws Exception {
        FrameScanner scanner = new FrameScanner(CHECK, 16380);
        byte[] frame = encode(new Ack(9, 1, List.of()));
        assertTrue(scanner.scan(frame, 0, frame.length));
        assertEquals(0, scanner.actions);
    }

    @Test
    void incompleteFramesWaitForTheirBytes() throws Exception {
        FrameScanner scanner = new FrameScanner(CHECK, 16380);
        byte[] frame = encode(new Ack(300, 1, List.of(new Action.SetVar(VarScope.TXN, "ip_score", new TypedData.Int32(1)))));
        for (int length = 0; length < frame.length; length++) {
            assertFalse(scanner.scan(frame, 0, length), "only " + length + " bytes");
        }
        assertTrue(scanner.scan(frame, 0, frame.length));
    }

    @Test
    void malformedAcksAreFailures() throws Exception {
        FrameScanner scanner = new FrameScanner(CHECK, 16380);
        byte[] frame = encode(new Ack(5, 1, List.of(new Action.SetVar(VarScope.TXN, "ip_score", new TypedData.Int32(1)))));
        byte[] unknownAction = frame.clone();
        unknownAction[frame.length - 14] = 9; // the action type byte: set-var(1) 3 scope 8 "ip_score" 0x02 0x01
        assertThrows(LoadFailure.class, () -> scanner.scan(unknownAction, 0, unknownAction.length));
        byte[] cut = Arrays.copyOf(frame, frame.length - 1);
        cut[3]--; // one byte shorter: the value is cut
        assertThrows(LoadFailure.class, () -> scanner.scan(cut, 0, cut.length));
        byte[] noFin = frame.clone();
        noFin[8] = 0;
        assertThrows(LoadFailure.class, () -> scanner.scan(noFin, 0, noFin.length));
        FrameScanner small = new FrameScanner(CHECK, 256);
        byte[] big = encode(new Ack(5, 1, List.of(new Action.SetVar(VarScope.TXN, "b", new TypedData.Binary(new byte[300])))));
        assertThrows(LoadFailure.class, () -> small.scan(big, 0, big.length));
    }

    @Test
    void agentDisconnectsAreReportedWithTheirStatusAndMessage() throws Exception {
        byte[] frame = encode(new AgentDisconnect(Status.TIMEOUT.code(), "too slow"));
        FrameScanner scanner = new FrameScanner(CHECK, 16380);
        assertTrue(scanner.scan(frame, 0, frame.length));
        assertEquals(FrameScanner.AGENT_DISCONNECT, scanner.type);
        String message = Disconnects.failure(frame, 0, frame.length, 16380).getMessage();
        assertTrue(message.contains("status 2") && message.contains("too slow"), message);
    }

    @Test
    void framesFollowEachOtherInOneBuffer() throws Exception {
        byte[] first = encode(new Ack(1, 1, List.of(new Action.SetVar(VarScope.TXN, "ip_score", new TypedData.Int32(1)))));
        byte[] second = encode(new Ack(2, 1, List.of()));
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        FrameScanner scanner = new FrameScanner(CHECK, 16380);
        assertTrue(scanner.scan(both, 0, both.length));
        assertEquals(1, scanner.streamId);
        assertTrue(scanner.scan(both, scanner.frameEnd, both.length));
        assertEquals(2, scanner.streamId);
        assertEquals(both.length, scanner.frameEnd);
        FrameHeader.read(both, 0, both.length, 16380); // the codec agrees on where the first one ends
    }

    private static byte[] encode(Frame frame) throws Exception {
        byte[] buffer = new byte[20_000];
        WireWriter writer = new WireWriter(buffer);
        frame.encode(writer, 16380);
        return Arrays.copyOf(buffer, writer.position());
    }
}
