package dev.spoa.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over untrusted bytes {@code buf[offset, limit)}: one frame's payload, never the socket
 * buffer beyond it. Every read checks what is left first, so a lying length ends in
 * {@link Status#INVALID_FRAME} before anything is allocated, and nothing but {@link SpopException}
 * leaves this class.
 */
final class WireReader {
    private byte[] buf;
    private int limit;
    private int pos;
    /** Null: every name is decoded afresh. */
    private final NameCache names;

    /** An empty cursor, to {@link #reset} for each payload (one per connection or thread: no allocation per frame). */
    WireReader() {
        this(new byte[0], 0, 0);
    }

    WireReader(byte[] buf, int offset, int length) {
        this(buf, offset, length, null);
    }

    WireReader(byte[] buf, int offset, int length, NameCache names) {
        this.names = names;
        reset(buf, offset, length);
    }

    WireReader reset(byte[] buf, int offset, int length) {
        this.buf = buf;
        this.pos = offset;
        this.limit = offset + length;
        return this;
    }

    boolean hasRemaining() {
        return pos < limit;
    }

    int remaining() {
        return limit - pos;
    }

    int readUnsignedByte(String what) throws SpopException {
        if (pos >= limit) {
            throw missing(what);
        }
        return buf[pos++] & 0xFF;
    }

    int readInt(String what) throws SpopException {
        require(4, what);
        int value = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        return value;
    }

    /** Reads a varint (see {@link Varint}): at most 10 bytes, and never more than 2^64-1. */
    long readVarint(String what) throws SpopException {
        int b = readUnsignedByte(what);
        if (b < 240) {
            return b;
        }
        long value = b;
        int shift = 4;
        while (true) {
            if (pos >= limit) {
                throw problem(what, "varint cut short by the end of the frame");
            }
            b = buf[pos++] & 0xFF;
            if (shift == 60) {
                // Tenth byte: it must end the varint and keep the sum within 64 bits.
                long sum = value + ((long) b << 60);
                if (b >= 16 || Long.compareUnsigned(sum, value) < 0) {
                    throw problem(what, "varint longer than 64 bits");
                }
                return sum;
            }
            // Up to the ninth byte the sum stays below 2^62: no overflow possible.
            value += (long) b << shift;
            if (b < 128) {
                return value;
            }
            shift += 7;
        }
    }

    /** Reads a length varint and checks it against the bytes left in the frame. */
    int readLength(String what) throws SpopException {
        long length = readVarint(what);
        if (Long.compareUnsigned(length, limit - pos) > 0) {
            throw pastEnd(what, length, limit - pos);
        }
        return (int) length;
    }

    /** A length-prefixed name (message, argument, key, variable), decoded as UTF-8. */
    String readName(String what) throws SpopException {
        int length = readLength(what);
        if (length == 0) {
            return "";
        }
        String name = names == null ? new String(buf, pos, length, StandardCharsets.UTF_8) : names.name(buf, pos, length);
        pos += length;
        return name;
    }

    void skipName(String what) throws SpopException {
        int length = readLength(what); // not "pos += readLength()": that would add to pos as it was before the varint
        pos += length;
    }

    TypedData readTypedData(String what) throws SpopException {
        int typeByte = readUnsignedByte(what);
        DataType type = checkType(typeByte, what);
        switch (type) {
            case NULL:
                return TypedData.NULL;
            case BOOL:
                return TypedData.bool(typeByte == 0x11);
            case INT32:
                return new TypedData.Int32((int) readInteger(type, what));
            case UINT32:
                return new TypedData.Uint32(readInteger(type, what));
            case INT64:
                return new TypedData.Int64(readVarint(what));
            case UINT64:
                return new TypedData.Uint64(readVarint(what));
            case IPV4:
                return new TypedData.Ipv4(readInt(what));
            case IPV6:
                require(16, what);
                long high = readLong();
                return new TypedData.Ipv6(high, readLong());
            case STRING:
                return new TypedData.Text(readBytes(readLength(what)));
            case BINARY:
                return new TypedData.Binary(readBytes(readLength(what)));
            default:
                throw new AssertionError(type);
        }
    }

    /** Checks a typed value exactly as {@link #readTypedData} does, without building it. */
    void skipTypedData(String what) throws SpopException {
        int typeByte = readUnsignedByte(what);
        DataType type = checkType(typeByte, what);
        switch (type) {
            case NULL:
            case BOOL:
                return;
            case INT32:
            case UINT32:
            case INT64:
            case UINT64:
                readInteger(type, what);
                return;
            case IPV4:
                require(4, what);
                pos += 4;
                return;
            case IPV6:
                require(16, what);
                pos += 16;
                return;
            case STRING:
            case BINARY:
                int length = readLength(what);
                pos += length;
                return;
            default:
                throw new AssertionError(type);
        }
    }

    /** An integer of any of the four integer types, range-checked for the 32-bit ones. */
    long readInteger(DataType type, String what) throws SpopException {
        long value = readVarint(what);
        if ((type == DataType.INT32 && value != (int) value) || (type == DataType.UINT32 && (value >>> 32) != 0)) {
            throw outOfRange(what, type, value);
        }
        return value;
    }

    /**
     * The type byte's low nibble is the type; of the high nibble (flags) only BOOL's "true" bit
     * (0x10) has a meaning. HAProxy never sets another, and a value we cannot re-encode as it
     * came is not one we accept.
     */
    static DataType checkType(int typeByte, String what) throws SpopException {
        DataType type = DataType.byId(typeByte & 0x0F);
        if (type == null || ((typeByte & 0xF0) != 0 && typeByte != 0x11)) {
            throw badType(what, typeByte);
        }
        return type;
    }

    private long readLong() {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (buf[pos++] & 0xFF);
        }
        return value;
    }

    private byte[] readBytes(int length) {
        byte[] bytes = Arrays.copyOfRange(buf, pos, pos + length);
        pos += length;
        return bytes;
    }

    private void require(int count, String what) throws SpopException {
        if (limit - pos < count) {
            throw pastEnd(what, count, limit - pos);
        }
    }

    // Errors are built apart from the checks: keeping the hot methods small lets the JIT inline
    // them, and the cursor and headers then stay off the heap.

    private static SpopException missing(String what) {
        return invalid(what + " is missing: the frame ends first");
    }

    private static SpopException problem(String what, String problem) {
        return invalid(what + ": " + problem);
    }

    private static SpopException pastEnd(String what, long length, int left) {
        return invalid(what + ": " + Long.toUnsignedString(length) + " bytes run past the end of the frame (" + left + " left)");
    }

    private static SpopException outOfRange(String what, DataType type, long value) {
        return invalid(what + ": " + type + " value " + (type == DataType.INT32 ? Long.toString(value) : Long.toUnsignedString(value))
                + " out of range");
    }

    private static SpopException badType(String what, int typeByte) {
        return (typeByte & 0x0F) >= 10
                ? invalid(what + ": reserved data type " + (typeByte & 0x0F))
                : invalid(what + ": unexpected flags in type byte 0x" + Integer.toHexString(typeByte));
    }

    /** A name for an error message: untrusted and possibly as long as a frame, so cut to a readable size. */
    static String quote(String name) {
        return "\"" + (name.length() <= 40 ? name : name.substring(0, 40) + "...") + "\"";
    }

    static SpopException invalid(String detail) {
        return new SpopException(Status.INVALID_FRAME, detail);
    }
}
