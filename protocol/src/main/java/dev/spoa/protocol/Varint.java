package dev.spoa.protocol;

/**
 * HAProxy's variable-length integers ("peers" encoding, doc/SPOE.txt §3.1, intops.h encode_varint).
 *
 * <p>Values below 240 take one byte. Larger values put their low 4 bits in a first byte >= 0xF0,
 * then 7 bits per byte, every byte but the last with its high bit set; each byte is added with its
 * high bit included, which makes the mapping between values and byte strings one-to-one: no
 * value has a second, longer spelling. A 64-bit value needs at most {@value #MAX_BYTES} bytes;
 * longer strings and 10-byte strings worth more than 2^64-1 are rejected by {@link WireReader}.
 * Values are unsigned 64-bit; signed integers travel as their two's complement.
 */
public final class Varint {
    public static final int MAX_BYTES = 10;

    private Varint() {
    }

    /** Number of bytes {@link #write} uses for {@code value} (read as unsigned). */
    public static int size(long value) {
        if (Long.compareUnsigned(value, 240) < 0) {
            return 1;
        }
        int size = 2;
        long rest = (value - 240) >>> 4;
        while (Long.compareUnsigned(rest, 128) >= 0) {
            rest = (rest - 128) >>> 7;
            size++;
        }
        return size;
    }

    /** Writes {@code value} at {@code pos}; the caller has checked that {@link #size} bytes fit. Returns the new position. */
    public static int write(byte[] buf, int pos, long value) {
        if (Long.compareUnsigned(value, 240) < 0) {
            buf[pos++] = (byte) value;
            return pos;
        }
        buf[pos++] = (byte) (value | 0xF0);
        long rest = (value - 240) >>> 4;
        while (Long.compareUnsigned(rest, 128) >= 0) {
            buf[pos++] = (byte) (rest | 0x80);
            rest = (rest - 128) >>> 7;
        }
        buf[pos++] = (byte) rest;
        return pos;
    }
}
