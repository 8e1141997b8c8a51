package dev.spoa.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A SPOP typed value (doc/SPOE.txt §3.1). One record per wire type, so that a value read from a
 * frame re-encodes to the same bytes: an INT32 stays an INT32, a STRING keeps its exact bytes.
 *
 * <p>Every integer goes out as a 64-bit varint (two's complement for negatives), as HAProxy reads
 * them: an INT32 -5 written on 32 bits would arrive as 4294967291.
 */
public sealed interface TypedData {

    DataType type();

    Null NULL = new Null();
    Bool TRUE = new Bool(true);
    Bool FALSE = new Bool(false);

    static Bool bool(boolean value) {
        return value ? TRUE : FALSE;
    }

    /** NULL: no value. In a set-var action HAProxy unsets the variable. */
    record Null() implements TypedData {
        @Override
        public DataType type() {
            return DataType.NULL;
        }

        @Override
        public String toString() {
            return "NULL";
        }
    }

    /** BOOL: the value lives in the flag bits of the type byte (0x11 true, 0x01 false). */
    record Bool(boolean value) implements TypedData {
        @Override
        public DataType type() {
            return DataType.BOOL;
        }
    }

    record Int32(int value) implements TypedData {
        @Override
        public DataType type() {
            return DataType.INT32;
        }
    }

    /** UINT32, held in a long: 0 to 4294967295. */
    record Uint32(long value) implements TypedData {
        public Uint32 {
            if (value < 0 || value > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("UINT32 out of range: " + value);
            }
        }

        @Override
        public DataType type() {
            return DataType.UINT32;
        }
    }

    record Int64(long value) implements TypedData {
        @Override
        public DataType type() {
            return DataType.INT64;
        }
    }

    /** UINT64: the 64 bits of {@code value} read as unsigned (-1 is 18446744073709551615). */
    record Uint64(long value) implements TypedData {
        @Override
        public DataType type() {
            return DataType.UINT64;
        }

        @Override
        public String toString() {
            return "Uint64[value=" + Long.toUnsignedString(value) + "]";
        }
    }

    /** IPV4: the address as a big-endian int (127.0.0.1 is 0x7F000001). */
    record Ipv4(int address) implements TypedData {
        @Override
        public DataType type() {
            return DataType.IPV4;
        }

        /** Parses dotted-quad text such as "192.0.2.1". */
        public static Ipv4 parse(String text) {
            return new Ipv4(IpText.parseIpv4(text));
        }

        /** Dotted-quad text, as HAProxy prints it. */
        @Override
        public String toString() {
            return IpText.formatIpv4(address);
        }
    }

    /** IPV6: the 16 address bytes as two big-endian longs. */
    record Ipv6(long high, long low) implements TypedData {
        @Override
        public DataType type() {
            return DataType.IPV6;
        }

        /** Parses RFC 4291 text: full, "::"-compressed, or ending with a dotted IPv4 part. */
        public static Ipv6 parse(String text) {
            long[] halves = IpText.parseIpv6(text);
            return new Ipv6(halves[0], halves[1]);
        }

        /** RFC 5952 text ("2001:db8::1"), as HAProxy prints it. */
        @Override
        public String toString() {
            return IpText.formatIpv6(high, low);
        }
    }

    /**
     * STRING: bytes as sent. HAProxy does not promise UTF-8 (header values are whatever the client
     * sent), so the bytes are kept and decoding is left to {@link #asString()}. The array is owned by
     * the value and must not be modified: the hot path hands it on without copying.
     */
    record Text(byte[] bytes) implements TypedData {
        public static Text of(String text) {
            return new Text(text.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public DataType type() {
            return DataType.STRING;
        }

        /** The bytes decoded as UTF-8 (malformed sequences become U+FFFD). */
        public String asString() {
            return new String(bytes, StandardCharsets.UTF_8);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Text text && Arrays.equals(bytes, text.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Text[" + asString() + "]";
        }
    }

    /** BINARY: opaque bytes (a request body, say). The array is owned by the value and must not be modified. */
    record Binary(byte[] bytes) implements TypedData {
        @Override
        public DataType type() {
            return DataType.BINARY;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Binary binary && Arrays.equals(bytes, binary.bytes);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return "Binary[" + bytes.length + " bytes]";
        }
    }
}
