package dev.spoa.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * The HELLO negotiation, for both sides: what the agent answers to a HAPROXY-HELLO
 * ({@link #answer}) and what HAProxy checks in an AGENT-HELLO ({@link #accept}, as mux_spop.c does).
 */
public final class Handshake {
    /** The only SPOP version there is; answered exactly so. */
    public static final String VERSION = "2.0";
    /** The one capability we announce; never "fragmentation" (a frame without FIN is status 10) nor "async". */
    public static final String PIPELINING = "pipelining";
    /** The smallest max-frame-size either side may announce (doc/SPOE.txt §3.2). */
    public static final int MIN_FRAME_SIZE = 256;
    /** The largest max-frame-size this codec handles: a frame plus its length prefix must fit in a Java array. */
    public static final int LARGEST_FRAME_SIZE = Integer.MAX_VALUE - 8;

    private Handshake() {
    }

    /**
     * The AGENT-HELLO for this HAPROXY-HELLO: version "2.0", max-frame-size the smaller of HAProxy's
     * and ours, capability "pipelining".
     *
     * <p>A health check ({@code option spop-check}) is answered with max-frame-size 256: HAProxy 3.x
     * sends a fixed 16380 in that HELLO but checks the answer against its own tune.bufsize - 4,
     * so an echo marks the agent down wherever bufsize is below 16384. No NOTIFY follows a check.
     *
     * @param agentMaxFrameSize our configured limit, at least {@value #MIN_FRAME_SIZE}. Echoing
     *     HAProxy's value is the safe choice: an agent limit below the size of HAProxy's NOTIFYs
     *     fails every such stream
     * @throws SpopException {@link Status#UNSUPPORTED_VERSION} if no 2.x version is offered,
     *     {@link Status#BAD_MAX_FRAME_SIZE} if HAProxy's limit is below {@value #MIN_FRAME_SIZE}
     */
    public static AgentHello answer(HaproxyHello hello, int agentMaxFrameSize) throws SpopException {
        checkFrameSize(agentMaxFrameSize);
        if (!offersVersion2(hello.supportedVersions())) {
            throw new SpopException(Status.UNSUPPORTED_VERSION,
                    "HAProxy offers SPOP versions \"" + hello.supportedVersions() + "\"; this agent speaks " + VERSION);
        }
        if (hello.maxFrameSize() < MIN_FRAME_SIZE) {
            throw new SpopException(Status.BAD_MAX_FRAME_SIZE,
                    "HAProxy's max-frame-size " + hello.maxFrameSize() + " is below " + MIN_FRAME_SIZE);
        }
        long maxFrameSize = hello.healthcheck() ? MIN_FRAME_SIZE : Math.min(hello.maxFrameSize(), agentMaxFrameSize);
        return new AgentHello(VERSION, maxFrameSize, PIPELINING);
    }

    /** Rejects a configured max-frame-size outside 256..{@link #LARGEST_FRAME_SIZE}. */
    static void checkFrameSize(int maxFrameSize) {
        if (maxFrameSize < MIN_FRAME_SIZE || maxFrameSize > LARGEST_FRAME_SIZE) {
            throw new IllegalArgumentException("max-frame-size must be between " + MIN_FRAME_SIZE + " and "
                    + LARGEST_FRAME_SIZE + ": " + maxFrameSize);
        }
    }

    /**
     * HAProxy's side: checks an AGENT-HELLO against what was offered and returns the max-frame-size
     * that applies from now on.
     *
     * @throws SpopException {@link Status#INVALID_FRAME} for a version that is not "Major.Minor",
     *     {@link Status#UNSUPPORTED_VERSION} for any version but 2.0,
     *     {@link Status#BAD_MAX_FRAME_SIZE} for a size below 256 or above ours
     */
    public static int accept(AgentHello hello, int haproxyMaxFrameSize) throws SpopException {
        int version = parseVersion(hello.version());
        if (version < 0) {
            throw new SpopException(Status.INVALID_FRAME, "version \"" + hello.version() + "\" is not Major.Minor");
        }
        if (version != 2000) {
            throw new SpopException(Status.UNSUPPORTED_VERSION, "agent speaks SPOP " + hello.version());
        }
        if (hello.maxFrameSize() < MIN_FRAME_SIZE || hello.maxFrameSize() > haproxyMaxFrameSize) {
            throw new SpopException(Status.BAD_MAX_FRAME_SIZE, "agent's max-frame-size " + hello.maxFrameSize()
                    + " is outside " + MIN_FRAME_SIZE + ".." + haproxyMaxFrameSize);
        }
        return (int) hello.maxFrameSize();
    }

    /**
     * Whether a supported-versions list lets us speak 2.0. A "Major.Minor" entry means every minor
     * version of that major up to Minor ("2.3" includes 2.0); entries that do not parse are ignored.
     */
    static boolean offersVersion2(String supportedVersions) {
        for (String entry : splitList(supportedVersions)) {
            int version = parseVersion(entry);
            if (version >= 0 && version / 1000 == 2) {
                return true;
            }
        }
        return false;
    }

    /** "Major.Minor" as major * 1000 + minor (HAProxy's spoe_str_to_vsn), or -1. Major is at least 1, minor at most 999. */
    static int parseVersion(String text) {
        String version = text.strip();
        int dot = version.indexOf('.');
        if (dot <= 0 || dot > 4 || dot == version.length() - 1 || version.length() - dot - 1 > 3) {
            return -1;
        }
        int major = digits(version, 0, dot);
        int minor = digits(version, dot + 1, version.length());
        return major <= 0 || minor < 0 ? -1 : major * 1000 + minor;
    }

    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + c - '0';
        }
        return value;
    }

    /** A comma-separated list, spaces ignored (capabilities, supported versions). */
    static List<String> splitList(String list) {
        List<String> items = new ArrayList<>();
        for (String item : list.split(",")) {
            String trimmed = item.strip();
            if (!trimmed.isEmpty()) {
                items.add(trimmed);
            }
        }
        return List.copyOf(items);
    }
}
