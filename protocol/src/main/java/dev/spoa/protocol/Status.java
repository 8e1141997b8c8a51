package dev.spoa.protocol;

import java.util.Optional;

/**
 * SPOP status codes (doc/SPOE.txt §3.5), carried by HAPROXY-DISCONNECT and AGENT-DISCONNECT frames.
 * The reason texts are the ones HAProxy itself sends, so that logs on both sides read alike.
 */
public enum Status {
    NORMAL(0, "normal"),
    IO_ERROR(1, "I/O error"),
    TIMEOUT(2, "a timeout occurred"),
    TOO_BIG(3, "frame is too big"),
    INVALID_FRAME(4, "invalid frame received"),
    NO_VERSION(5, "version value not found"),
    NO_MAX_FRAME_SIZE(6, "max-frame-size value not found"),
    NO_CAPABILITIES(7, "capabilities value not found"),
    UNSUPPORTED_VERSION(8, "unsupported version"),
    BAD_MAX_FRAME_SIZE(9, "max-frame-size too big or too small"),
    FRAGMENTATION_NOT_SUPPORTED(10, "fragmentation not supported"),
    INTERLACED_FRAMES(11, "invalid interlaced frames"),
    FRAME_ID_NOT_FOUND(12, "frame-id not found"),
    RESOURCE_ERROR(13, "resource allocation error"),
    UNKNOWN_ERROR(99, "an unknown error occurred");

    private final int code;
    private final String reason;

    Status(int code, String reason) {
        this.code = code;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    /** The standard message text for this status. */
    public String reason() {
        return reason;
    }

    /** The status with this code; empty for codes the specification does not assign (peers may define their own). */
    public static Optional<Status> byCode(long code) {
        for (Status status : values()) {
            if (status.code == code) {
                return Optional.of(status);
            }
        }
        return Optional.empty();
    }
}
