package dev.spoa.supervisor.metrics;

/** Who said DISCONNECT: we (AGENT-DISCONNECT) or HAProxy (HAPROXY-DISCONNECT). */
public enum DisconnectSide {
    AGENT("agent"),
    HAPROXY("haproxy");

    private final String label;

    DisconnectSide(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
