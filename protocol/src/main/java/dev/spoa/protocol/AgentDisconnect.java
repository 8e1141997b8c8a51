package dev.spoa.protocol;

import java.util.Optional;

/**
 * AGENT-DISCONNECT (doc/SPOE.txt §3.2.9): the agent ends the connection, with a status code and a message. The agent closes the connection right after sending it.
 *
 * @param statusCode a UINT32; the codes of {@link Status}, or one of the peer's own
 */
public record AgentDisconnect(long statusCode, String message) implements Frame {

    public AgentDisconnect {
        if (statusCode < 0 || statusCode > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("status-code is a UINT32: " + statusCode);
        }
    }

    /** The standard frame for this status, with HAProxy's reason text. */
    public static AgentDisconnect of(Status status) {
        return new AgentDisconnect(status.code(), status.reason());
    }

    @Override
    public FrameType type() {
        return FrameType.AGENT_DISCONNECT;
    }

    /** The status, when the code is one the specification assigns. */
    public Optional<Status> status() {
        return Status.byCode(statusCode);
    }

    static AgentDisconnect decode(WireReader payload) throws SpopException {
        KvList items = KvList.read(payload);
        return new AgentDisconnect(DisconnectPayload.statusCode(items), DisconnectPayload.message(items));
    }

    @Override
    public void encode(WireWriter out, int maxFrameSize) throws FrameTooBigException {
        out.writeFrame(FrameType.AGENT_DISCONNECT, 0, 0, maxFrameSize, this,
                (frame, writer) -> DisconnectPayload.write(frame.statusCode, frame.message, writer));
    }
}
