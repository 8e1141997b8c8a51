package dev.spoa.worker.lua;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/** base64's two alphabets, binary data both ways, and what invalid input says. */
class Base64LibraryTest {
    private final Snippets lua = new Snippets();

    Base64LibraryTest() {
        lua.globals.set("base64", new Base64Library().table());
    }

    @Test
    void encodesRfc4648Vectors() {
        assertEquals("", lua.text("base64.encode('')"));
        assertEquals("Zg==", lua.text("base64.encode('f')"));
        assertEquals("Zm8=", lua.text("base64.encode('fo')"));
        assertEquals("Zm9v", lua.text("base64.encode('foo')"));
        assertEquals("Zm9vYg==", lua.text("base64.encode('foob')"));
        assertEquals("Zm9vYmE=", lua.text("base64.encode('fooba')"));
        assertEquals("Zm9vYmFy", lua.text("base64.encode('foobar')"));
        assertEquals("MTIz", lua.text("base64.encode(123)"));
    }

    @Test
    void decodesRfc4648VectorsWithOrWithoutPadding() {
        for (String[] vector : new String[][] {
            {"", ""}, {"f", "Zg=="}, {"fo", "Zm8="}, {"foo", "Zm9v"}, {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
        }) {
            assertEquals(vector[0], lua.text("base64.decode('" + vector[1] + "')"));
            assertEquals(vector[0], lua.text("base64.decode('" + vector[1].replace("=", "") + "')"));
        }
    }

    @Test
    void isBinarySafe() {
        // printf '\x00\xff\x80abc\x00' | base64; printf '\xfb\xff\xfe' | base64
        assertEquals("AP+AYWJjAA==", lua.text("base64.encode('\\0\\255\\128abc\\0')"));
        assertArrayEquals(new byte[] {0, (byte) 0xff, (byte) 0x80, 'a', 'b', 'c', 0}, lua.bytes("base64.decode('AP+AYWJjAA==')"));
        assertEquals("+//+", lua.text("base64.encode('\\251\\255\\254')"));
        assertEquals("-__-", lua.text("base64.urlencode('\\251\\255\\254')"));
        assertArrayEquals(new byte[] {(byte) 0xfb, (byte) 0xff, (byte) 0xfe}, lua.bytes("base64.urldecode('-__-')"));
    }

    @Test
    void roundTripsRandomBytesAndAgreesWithJava() {
        Random random = new Random(3);
        LuaValue base64 = lua.globals.get("base64");
        for (int length = 0; length < 300; length++) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            LuaString lua = LuaString.valueOf(data);
            String standard = base64.get("encode").call(lua).tojstring();
            String url = base64.get("urlencode").call(lua).tojstring();
            assertEquals(Base64.getEncoder().encodeToString(data), standard);
            assertEquals(Base64.getUrlEncoder().withoutPadding().encodeToString(data), url);
            assertArrayEquals(data, LuaArgs.checkBytes(base64.get("decode").call(LuaValue.valueOf(standard)), 1, "test"));
            assertArrayEquals(data, LuaArgs.checkBytes(base64.get("urldecode").call(LuaValue.valueOf(url)), 1, "test"));
            assertArrayEquals(data, LuaArgs.checkBytes(base64.get("urldecode").call(LuaValue.valueOf(Base64.getUrlEncoder().encodeToString(data))), 1, "test"));
        }
    }

    @Test
    void urlVariantHasNoPaddingAsInJwts() {
        assertEquals("eyJhbGciOiJIUzI1NiJ9", lua.text("base64.urlencode('{\"alg\":\"HS256\"}')"));
        assertEquals("Zg", lua.text("base64.urlencode('f')"));
        assertEquals("Zm8", lua.text("base64.urlencode('fo')"));
        assertEquals("{\"alg\":\"HS256\"}", lua.text("base64.urldecode('eyJhbGciOiJIUzI1NiJ9')"));
        assertEquals("f", lua.text("base64.urldecode('Zg==')"));
    }

    @Test
    void decodesASubstringOnly() {
        assertEquals("foo", lua.text("base64.decode(('xxZm9vxx'):sub(3, 6))"));
        assertEquals("base64.decode: invalid base64 input at position 3", lua.pcallError("base64.decode, ('xxZm!vxx'):sub(3, 6)"));
    }

    @Test
    void refusesInvalidInput() {
        assertEquals("base64.decode: invalid base64 input at position 3", lua.pcallError("base64.decode, 'Zm!v'"));
        assertEquals("base64.decode: invalid base64 input at position 5", lua.pcallError("base64.decode, 'Zm9v Zm9v'"));
        assertEquals("base64.decode: invalid base64 input at position 5", lua.pcallError("base64.decode, 'Zm9v\\nZm9v'"));
        assertEquals("base64.decode: invalid base64 input at position 1", lua.pcallError("base64.decode, '\\255AAA'"));
        assertEquals("base64.decode: invalid base64 input at position 3", lua.pcallError("base64.decode, 'Zg==Zg=='")); // padding inside
        assertEquals("base64.decode: invalid base64 input at position 2", lua.pcallError("base64.decode, 'Z==='"));
        assertEquals("base64.decode: invalid base64 input at position 7", lua.pcallError("base64.decode, 'Zm9vYg===='"));
        assertEquals("base64.decode: invalid base64 input (incomplete padding)", lua.pcallError("base64.decode, 'Zg='"));
        assertEquals("base64.decode: invalid base64 input (incomplete padding)", lua.pcallError("base64.decode, 'Zm9v='"));
        assertEquals("base64.decode: invalid base64 input (truncated: one character left over)", lua.pcallError("base64.decode, 'Zm9vY'"));
        assertEquals("base64.decode: invalid base64 input (truncated: one character left over)", lua.pcallError("base64.decode, 'Z'"));
        // Each alphabet refuses the other's two characters.
        assertEquals("base64.decode: invalid base64 input at position 1", lua.pcallError("base64.decode, '-__-'"));
        assertEquals("base64.urldecode: invalid base64 input at position 1", lua.pcallError("base64.urldecode, '+//+'"));
        assertEquals("base64.urldecode: invalid base64 input (truncated: one character left over)", lua.pcallError("base64.urldecode, 'Zm9vY'"));
    }

    @Test
    void refusesArgumentsThatAreNotStrings() {
        assertEquals("bad argument #1 to 'encode' (string expected, got nil)", lua.pcallError("base64.encode"));
        assertEquals("bad argument #1 to 'decode' (string expected, got table)", lua.pcallError("base64.decode, {}"));
        assertEquals("bad argument #1 to 'urlencode' (string expected, got boolean)", lua.pcallError("base64.urlencode, true"));
        assertEquals("bad argument #1 to 'urldecode' (string expected, got nil)", lua.pcallError("base64.urldecode, nil"));
    }
}
