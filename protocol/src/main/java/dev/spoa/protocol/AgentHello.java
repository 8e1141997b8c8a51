package dev.spoa.protocol;

import java.util.List;

/**
 * AGENT-HELLO (doc/SPOE.txt §3.2.5): the agent's answer to HAPROXY-HELLO. Built by
 * {@link Handshake#answer}; decoded by HAProxy's side ({@link Handshake#accept}).
 */
public record AgentHello(String version, long maxFrameSize, String capabilities) implements Frame {

    static final String VERSION = "version";

    @Override
    public FrameType type() {
        return FrameType.AGENT_HELLO;
    }

    public List<String> capabilityList() {
        return Handshake.splitList(capabilities);
    }

    static AgentHello decode(WireReader payload) throws SpopException {
        KvList items = KvList.read(payload);
        return new AgentHello(
                items.text(VERSION, Status.NO_VERSION),
                items.integer(HaproxyHello.MAX_FRAME_SIZE, Status.NO_MAX_FRAME_SIZE),
                items.text(HaproxyHello.CAPABILITIES, Status.NO_CAPABILITIES));
    }

    @Override
    public void encode(WireWriter out, int maxFrameSize) throws FrameTooBigException {
        out.writeFrame(FrameType.AGENT_HELLO, 0, 0, maxFrameSize, this, AgentHello::writePayload);
    }

    private static void writePayload(AgentHello hello, WireWriter out) throws FrameTooBigException {
        out.writeName(VERSION);
        out.writeText(hello.version);
        out.writeName(HaproxyHello.MAX_FRAME_SIZE);
        out.writeInteger(DataType.UINT32, hello.maxFrameSize);
        out.writeName(HaproxyHello.CAPABILITIES);
        out.writeText(hello.capabilities);
    }
}
