package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.Action;
import dev.spoa.protocol.AgentDisconnect;
import dev.spoa.protocol.AgentHello;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.Frame;
import dev.spoa.protocol.HaproxyHello;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.Notify;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.SpopClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The agent as HAProxy sees it, over real sockets: a real front and real worker processes started by
 * bin/spoa-supervisor, and a client that checks every frame as HAProxy would.
 */
class AgentProtocolTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static AgentProcess agent;
    private static SocketAddress address;

    @BeforeAll
    static void startAgent() throws Exception {
        int port = AgentProcess.freePort();
        address = SpopClient.tcp(port);
        agent = TestAgent.start(port, 2);
    }

    @AfterAll
    static void stopAgent() throws Exception {
        if (agent != null) {
            agent.close();
        }
    }

    static byte[] vector(String name) throws IOException {
        try (InputStream in = AgentProtocolTest.class.getResourceAsStream("/spop-vectors/" + name)) {
            return in.readAllBytes();
        }
    }

    private static Message message(String name, Argument... arguments) {
        return new Message(name, List.of(arguments));
    }

    @Test
    void notifyIsAnsweredWithTheHandlersTypedVariables() throws Exception {
        try (SpopClient client = SpopClient.connect(address, WAIT)) {
            client.notify(0, 1, List.of(message("check-client-ip", new Argument("ip", TypedData.Ipv4.parse("127.0.0.1")))));
            Ack ack = assertInstanceOf(Ack.class, client.receive(WAIT));
            assertEquals(0, ack.streamId(), "stream-id 0 is valid (HAProxy 2.6's first stream)");
            assertEquals(1, ack.frameId());
            Map<String, TypedData> vars = vars(ack);
            assertEquals(new TypedData.Int32(77), vars.get("ip_score"));
            assertEquals(TypedData.Ipv4.parse("127.0.0.1"), vars.get("ip_seen"));
            assertEquals(TypedData.Text.of("known"), vars.get("ip_class"));
            assertEquals(TypedData.TRUE, vars.get("checked"));
            assertInstanceOf(TypedData.Int32.class, vars.get("worker"));
        }
    }

    @Test
    void manyNotifiesInFlightOnOneConnectionAreAllAnswered() throws Exception {
        try (SpopClient client = SpopClient.connect(address, WAIT)) {
            int count = 60;
            List<Notify> frames = new java.util.ArrayList<>();
            for (int i = 0; i < count; i++) {
                frames.add(new Notify(2L * i + 1, 1, List.of(message("count", new Argument("n", new TypedData.Int64(i))))));
            }
            client.sendAll(frames);
            Map<Long, Long> answers = new HashMap<>();
            for (int i = 0; i < count; i++) {
                Ack ack = assertInstanceOf(Ack.class, client.receive(WAIT));
                answers.put(ack.streamId(), ((TypedData.Int64) vars(ack).get("next")).value());
            }
            for (int i = 0; i < count; i++) {
                assertEquals(i + 1L, answers.get(2L * i + 1), "stream " + (2 * i + 1));
            }
        }
    }

    @Test
    void aFrameArrivingInPiecesIsPutTogether() throws Exception {
        try (SpopClient client = SpopClient.connect(address, WAIT)) {
            byte[] frame = encode(new Notify(13, 1, List.of(message("count", new Argument("n", new TypedData.Int64(99))))));
            for (byte b : frame) {
                client.sendRaw(new byte[] {b});
                Thread.sleep(2);
            }
            Ack ack = assertInstanceOf(Ack.class, client.receive(WAIT));
            assertEquals(new TypedData.Int64(100), vars(ack).get("next"));
        }
    }

    @Test
    void aNotifyBiggerThanTheReadBufferGoesThroughTheQueuesWhole() throws Exception {
        int haproxyMaxFrameSize = 900_000; // a large tune.bufsize, below the agent's own limit
        try (SpopClient client = SpopClient.connect(address, WAIT, haproxyMaxFrameSize)) {
            assertEquals(haproxyMaxFrameSize, client.maxFrameSize(), "HAProxy's size is echoed");
            byte[] body = new byte[700_000];
            new java.util.Random(7).nextBytes(body);
            client.notify(15, 3, List.of(message("count", new Argument("n", new TypedData.Int64(1)),
                    new Argument("body", new TypedData.Binary(body)))));
            Ack ack = assertInstanceOf(Ack.class, client.receive(WAIT));
            assertEquals(15, ack.streamId());
            assertEquals(new TypedData.Int64(2), vars(ack).get("next"));
        }
    }

    private static byte[] encode(Notify notify) throws Exception {
        byte[] buf = new byte[4 + SpopClient.MAX_FRAME_SIZE];
        dev.spoa.protocol.WireWriter writer = new dev.spoa.protocol.WireWriter(buf);
        notify.encode(writer, SpopClient.MAX_FRAME_SIZE);
        return java.util.Arrays.copyOf(buf, writer.position());
    }

    @Test
    void unknownMessageGetsAnEmptyAck() throws Exception {
        try (SpopClient client = SpopClient.connect(address, WAIT)) {
            client.notify(5, 2, List.of(message("nobody-registered-this", new Argument("x", TypedData.NULL))));
            Ack ack = assertInstanceOf(Ack.class, client.receive(WAIT));
            assertEquals(new Ack(5, 2, List.of()), ack);
        }
    }

    @Test
    void handlerErrorSetsTheErrorVariableAndTheWorkerKeepsServing() throws Exception {
        try (SpopClient client = SpopClient.connect(address, WAIT)) {
            for (int round = 0; round < 4; round++) {
                client.notify(7, round + 1, List.of(message("fail")));
                Ack failed = assertInstanceOf(Ack.class, client.receive(WAIT));
                assertEquals(TypedData.Text.of("handler"), vars(failed).get("error"));
                client.notify(9, round + 1, List.of(message("count", new Argument("n", new TypedData.Int64(41)))));
                Ack ok = assertInstanceOf(Ack.class, client.receive(WAIT));
                assertEquals(new TypedData.Int64(42), vars(ok).get("next"));
            }
        }
        assertTrue(agent.log().contains("e2e.lua:"), "the failure is logged with the script's file:line");
    }

    @Test
    void malformedFramesGetTheirStatusCodeAndTheAgentServesOn() throws Exception {
        Map<String, Integer> statusByVector = Map.ofEntries(
                Map.entry("malformed-truncated-varint.bin", 4),
                Map.entry("malformed-length-beyond-max-frame-size.bin", 3),
                Map.entry("malformed-bad-data-type.bin", 4),
                Map.entry("malformed-notify-without-fin.bin", 10),
                Map.entry("malformed-frame-shorter-than-header.bin", 4),
                Map.entry("malformed-kv-list-cut-short.bin", -4),
                Map.entry("malformed-kv-string-past-end.bin", -4),
                Map.entry("malformed-hello-unsupported-version.bin", -8),
                Map.entry("malformed-hello-missing-max-frame-size.bin", -6),
                Map.entry("malformed-hello-nonzero-stream-id.bin", -4),
                Map.entry("malformed-notify-before-hello.bin", -4));
        // Negative: sent as the first frame of a connection; positive: after a good HELLO.
        for (Map.Entry<String, Integer> entry : statusByVector.entrySet()) {
            try (SpopClient client = SpopClient.open(address)) {
                if (entry.getValue() > 0) {
                    client.hello(new HaproxyHello("2.0", 16380, "pipelining", false, null), WAIT);
                }
                client.sendRaw(vector(entry.getKey()));
                AgentDisconnect goodbye = assertInstanceOf(AgentDisconnect.class, client.receive(WAIT), entry.getKey());
                assertEquals(Math.abs(entry.getValue()), goodbye.statusCode(), entry.getKey());
                assertTrue(client.closedByAgent(WAIT), entry.getKey() + ": the agent closes after its AGENT-DISCONNECT");
            }
        }
        notifyIsAnsweredWithTheHandlersTypedVariables();
    }

    @Test
    void unknownFrameTypeIsSkipped() throws Exception {
        try (SpopClient client = SpopClient.connect(address, WAIT)) {
            client.sendRaw(vector("malformed-unknown-frame-type.bin"));
            client.notify(11, 1, List.of(message("count", new Argument("n", new TypedData.Int64(1)))));
            Ack ack = assertInstanceOf(Ack.class, client.receive(WAIT));
            assertEquals(11, ack.streamId());
        }
    }

    @Test
    void connectAndCloseIsNotAnError() throws Exception {
        for (int i = 0; i < 5; i++) {
            SpopClient.open(address).close();
        }
        notifyIsAnsweredWithTheHandlersTypedVariables();
        assertFalse(agent.log().contains("WARN") && agent.log().contains("closed without"), "a probe is not worth a warning");
    }

    @Test
    void healthCheckIsAnsweredThenClosed() throws Exception {
        try (SpopClient client = SpopClient.open(address)) {
            client.sendRaw(vector("haproxy-hello-healthcheck.bin"));
            AgentHello hello = assertInstanceOf(AgentHello.class, client.receive(WAIT));
            assertEquals("2.0", hello.version());
            assertEquals(256, hello.maxFrameSize(), "what HAProxy 3.x's spop-check accepts whatever its bufsize");
            assertNull(client.receive(WAIT), "nothing follows the answer to a health check");
        }
    }

    @Test
    void haproxyDisconnectIsAnsweredWithStatusZero() throws Exception {
        try (SpopClient client = SpopClient.connect(address, WAIT)) {
            client.disconnect();
            Frame goodbye = client.receive(WAIT);
            assertEquals(AgentDisconnect.of(dev.spoa.protocol.Status.NORMAL), goodbye);
            assertTrue(client.closedByAgent(WAIT));
        }
    }

    static Map<String, TypedData> vars(Ack ack) {
        Map<String, TypedData> vars = new HashMap<>();
        for (Action action : ack.actions()) {
            Action.SetVar setVar = assertInstanceOf(Action.SetVar.class, action);
            assertEquals(VarScope.TXN, setVar.scope());
            vars.put(setVar.name(), setVar.value());
        }
        return vars;
    }
}
