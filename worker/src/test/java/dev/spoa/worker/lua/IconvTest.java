package dev.spoa.worker.lua;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

class IconvTest {
    private final Snippets lua = new Snippets();

    IconvTest() {
        new Iconv().install(lua.globals.get("string").checktable());
    }

    private byte[] bytes(String code) {
        LuaString string = lua.eval("return " + code).checkstring();
        byte[] copy = new byte[string.m_length];
        System.arraycopy(string.m_bytes, string.m_offset, copy, 0, copy.length);
        return copy;
    }

    @Test
    void latin1ToUtf8AndBack() {
        assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xC3, (byte) 0xA9}, bytes("string.iconv('caf\\233', 'ISO-8859-1', 'UTF-8')"));
        assertArrayEquals(new byte[] {'c', 'a', 'f', (byte) 0xE9}, bytes("string.iconv('café', 'UTF-8', 'latin1')"));
        // Aliases and case: "utf8", "iso-8859-1", "l1".
        assertArrayEquals(new byte[] {(byte) 0xE9}, bytes("string.iconv('é', 'utf8', 'iso-8859-1')"));
        assertArrayEquals(new byte[] {(byte) 0xC3, (byte) 0xA9}, bytes("string.iconv('\\233', 'l1', 'utf-8')"));
    }

    @Test
    void windows1252HasTheEuroSign() {
        assertArrayEquals(new byte[] {(byte) 0x80}, bytes("string.iconv('€', 'UTF-8', 'windows-1252')"));
        assertEquals("€", lua.eval("return string.iconv('\\128', 'cp1252', 'UTF-8')").tojstring());
    }

    @Test
    void utf16() {
        assertArrayEquals(new byte[] {'h', 0, 'i', 0, (byte) 0xAC, 0x20}, bytes("string.iconv('hi€', 'UTF-8', 'UTF-16LE')"));
        assertArrayEquals(new byte[] {0, 'h', 0, 'i'}, bytes("string.iconv('hi', 'UTF-8', 'UTF-16BE')"));
        // "UTF-16" writes a big-endian byte-order mark, and reads one.
        assertArrayEquals(new byte[] {(byte) 0xFE, (byte) 0xFF, 0, 'h'}, bytes("string.iconv('h', 'UTF-8', 'UTF-16')"));
        assertEquals("hé", lua.eval("return string.iconv('\\255\\254h\\0\\233\\0', 'UTF-16', 'UTF-8')").tojstring());
        // A character outside the BMP: a surrogate pair in UTF-16, four bytes in UTF-8.
        assertArrayEquals(new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98, (byte) 0x80},
                bytes("string.iconv('\\061\\216\\000\\222', 'UTF-16LE', 'UTF-8')"));
    }

    @Test
    void identityConversionGivesTheSameBytes() {
        assertArrayEquals("héllo".getBytes(java.nio.charset.StandardCharsets.UTF_8), bytes("string.iconv('héllo', 'UTF-8', 'UTF-8')"));
        assertArrayEquals(new byte[] {(byte) 0xFF, 0, 'a'}, bytes("string.iconv('\\255\\0a', 'ISO-8859-1', 'latin1')"));
        assertEquals(LuaValue.valueOf(""), lua.eval("return string.iconv('', 'UTF-8', 'UTF-16')"));
    }

    @Test
    void anUnmappableCharacterIsAnErrorWithItsPosition() {
        assertEquals("test.lua:1: iconv: character U+20AC at byte 5 cannot be written in ISO-8859-1",
                lua.error("string.iconv('1234€', 'UTF-8', 'ISO-8859-1')"));
        assertEquals("test.lua:1: iconv: character U+00E9 at byte 1 cannot be written in US-ASCII",
                lua.error("string.iconv('é', 'UTF-8', 'ascii')"));
        assertEquals("test.lua:1: iconv: character U+1F600 at byte 3 cannot be written in windows-1252",
                lua.error("string.iconv('ab\\240\\159\\152\\128', 'UTF-8', 'windows-1252')"));
    }

    @Test
    void malformedInputIsAnErrorWithItsPosition() {
        assertEquals("test.lua:1: iconv: invalid UTF-8 input at byte 4", lua.error("string.iconv('caf\\233', 'UTF-8', 'UTF-16LE')"));
        // Also when converting UTF-8 to itself: the input is checked.
        assertEquals("test.lua:1: iconv: invalid UTF-8 input at byte 2", lua.error("string.iconv('a\\192\\128', 'UTF-8', 'UTF-8')"));
        // A truncated sequence at the end.
        assertEquals("test.lua:1: iconv: invalid UTF-8 input at byte 3", lua.error("string.iconv('ab\\226\\130', 'UTF-8', 'latin1')"));
        assertEquals("test.lua:1: iconv: invalid UTF-16LE input at byte 3", lua.error("string.iconv('a\\0b', 'UTF-16LE', 'UTF-8')"));
        assertEquals("test.lua:1: iconv: byte 2 has no character in windows-1252", lua.error("string.iconv('a\\129', 'windows-1252', 'UTF-8')"));
    }

    @Test
    void unknownCharsetsAreArgumentErrors() {
        assertEquals("test.lua:1: bad argument #2 to 'iconv' (unknown charset 'xyz')", lua.error("string.iconv('a', 'xyz', 'UTF-8')"));
        assertEquals("test.lua:1: bad argument #3 to 'iconv' (unknown charset 'no such')", lua.error("string.iconv('a', 'UTF-8', 'no such')"));
        assertEquals("test.lua:1: bad argument #2 to 'iconv' (unknown charset '')", lua.error("string.iconv('a', '', 'UTF-8')"));
    }

    @Test
    void badArgumentTypes() {
        assertEquals("test.lua:1: bad argument #1 to 'iconv' (string expected, got nil)", lua.error("string.iconv(nil, 'UTF-8', 'UTF-8')"));
        assertEquals("test.lua:1: bad argument #3 to 'iconv' (string expected, got nil)",
                lua.error("string.iconv('a', 'UTF-8')"));
        assertEquals("test.lua:1: bad argument #2 to 'iconv' (string expected, got table)", lua.error("string.iconv('a', {}, 'UTF-8')"));
        // A number converts to its text, as in the string library.
        assertEquals("12", lua.eval("return string.iconv(12, 'UTF-8', 'UTF-8')").tojstring());
    }

    @Test
    void aLongInputGrowsTheBuffers() {
        LuaValue length = lua.eval("return #string.iconv(string.rep('é', 100000), 'UTF-8', 'UTF-16LE')");
        assertEquals(200_000, length.toint());
        LuaValue back = lua.eval("return string.iconv(string.iconv(string.rep('aé€', 1000), 'UTF-8', 'UTF-16BE'), 'UTF-16BE', 'UTF-8') == string.rep('aé€', 1000)");
        assertEquals(LuaValue.TRUE, back);
    }
}
