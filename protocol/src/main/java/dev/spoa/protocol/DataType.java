package dev.spoa.protocol;

/** The ten SPOP data types (doc/SPOE.txt §3.1): the low nibble of a typed-data type byte. Ids 10-15 are reserved. */
public enum DataType {
    NULL(0),
    BOOL(1),
    INT32(2),
    UINT32(3),
    INT64(4),
    UINT64(5),
    IPV4(6),
    IPV6(7),
    STRING(8),
    BINARY(9);

    private static final DataType[] BY_ID = values();

    private final int id;

    DataType(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The type with this id, or null for the reserved ids 10-15. */
    static DataType byId(int id) {
        return id < BY_ID.length ? BY_ID[id] : null;
    }
}
