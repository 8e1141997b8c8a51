package dev.spoa.protocol;

/** SPOP frame types (doc/SPOE.txt §3.2.2). */
public enum FrameType {
    HAPROXY_HELLO(1, true),
    HAPROXY_DISCONNECT(2, true),
    NOTIFY(3, true),
    AGENT_HELLO(101, false),
    AGENT_DISCONNECT(102, false),
    ACK(103, false),
    /** Any other type byte: the receiver skips such frames, as HAProxy does. */
    UNKNOWN(-1, false);

    private final int code;
    private final boolean sentByHaproxy;

    FrameType(int code, boolean sentByHaproxy) {
        this.code = code;
        this.sentByHaproxy = sentByHaproxy;
    }

    public int code() {
        return code;
    }

    public boolean sentByHaproxy() {
        return sentByHaproxy;
    }

    public static FrameType byCode(int code) {
        switch (code) {
            case 1: return HAPROXY_HELLO;
            case 2: return HAPROXY_DISCONNECT;
            case 3: return NOTIFY;
            case 101: return AGENT_HELLO;
            case 102: return AGENT_DISCONNECT;
            case 103: return ACK;
            default: return UNKNOWN;
        }
    }

    boolean isHello() {
        return this == HAPROXY_HELLO || this == AGENT_HELLO;
    }

    boolean isDisconnect() {
        return this == HAPROXY_DISCONNECT || this == AGENT_DISCONNECT;
    }
}
