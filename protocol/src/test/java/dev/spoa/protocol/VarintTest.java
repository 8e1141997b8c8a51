package dev.spoa.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class VarintTest {

    @Test
    void sizesFollowTheTableOfTheSpecification() {
        long[][] boundaries = {
            {0, 1}, {239, 1}, {240, 2}, {2287, 2}, {2288, 3}, {264431, 3}, {264432, 4},
            {33818863, 4}, {33818864, 5}, {4328786159L, 5}, {4328786160L, 6},
        };
        for (long[] boundary : boundaries) {
            assertEquals(boundary[1], Varint.size(boundary[0]), "size of " + boundary[0]);
            assertEquals(boundary[1], encode(boundary[0]).length, "bytes written for " + boundary[0]);
        }
    }

    @Test
    void knownEncodings() {
        assertEquals("00", hex(0));
        assertEquals("ef", hex(239));
        assertEquals("f000", hex(240));
        assertEquals("fafa13", hex(43162)); // src_port in notify-client-session-ipv4.bin
        assertEquals(Varint.MAX_BYTES, encode(-1L).length, "2^64-1 takes ten bytes");
        assertEquals(Varint.MAX_BYTES, encode(Long.MIN_VALUE).length);
    }

    @Test
    void everyValueRoundTrips() throws SpopException {
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < 200_000; i++) {
            long value = switch (i % 4) {
                case 0 -> random.nextLong();
                case 1 -> random.nextLong() >>> random.nextInt(64);
                case 2 -> -random.nextInt(1 << 20);
                default -> random.nextInt(5_000_000);
            };
            assertEquals(value, decode(encode(value)), Long.toUnsignedString(value));
        }
        for (int bits = 0; bits < 64; bits++) {
            for (long delta = -2; delta <= 2; delta++) {
                long value = (1L << bits) + delta;
                assertEquals(value, decode(encode(value)));
            }
        }
    }

    @Test
    void everyShortByteStringIsTheOnlySpellingOfItsValue() throws SpopException {
        // The bias makes the encoding one-to-one: there is no overlong form to reject below ten bytes.
        for (int b0 = 0; b0 < 256; b0++) {
            checkCanonical(new byte[] {(byte) b0}, b0 < 240);
            for (int b1 = 0; b1 < 256 && b0 >= 240; b1++) {
                checkCanonical(new byte[] {(byte) b0, (byte) b1}, b1 < 128);
                for (int b2 = 0; b2 < 128 && b1 >= 128; b2 += 7) {
                    checkCanonical(new byte[] {(byte) b0, (byte) b1, (byte) b2}, true);
                }
            }
        }
    }

    private static void checkCanonical(byte[] bytes, boolean complete) throws SpopException {
        if (!complete) {
            assertThrows(SpopException.class, () -> decode(bytes));
            return;
        }
        assertArrayEquals(bytes, encode(decode(bytes)), HexFormat.of().formatHex(bytes));
    }

    @Test
    void truncatedVarintsAreInvalid() {
        for (String truncated : new String[] {"", "f0", "f080", "ff8080808080808080"}) {
            SpopException e = assertThrows(SpopException.class, () -> decode(HexFormat.of().parseHex(truncated)));
            assertEquals(Status.INVALID_FRAME, e.status());
        }
    }

    @Test
    void valuesBeyond64BitsAreInvalid() {
        byte[] max = encode(-1L);
        // Ten bytes, last byte one more than the largest value fits.
        byte[] tooBig = max.clone();
        tooBig[9]++;
        assertThrows(SpopException.class, () -> decode(tooBig));
        // Ten bytes whose last byte asks for an eleventh.
        byte[] eleven = Arrays.copyOf(max, 11);
        eleven[9] |= (byte) 0x80;
        assertThrows(SpopException.class, () -> decode(eleven));
        // Ten bytes whose last byte alone is 2^64 or more.
        byte[] bigLast = HexFormat.of().parseHex("ff80808080808080807f");
        assertThrows(SpopException.class, () -> decode(bigLast));
    }

    @Test
    void decoderNeverReadsPastTheEndItWasGiven() throws SpopException {
        byte[] bytes = HexFormat.of().parseHex("f0f000");
        WireReader in = new WireReader(bytes, 0, 2);
        assertThrows(SpopException.class, () -> in.readVarint("value"));
        WireReader whole = new WireReader(bytes, 1, 2);
        assertEquals(240, whole.readVarint("value"));
        assertFalse(whole.hasRemaining());
    }

    static byte[] encode(long value) {
        byte[] buf = new byte[Varint.MAX_BYTES];
        return Arrays.copyOf(buf, Varint.write(buf, 0, value));
    }

    private static long decode(byte[] bytes) throws SpopException {
        WireReader in = new WireReader(bytes, 0, bytes.length);
        long value = in.readVarint("value");
        assertFalse(in.hasRemaining(), "varint used every byte");
        return value;
    }

    private static String hex(long value) {
        return HexFormat.of().formatHex(encode(value));
    }
}
