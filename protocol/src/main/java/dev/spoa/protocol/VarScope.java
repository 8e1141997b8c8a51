package dev.spoa.protocol;

/** Variable scopes of set-var / unset-var actions (doc/SPOE.txt §3.4). */
public enum VarScope {
    PROC(0, "proc"),
    SESS(1, "sess"),
    TXN(2, "txn"),
    REQ(3, "req"),
    RES(4, "res");

    private static final VarScope[] BY_ID = values();

    private final int id;
    private final String label;

    VarScope(int id, String label) {
        this.id = id;
        this.label = label;
    }

    public int id() {
        return id;
    }

    /** The scope as HAProxy names it in {@code var(txn.<prefix>.<name>)}. */
    public String label() {
        return label;
    }

    /** The scope with this id, or null. */
    public static VarScope byId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
