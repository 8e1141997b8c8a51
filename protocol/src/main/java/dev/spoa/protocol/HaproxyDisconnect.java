package dev.spoa.protocol;

import java.util.Optional;

/**
 * HAPROXY-DISCONNECT (doc/SPOE.txt §3.2.8): HAProxy ends the connection, with a status code and a message. HAProxy waits for an AGENT-DISCONNECT in reply, then the agent closes.
 *
 * @param statusCode a UINT32; the codes of {@link Status}, or one of the peer's own
 */
public record HaproxyDisconnect(long statusCode, String message) implements Frame {

    public HaproxyDisconnect {
        if (statusCode < 0 || statusCode > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("status-code is a UINT32: " + statusCode);
        }
    }

    /** The standard frame for this status, with HAProxy's reason text. */
    public static HaproxyDisconnect of(Status status) {
        return new HaproxyDisconnect(status.code(), status.reason());
    }

    @Override
    public FrameType type() {
        return FrameType.HAPROXY_DISCONNECT;
    }

    /** The status, when the code is one the specification assigns. */
    public Optional<Status> status() {
        return Status.byCode(statusCode);
    }

    static HaproxyDisconnect decode(WireReader payload) throws SpopException {
        KvList items = KvList.read(payload);
        return new HaproxyDisconnect(DisconnectPayload.statusCode(items), DisconnectPayload.message(items));
    }

    @Override
    public void encode(WireWriter out, int maxFrameSize) throws FrameTooBigException {
        out.writeFrame(FrameType.HAPROXY_DISCONNECT, 0, 0, maxFrameSize, this,
                (frame, writer) -> DisconnectPayload.write(frame.statusCode, frame.message, writer));
    }
}
