package dev.spoa.protocol;

import java.util.List;

/**
 * HAPROXY-HELLO (doc/SPOE.txt §3.2.4): the first frame of every connection.
 *
 * @param supportedVersions comma-separated "Major.Minor" list, as sent ("2.0")
 * @param maxFrameSize      HAProxy's limit (tune.bufsize - 4 by default); negative if sent as a negative integer
 * @param capabilities      comma-separated list, as sent ("pipelining,async" on 2.6, "pipelining" on 3.1+)
 * @param healthcheck       true for {@code option spop-check}: answer AGENT-HELLO and close
 * @param engineId          the SPOE engine's id, or null (health checks send none)
 */
public record HaproxyHello(String supportedVersions, long maxFrameSize, String capabilities, boolean healthcheck, String engineId)
        implements Frame {

    static final String SUPPORTED_VERSIONS = "supported-versions";
    static final String MAX_FRAME_SIZE = "max-frame-size";
    static final String CAPABILITIES = "capabilities";
    static final String HEALTHCHECK = "healthcheck";
    static final String ENGINE_ID = "engine-id";

    @Override
    public FrameType type() {
        return FrameType.HAPROXY_HELLO;
    }

    public List<String> capabilityList() {
        return Handshake.splitList(capabilities);
    }

    static HaproxyHello decode(WireReader payload) throws SpopException {
        KvList items = KvList.read(payload);
        boolean healthcheck = items.flag(HEALTHCHECK);
        String versions = items.text(SUPPORTED_VERSIONS, Status.NO_VERSION);
        long maxFrameSize = items.integer(MAX_FRAME_SIZE, Status.NO_MAX_FRAME_SIZE);
        // A health check is answered whatever it offers: do not demand capabilities there.
        String capabilities = healthcheck
                ? items.optionalText(CAPABILITIES, "")
                : items.text(CAPABILITIES, Status.NO_CAPABILITIES);
        return new HaproxyHello(versions, maxFrameSize, capabilities, healthcheck, items.optionalText(ENGINE_ID, null));
    }

    /** Items in HAProxy's own order (mux_spop.c spop_conn_send_hello). */
    @Override
    public void encode(WireWriter out, int maxFrameSize) throws FrameTooBigException {
        out.writeFrame(FrameType.HAPROXY_HELLO, 0, 0, maxFrameSize, this, HaproxyHello::writePayload);
    }

    private static void writePayload(HaproxyHello hello, WireWriter out) throws FrameTooBigException {
        out.writeName(SUPPORTED_VERSIONS);
        out.writeText(hello.supportedVersions);
        out.writeName(MAX_FRAME_SIZE);
        out.writeInteger(DataType.UINT32, hello.maxFrameSize);
        out.writeName(CAPABILITIES);
        out.writeText(hello.capabilities);
        if (hello.engineId != null) {
            out.writeName(ENGINE_ID);
            out.writeText(hello.engineId);
        }
        if (hello.healthcheck) {
            out.writeName(HEALTHCHECK);
            out.writeTypedData(TypedData.TRUE);
        }
    }
}
