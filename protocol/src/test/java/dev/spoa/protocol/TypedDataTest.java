package dev.spoa.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class TypedDataTest {

    private static final List<TypedData> ONE_OF_EACH = List.of(
            TypedData.NULL,
            TypedData.TRUE,
            TypedData.FALSE,
            new TypedData.Int32(-5),
            new TypedData.Int32(Integer.MIN_VALUE),
            new TypedData.Uint32(0xFFFF_FFFFL),
            new TypedData.Int64(Long.MIN_VALUE),
            new TypedData.Uint64(-1L),
            TypedData.Ipv4.parse("192.0.2.44"),
            TypedData.Ipv6.parse("2001:db8::44"),
            TypedData.Text.of("héllo ✓ 𝄞"),
            new TypedData.Text(new byte[] {(byte) 0xff, 0}), // not UTF-8: kept as bytes
            new TypedData.Binary(new byte[300]),
            new TypedData.Binary(new byte[0]));

    @Test
    void everyTypeRoundTripsAndSkipsByTheSameLength() throws SpopException {
        for (TypedData value : ONE_OF_EACH) {
            byte[] bytes = encode(value);
            WireReader in = new WireReader(bytes, 0, bytes.length);
            assertEquals(value, in.readTypedData("value"));
            assertFalse(in.hasRemaining());
            WireReader skipper = new WireReader(bytes, 0, bytes.length);
            skipper.skipTypedData("value");
            assertFalse(skipper.hasRemaining(), "skip consumed " + value);
        }
    }

    @Test
    void wireFormOfEachType() {
        assertEquals("00", hex(TypedData.NULL));
        assertEquals("11", hex(TypedData.TRUE));
        assertEquals("01", hex(TypedData.FALSE));
        // Signed values go out on 64 bits: INT32 -5 is the varint of 2^64-5, not of 2^32-5.
        assertEquals("02" + HexFormat.of().formatHex(VarintTest.encode(-5L)), hex(new TypedData.Int32(-5)));
        assertEquals("0329", hex(new TypedData.Uint32(41)));
        assertEquals("04f000", hex(new TypedData.Int64(240)));
        assertEquals("067f000001", hex(TypedData.Ipv4.parse("127.0.0.1")));
        assertEquals("0720010db8000000000000000000000001", hex(TypedData.Ipv6.parse("2001:db8::1")));
        assertEquals("080161", hex(TypedData.Text.of("a")));
        assertEquals("0800", hex(TypedData.Text.of("")));
        assertEquals("0902ff00", hex(new TypedData.Binary(new byte[] {(byte) 0xff, 0})));
    }

    @Test
    void reservedTypesAndStrayFlagsAreInvalid() {
        for (int type = 10; type < 16; type++) {
            assertInvalid(new byte[] {(byte) type, 0, 0, 0, 0});
        }
        assertInvalid(new byte[] {0x21}); // BOOL with an unknown flag
        assertInvalid(new byte[] {0x10}); // NULL with the "true" flag
        assertInvalid(new byte[] {0x18, 0});
    }

    @Test
    void integersOutsideTheirTypeAreInvalid() {
        assertInvalid(concat(new byte[] {2}, VarintTest.encode(1L << 31)));
        assertInvalid(concat(new byte[] {2}, VarintTest.encode(-(1L << 31) - 1)));
        assertInvalid(concat(new byte[] {3}, VarintTest.encode(1L << 32)));
        assertInvalid(concat(new byte[] {3}, VarintTest.encode(-1)));
    }

    @Test
    void lengthsAreCheckedAgainstTheFrameBeforeAnything() {
        assertInvalid(HexFormat.of().parseHex("0805616263")); // 5 announced, 3 there
        assertInvalid(concat(new byte[] {9}, VarintTest.encode(Long.MAX_VALUE)));
        assertInvalid(HexFormat.of().parseHex("067f0000")); // IPv4 cut short
        assertInvalid(HexFormat.of().parseHex("07000000000000000000000000000000"));
        assertInvalid(new byte[0]);
    }

    @Test
    void ipv6TextIsWhatInetNtopPrints() {
        String[][] cases = {
            {"::1", "::1"}, {"::", "::"}, {"2001:db8::1", "2001:db8::1"},
            {"2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"},
            {"2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"}, // a single zero group is not compressed
            {"2001:0:0:1:0:0:0:1", "2001:0:0:1::1"}, // the longest run wins
            {"2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"}, // the first of equal runs wins
            {"::ffff:192.0.2.1", "::ffff:192.0.2.1"}, {"::ffff:c000:201", "::ffff:192.0.2.1"},
            {"::1.2.3.4", "::1.2.3.4"}, {"fe80::", "fe80::"}, {"FE80::ABCD", "fe80::abcd"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], TypedData.Ipv6.parse(c[0]).toString(), c[0]);
        }
        for (String bad : new String[] {"", ":", "1::2::3", "12345::", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "::g", "1:2:3:4:5:6:7::8", "::1.2.3"}) {
            assertThrows(IllegalArgumentException.class, () -> TypedData.Ipv6.parse(bad), bad);
        }
    }

    @Test
    void ipv4Text() {
        assertEquals("0.0.0.0", new TypedData.Ipv4(0).toString());
        assertEquals("255.255.255.255", new TypedData.Ipv4(-1).toString());
        assertEquals(0xC0000201, TypedData.Ipv4.parse("192.0.2.1").address());
        for (String bad : new String[] {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1..2.3", "a.b.c.d", "1.2.3.4 ", "+1.2.3.4", "1.2.3.0001"}) {
            assertThrows(IllegalArgumentException.class, () -> TypedData.Ipv4.parse(bad), bad);
        }
    }

    @Test
    void namesAreWrittenInUtf8WithoutHelp() throws SpopException {
        for (String name : new String[] {"ip_score", "", "é", "日本", "𝄞x", "a\uD800b"}) {
            byte[] buf = new byte[64];
            WireWriter out = new WireWriter(buf);
            out.writeName(name);
            byte[] expected = concat(VarintTest.encode(Utf8.encodedLength(name)), name.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertArrayEquals(expected, Arrays.copyOf(buf, out.position()), name);
            assertEquals(name.replace('\uD800', '?'), new WireReader(buf, 0, out.position()).readName("name"));
        }
    }

    private static void assertInvalid(byte[] bytes) {
        SpopException e = assertThrows(SpopException.class, () -> new WireReader(bytes, 0, bytes.length).readTypedData("value"),
                HexFormat.of().formatHex(bytes));
        assertEquals(Status.INVALID_FRAME, e.status());
        assertThrows(SpopException.class, () -> new WireReader(bytes, 0, bytes.length).skipTypedData("value"));
    }

    static byte[] encode(TypedData value) {
        byte[] buf = new byte[1024];
        WireWriter out = new WireWriter(buf);
        try {
            out.writeTypedData(value);
        } catch (FrameTooBigException e) {
            throw new AssertionError(e);
        }
        return Arrays.copyOf(buf, out.position());
    }

    private static String hex(TypedData value) {
        return HexFormat.of().formatHex(encode(value));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
