package dev.spoa.ipc;

import java.util.Objects;

import net.openhft.chronicle.bytes.Bytes;

/** Checks shared by both record layouts. */
final class Records {

    /**
     * The most bytes a stop-bit number takes. Chronicle writes a negative one as its complement,
     * seven bits a byte, followed by a zero byte: a long takes at most ten (nine for 63 bits and the
     * zero, or ten for a positive 64-bit one), an int at most six.
     */
    static final int MAX_STOP_BIT_LONG = 10;
    static final int MAX_STOP_BIT_INT = 6;

    private Records() {
    }

    /** A stop-bit number that must fit an int: a corrupt queue must not pass for a length or a size. */
    static int readInt(Bytes<?> in) {
        long value = in.readStopBit();
        if (value != (int) value) {
            throw new IllegalStateException("corrupt record: " + value + " where an int was expected");
        }
        return (int) value;
    }

    /** Validates a caller's slice before anything is written, so a bad call never leaves half a record. */
    static void checkSlice(byte[] buf, int offset, int length, int max) {
        Objects.checkFromIndexSize(offset, length, buf.length);
        if (length > max) {
            throw new IllegalArgumentException("record of " + length + " bytes exceeds the maximum " + max);
        }
    }

    /** A length field read back, checked against what the record holds: a corrupt queue must not allocate wildly. */
    static int checkedLength(Bytes<?> in, int length) {
        if (length < 0 || length > in.readRemaining()) {
            throw new IllegalStateException("corrupt record: length " + length + ", " + in.readRemaining() + " bytes left");
        }
        return length;
    }

    static void readFully(Bytes<?> in, byte[] into) {
        readFully(in, into, into.length);
    }

    static void readFully(Bytes<?> in, byte[] into, int length) {
        // Bytes.read returns -1 rather than 0 for an empty read; nothing to do then anyway.
        if (length > 0) {
            in.read(into, 0, length);
        }
    }
}
