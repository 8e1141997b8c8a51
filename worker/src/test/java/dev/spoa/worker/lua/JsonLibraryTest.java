package dev.spoa.worker.lua;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;

/** json.encode and json.decode as a handler calls them, error messages included. */
class JsonLibraryTest {
    private final Snippets lua = new Snippets();

    JsonLibraryTest() {
        lua.globals.set("json", new JsonLibrary().table());
    }

    private String encodeError(String value) {
        return lua.pcallError("json.encode, " + value);
    }

    private String decodeError(String text) {
        return lua.pcallError("json.decode, " + lua(text));
    }

    /** A Lua string literal holding {@code text} byte for byte. */
    private static String lua(String text) {
        StringBuilder literal = new StringBuilder("\"");
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            literal.append('\\').append(b & 0xff);
        }
        return literal.append('"').toString();
    }

    // --- encode ---

    @Test
    void encodesScalars() {
        assertEquals("true", lua.text("json.encode(true)"));
        assertEquals("false", lua.text("json.encode(false)"));
        assertEquals("null", lua.text("json.encode(nil)"));
        assertEquals("null", lua.text("json.encode(json.null)"));
        assertEquals("\"hi\"", lua.text("json.encode('hi')"));
        assertEquals("\"\"", lua.text("json.encode('')"));
    }

    @Test
    void encodesIntegralNumbersAsIntegers() {
        assertEquals("42", lua.text("json.encode(42)"));
        assertEquals("-7", lua.text("json.encode(-7)"));
        assertEquals("0", lua.text("json.encode(0)"));
        assertEquals("0", lua.text("json.encode(-0.0)"));
        assertEquals("100", lua.text("json.encode(1e2)"));
        assertEquals("3000000000", lua.text("json.encode(3000000000)"));
        assertEquals("9007199254740992", lua.text("json.encode(2^53)"));
        assertEquals("-9007199254740992", lua.text("json.encode(-2^53)"));
        assertEquals("2147483647", lua.text("json.encode(2147483647)"));
        assertEquals("-2147483648", lua.text("json.encode(-2147483648)"));
    }

    @Test
    void encodesOtherNumbersInTheirShortestRoundTripForm() {
        assertEquals("0.1", lua.text("json.encode(0.1)"));
        assertEquals("-1.5", lua.text("json.encode(-1.5)"));
        assertEquals("0.30000000000000004", lua.text("json.encode(0.1 + 0.2)"));
        assertEquals("0.001", lua.text("json.encode(0.001)"));
        assertEquals("0.000001", lua.text("json.encode(1e-6)"));
        assertEquals("1e-7", lua.text("json.encode(1e-7)"));
        assertEquals("1.5e+300", lua.text("json.encode(1.5e300)"));
        assertEquals("-2.5e-300", lua.text("json.encode(-2.5e-300)"));
        // Beyond 2^53 an integral double is no longer exact: written as a double (as JavaScript does).
        assertEquals("18014398509481984", lua.text("json.encode(2^54)"));
        assertEquals("1e+21", lua.text("json.encode(1e21)"));
        assertEquals("1e+23", lua.text("json.encode(1e23)")); // Java 17's Double.toString says 9.999999999999999E22
        assertEquals("5e-324", lua.text("json.encode(4.9e-324)")); // and 4.9E-324 for this one
        assertEquals("123456.789", lua.text("json.encode(123456.789)"));
    }

    @Test
    void everyDoubleReadsBackAsItselfAndNoShorterDecimalWould() {
        Random random = new Random(42);
        LuaValue encode = lua.globals.get("json").get("encode");
        for (int i = 0; i < 20_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                continue;
            }
            String text = encode.call(LuaValue.valueOf(value)).tojstring();
            assertEquals(value, Double.parseDouble(text), text);
            String digits = text.replaceFirst("^-", "").replaceFirst("e.*$", "").replace(".", "").replaceFirst("^0+", "").replaceFirst("0+$", "");
            if (digits.length() > 1) {
                BigDecimal shorter = new BigDecimal(value).round(new MathContext(digits.length() - 1, RoundingMode.HALF_EVEN));
                assertTrue(shorter.doubleValue() != value, text + " is not the shortest: " + shorter);
            }
        }
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        assertEquals("\"a\\\"b\\\\c\"", lua.text("json.encode('a\"b\\\\c')"));
        assertEquals("\"\\n\\r\\t\\b\\f\"", lua.text("json.encode('\\n\\r\\t\\b\\f')"));
        assertEquals("\"\\u0000\\u0001\\u001f\"", lua.text("json.encode('\\0\\1\\31')"));
        assertEquals("\"/ \u007f\"", lua.text("json.encode('/ \\127')"));
    }

    @Test
    void leavesUtf8AsItIs() {
        assertArrayEquals("\"é € 😀\"".getBytes(StandardCharsets.UTF_8), lua.bytes("json.encode(" + lua("é € 😀") + ")"));
    }

    @Test
    void encodeRefusesStringsThatAreNotUtf8() {
        assertEquals("json.encode: string is not valid UTF-8", encodeError("'\\255'"));
        assertEquals("json.encode: string is not valid UTF-8", encodeError("'a\\195'")); // truncated sequence
        assertEquals("json.encode: string is not valid UTF-8", encodeError("'\\192\\175'")); // overlong '/'
        assertEquals("json.encode: string is not valid UTF-8", encodeError("'\\237\\160\\128'")); // U+D800
        assertEquals("json.encode: string is not valid UTF-8", encodeError("'\\244\\144\\128\\128'")); // past U+10FFFF
        assertEquals("json.encode: string is not valid UTF-8", encodeError("{['\\128'] = 1}")); // keys too
    }

    @Test
    void aSequenceIsAnArrayAndAnyOtherTableAnObject() {
        assertEquals("[1,2,3]", lua.text("json.encode({1, 2, 3})"));
        assertEquals("[\"a\",[true,false],{\"k\":\"v\"}]", lua.text("json.encode({'a', {true, false}, {k = 'v'}})"));
        assertEquals("{\"a\":1}", lua.text("json.encode({a = 1})"));
        assertEquals("{}", lua.text("json.encode({})"));
        // A hole, a key past n or a key that is not an index: an object, keys written as text.
        assertEquals("{\"1\":\"a\",\"3\":\"c\"}", sorted(lua.text("json.encode({[1] = 'a', [3] = 'c'})")));
        assertEquals("{\"2\":\"b\"}", lua.text("json.encode({[2] = 'b'})"));
        assertEquals("{\"1\":\"a\",\"x\":true}", sorted(lua.text("json.encode({'a', x = true})")));
        assertEquals("{\"0\":0}", lua.text("json.encode({[0] = 0})"));
        assertEquals("{\"-1\":1}", lua.text("json.encode({[-1] = 1})"));
        assertEquals("{\"1.5\":1}", lua.text("json.encode({[1.5] = 1})"));
        // Built in any order, keys 1..n are an array.
        assertEquals("[\"a\",\"b\",\"c\"]", lua.text("json.encode((function() local t = {} t[3] = 'c' t[2] = 'b' t[1] = 'a' return t end)())"));
    }

    /** Object keys come in the table's order: sorted for comparison (flat objects of scalars only). */
    private static String sorted(String object) {
        String inner = object.substring(1, object.length() - 1);
        String[] members = inner.split(",");
        Arrays.sort(members);
        return "{" + String.join(",", members) + "}";
    }

    @Test
    void nullKeepsArrayPositions() {
        assertEquals("[1,null,3]", lua.text("json.encode({1, json.null, 3})"));
        assertEquals("{\"a\":null}", lua.text("json.encode({a = json.null})"));
    }

    @Test
    void jsonArrayMarksATableAsAnArrayEvenWhenEmpty() {
        assertEquals("[]", lua.text("json.encode(json.array())"));
        assertEquals("[]", lua.text("json.encode(json.array({}))"));
        assertEquals("[1,2]", lua.text("json.encode(json.array({1, 2}))"));
        assertEquals("{\"list\":[]}", lua.text("json.encode({list = json.array()})"));
        assertEquals("[\"x\"]", lua.text("(function() local t = json.array() t[#t + 1] = 'x' return json.encode(t) end)()"));
        assertEquals(LuaValue.TRUE, lua.value("(function() local t = {} return json.array(t) == t end)()"));
        assertEquals(LuaValue.TRUE, lua.value("(function() local t = json.array() return json.array(t) == t end)()"));
    }

    @Test
    void jsonArrayRefusesWhatItCannotMark() {
        assertEquals("bad argument #1 to 'array' (table expected, got string)", lua.pcallError("json.array, 'x'"));
        assertEquals("bad argument #1 to 'array' (table already has a metatable)", lua.pcallError("json.array, setmetatable({}, {})"));
        assertEquals("json.encode: table marked with json.array has keys other than 1..n",
                lua.pcallError("json.encode, (function() local t = json.array() t.x = 1 return t end)()"));
        assertEquals("json.encode: table marked with json.array has keys other than 1..n",
                lua.pcallError("json.encode, json.array({[2] = 1})"));
    }

    @Test
    void encodesNestedStructures() {
        assertEquals("{\"user\":{\"roles\":[\"admin\",{\"level\":[1.5]}]}}",
                lua.text("json.encode({user = {roles = {'admin', {level = {1.5}}}}})"));
        assertEquals("[[[[[]]]]]", lua.text("json.encode({{{{json.array()}}}})"));
        // The same table twice, side by side, is not a cycle.
        assertEquals("[[1],[1]]", lua.text("(function() local t = {1} return json.encode({t, t}) end)()"));
    }

    @Test
    void refusesValuesJsonCannotHold() {
        assertEquals("json.encode: cannot encode a function", encodeError("print"));
        assertEquals("json.encode: cannot encode a function (at key 'f')", encodeError("{f = print}"));
        assertEquals("json.encode: cannot encode a function (at index 2)", encodeError("{1, print}"));
        assertEquals("json.encode: cannot encode a thread", encodeError("coroutine.create(print)"));
        assertEquals("json.encode: cannot encode a userdata", encodeError("io.stdout"));
        assertEquals("json.encode: cannot encode a non-finite number (inf)", encodeError("math.huge"));
        assertEquals("json.encode: cannot encode a non-finite number (-inf)", encodeError("{x = -math.huge}"));
        assertEquals("json.encode: cannot encode a non-finite number (nan)", encodeError("0/0"));
        assertEquals("json.encode: cannot encode a non-finite number (inf)", encodeError("{[math.huge] = 1}"));
        assertEquals("json.encode: object key must be a string or a number, got boolean", encodeError("{[true] = 1}"));
        assertEquals("json.encode: object key must be a string or a number, got table", encodeError("{[{}] = 1}"));
        assertEquals("bad argument #1 to 'encode' (value expected)", lua.pcallError("json.encode"));
    }

    @Test
    void refusesCycles() {
        assertEquals("json.encode: table is cyclic", lua.pcallError("json.encode, (function() local t = {} t.self = t return t end)()"));
        assertEquals("json.encode: table is cyclic",
                lua.pcallError("json.encode, (function() local a, b = {}, {} a[1] = b b[1] = {a} return a end)()"));
    }

    @Test
    void encodeRefusesNestingDeeperThanTheLimit() {
        String nest = "(function(n) local t = {} local inner = t for i = 2, n do inner[1] = {} inner = inner[1] end return t end)";
        // The innermost table is empty, hence an object.
        assertEquals("[".repeat(999) + "{}" + "]".repeat(999), lua.text("json.encode(" + nest + "(1000))"));
        assertEquals("json.encode: nesting deeper than 1000 levels", lua.pcallError("json.encode, " + nest + "(1001)"));
        assertEquals("json.encode: nesting deeper than 1000 levels", lua.pcallError("json.encode, " + nest + "(100000)"));
    }

    @Test
    void theEncoderStartsCleanAfterAnError() {
        assertEquals("json.encode: cannot encode a function (at index 3)", encodeError("{'x', {'y'}, print}"));
        assertEquals("[\"ok\"]", lua.text("json.encode({'ok'})"));
        // A cyclic table met earlier is not remembered: encoding it again fails the same way, its parts encode fine.
        assertEquals("json.encode: table is cyclic", lua.pcallError("json.encode, (function() local t = {1} t[2] = t return t end)()"));
        assertEquals("{\"a\":{\"b\":[1]}}", lua.text("json.encode({a = {b = {1}}})"));
    }

    @Test
    void encodesLargeDocuments() {
        LuaValue big = lua.value("(function() local t = {} for i = 1, 20000 do t[i] = {id = i, name = 'item ' .. i} end return json.encode(t) end)()");
        assertTrue(big.tojstring().startsWith("[{"));
        assertEquals(LuaValue.valueOf(20000), lua.globals.load("local t = json.decode(...) return #t", "@test.lua").call(big));
        assertEquals("[1]", lua.text("json.encode({1})"));
    }

    // --- decode ---

    @Test
    void decodesScalars() {
        assertEquals(LuaValue.TRUE, lua.value("json.decode('true')"));
        assertEquals(LuaValue.FALSE, lua.value("json.decode(' false ')"));
        assertEquals(LuaValue.TRUE, lua.value("json.decode('null') == json.null"));
        assertEquals("hi", lua.text("json.decode('\"hi\"')"));
        assertEquals("", lua.text("json.decode('\"\"')"));
        assertEquals(LuaValue.valueOf(42), lua.value("json.decode('42')"));
        assertEquals(LuaValue.valueOf(42), lua.value("json.decode(42)")); // a number is a string to Lua
    }

    @Test
    void decodesIntegersAsIntegersAndOtherNumbersAsDoubles() {
        assertTrue(lua.value("json.decode('42')").isinttype());
        assertTrue(lua.value("json.decode('-7')").isinttype());
        assertTrue(lua.value("json.decode('0')").isinttype());
        assertTrue(lua.value("json.decode('1.0')").isinttype()); // Lua 5.2 numbers: 1.0 is 1
        assertEquals(LuaValue.valueOf(-2147483648), lua.value("json.decode('-2147483648')"));
        assertEquals(LuaValue.valueOf(3000000000.0), lua.value("json.decode('3000000000')"));
        assertEquals(LuaValue.valueOf(123456789012345678.0), lua.value("json.decode('123456789012345678')"));
        assertEquals(LuaValue.valueOf(1.2345678901234568e19), lua.value("json.decode('12345678901234567890')"));
        assertEquals(LuaValue.valueOf(-1.5), lua.value("json.decode('-1.5')"));
        assertEquals(LuaValue.valueOf(0.1), lua.value("json.decode('0.1')"));
        assertEquals(LuaValue.valueOf(100), lua.value("json.decode('1e2')"));
        assertEquals(LuaValue.valueOf(1.5e-7), lua.value("json.decode('15E-8')"));
        assertEquals(LuaValue.valueOf(2.5e300), lua.value("json.decode('2.5e+300')"));
        assertEquals(LuaValue.valueOf(0.30000000000000004), lua.value("json.decode('0.30000000000000004')"));
        assertEquals(LuaValue.valueOf(Double.MIN_VALUE), lua.value("json.decode('4.9e-324')"));
        assertEquals(LuaValue.valueOf(Double.POSITIVE_INFINITY), lua.value("json.decode('1e400')")); // as tonumber('1e400')
        assertEquals(LuaValue.valueOf(0), lua.value("json.decode('1e-400')"));
    }

    @Test
    void decodedNumbersMatchJavasParsing() {
        Random random = new Random(7);
        LuaValue decode = lua.globals.get("json").get("decode");
        for (int i = 0; i < 20_000; i++) {
            String text = switch (i % 4) {
                case 0 -> Double.toString(Double.longBitsToDouble(random.nextLong())).replace("Infinity", "1").replace("NaN", "2");
                case 1 -> (random.nextInt(2000) - 1000) + "." + random.nextInt(1_000_000);
                case 2 -> random.nextInt(100_000) + "e" + (random.nextInt(60) - 30);
                default -> Long.toString(random.nextLong() >> random.nextInt(64));
            };
            assertEquals(Double.parseDouble(text), decode.call(LuaValue.valueOf(text)).todouble(), text);
        }
    }

    @Test
    void decodesEveryEscape() {
        assertArrayEquals("\"\\/\b\f\n\r\t".getBytes(StandardCharsets.US_ASCII),
                lua.bytes("json.decode(" + lua("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"") + ")"));
        assertArrayEquals("aé€😀z".getBytes(StandardCharsets.UTF_8),
                lua.bytes("json.decode(" + lua("\"a\\u00e9\\u20AC\\ud83d\\ude00z\"") + ")"));
        assertArrayEquals(new byte[] {'a', 0, 'b'}, lua.bytes("json.decode(" + lua("\"a\\u0000b\"") + ")"));
        assertArrayEquals("\uffff\u0800\u07ff".getBytes(StandardCharsets.UTF_8),
                lua.bytes("json.decode(" + lua("\"\\uffff\\u0800\\u07ff\"") + ")"));
        // Raw UTF-8 passes as it is, escapes or not around it.
        assertArrayEquals("é€😀\n😀".getBytes(StandardCharsets.UTF_8), lua.bytes("json.decode(" + lua("\"é€😀\\n😀\"") + ")"));
    }

    @Test
    void decodesArraysAndObjects() {
        LuaValue decoded = lua.value("json.decode(' { \"a\" : [1, \"two\", {\"three\": 3}, [], {}], \"b\": {\"c\": null} } ')");
        LuaValue a = decoded.get("a");
        assertEquals(5, a.length());
        assertEquals(LuaValue.valueOf(1), a.get(1));
        assertEquals("two", a.get(2).tojstring());
        assertEquals(LuaValue.valueOf(3), a.get(3).get("three"));
        assertTrue(a.get(4).istable());
        assertEquals(0, ((LuaTable) a.get(5)).keyCount());
        assertSame(lua.globals.get("json").get("null"), decoded.get("b").get("c"));
        assertEquals(2, ((LuaTable) decoded).keyCount());
    }

    @Test
    void nullInAnArrayKeepsThePositionsAfterIt() {
        assertEquals(LuaValue.TRUE, lua.value("(function() local t = json.decode('[1, null, 3]') return #t == 3 and t[2] == json.null and t[3] == 3 end)()"));
        assertEquals("json.null", lua.text("tostring(json.null)"));
        assertEquals("userdata", lua.text("type(json.null)"));
    }

    @Test
    void decodedDocumentsEncodeBackTheSame() {
        for (String document : new String[] {
            "[]", "{}", "[[]]", "{\"a\":[]}", "[1,null,3]", "{\"a\":{\"b\":[true,false,null]}}", "\"é€😀\"",
            "[0.1,-2.5e-300,1e+21,42,-7]", "{\"k\":\"line\\nbreak \\\"quoted\\\" \\\\ \\u0001\"}", "[{},[{}]]",
        }) {
            // Compared as bytes: luaj's tojstring mangles 4-byte UTF-8 (it decodes at most 3 bytes a character).
            assertEquals(document, new String(lua.bytes("json.encode(json.decode(" + lua(document) + "))"), StandardCharsets.UTF_8));
        }
    }

    @Test
    void theLastOfDuplicateKeysWins() {
        assertEquals(LuaValue.valueOf(2), lua.value("json.decode('{\"a\":1,\"a\":2}').a"));
    }

    @Test
    void objectKeysStayStrings() {
        assertEquals(LuaValue.TRUE, lua.value("(function() local t = json.decode('{\"1\":\"x\"}') return t['1'] == 'x' and t[1] == nil end)()"));
    }

    @Test
    void reportsWhereTheTextIsWrong() {
        assertEquals("json.decode: unexpected end of input", decodeError(""));
        assertEquals("json.decode: unexpected end of input", decodeError("   "));
        assertEquals("json.decode: unexpected end of input", decodeError("{\"a\":1"));
        assertEquals("json.decode: unexpected end of input", decodeError("[1,"));
        assertEquals("json.decode: unexpected end of input", decodeError("tru"));
        assertEquals("json.decode: unexpected character '}' at position 11 (expected a value)", decodeError("{\"a\": [1, }"));
        assertEquals("json.decode: unexpected character ']' at position 4 (expected a value)", decodeError("[1,]"));
        assertEquals("json.decode: unexpected character '}' at position 8 (expected a string key)", decodeError("{\"a\":1,}"));
        assertEquals("json.decode: unexpected character 'a' at position 2 (expected a string key)", decodeError("{a:1}"));
        assertEquals("json.decode: unexpected character ''' at position 2 (expected a string key)", decodeError("{'a':1}"));
        assertEquals("json.decode: unexpected character '1' at position 6 (expected ':')", decodeError("{\"a\" 1}"));
        assertEquals("json.decode: unexpected character '2' at position 4 (expected ',' or ']')", decodeError("[1 2]"));
        assertEquals("json.decode: unexpected character ']' at position 7 (expected ',' or '}')", decodeError("{\"a\":1]"));
        assertEquals("json.decode: unexpected character 'x' at position 3 (expected 'true')", decodeError("trxe"));
        assertEquals("json.decode: unexpected character 'N' at position 1 (expected a value)", decodeError("NaN"));
        assertEquals("json.decode: unexpected character 'x' at position 6 (expected end of input)", decodeError("true x"));
        assertEquals("json.decode: unexpected character '{' at position 4 (expected end of input)", decodeError("{} {}"));
        assertEquals("json.decode: unexpected character 0xEF at position 1 (expected a value)", decodeError("\ufeff{}"));
        assertEquals("json.decode: unexpected character 0x0B at position 1 (expected a value)", decodeError("\u000b1"));
    }

    @Test
    void reportsInvalidNumbers() {
        assertEquals("json.decode: invalid number at position 2", decodeError("[-]"));
        assertEquals("json.decode: invalid number at position 1", decodeError("-a"));
        assertEquals("json.decode: invalid number at position 1", decodeError("01"));
        assertEquals("json.decode: invalid number at position 1", decodeError("-01"));
        assertEquals("json.decode: invalid number at position 1", decodeError("1."));
        assertEquals("json.decode: invalid number at position 1", decodeError("1.e5"));
        assertEquals("json.decode: invalid number at position 1", decodeError("1e"));
        assertEquals("json.decode: invalid number at position 1", decodeError("1e+"));
        assertEquals("json.decode: invalid number at position 1", decodeError("123456789012345678901234."));
        assertEquals("json.decode: unexpected character '+' at position 1 (expected a value)", decodeError("+1"));
        assertEquals("json.decode: unexpected character '.' at position 1 (expected a value)", decodeError(".5"));
        assertEquals("json.decode: unexpected character '.' at position 19 (expected end of input)",
                decodeError("1.2345678901234567.5"));
        assertEquals("json.decode: unexpected character 'x' at position 2 (expected end of input)", decodeError("0x10"));
    }

    @Test
    void reportsInvalidStrings() {
        assertEquals("json.decode: unterminated string starting at position 2", decodeError("[\"abc"));
        assertEquals("json.decode: unterminated string starting at position 1", decodeError("\"ab\\n"));
        assertEquals("json.decode: unterminated string starting at position 1", decodeError("\"ab\\"));
        assertEquals("json.decode: invalid escape '\\x' at position 3", decodeError("\"a\\x\""));
        assertEquals("json.decode: invalid escape '\\'' at position 2", decodeError("\"\\'\""));
        assertEquals("json.decode: invalid escape '\\' followed by 0xC3 at position 2", decodeError("\"\\é\""));
        assertEquals("json.decode: invalid \\u escape at position 2", decodeError("\"\\u12G4\""));
        assertEquals("json.decode: invalid \\u escape at position 2", decodeError("\"\\u12\""));
        assertEquals("json.decode: invalid \\u escape at position 8", decodeError("\"\\ud83d\\uZZZZ\""));
        assertEquals("json.decode: lone UTF-16 surrogate in \\u escape at position 2", decodeError("\"\\ud83d\""));
        assertEquals("json.decode: lone UTF-16 surrogate in \\u escape at position 2", decodeError("\"\\ud83dx\""));
        assertEquals("json.decode: lone UTF-16 surrogate in \\u escape at position 2", decodeError("\"\\ud83d\\u0041\""));
        assertEquals("json.decode: lone UTF-16 surrogate in \\u escape at position 3", decodeError("\"a\\ude00\""));
        assertEquals("json.decode: unescaped control character 0x0A in string at position 3", decodeError("\"a\nb\""));
        assertEquals("json.decode: unescaped control character 0x00 in string at position 5", decodeError("\"a\\n\u0000\""));
    }

    @Test
    void decodeRefusesStringsThatAreNotUtf8() {
        assertEquals("json.decode: invalid UTF-8 at position 3", lua.pcallError("json.decode, '\"a\\255\"'"));
        assertEquals("json.decode: invalid UTF-8 at position 5", lua.pcallError("json.decode, '\"a\\\\n\\195\"'")); // truncated, after an escape
        assertEquals("json.decode: invalid UTF-8 at position 2", lua.pcallError("json.decode, '\"\\237\\160\\128\"'")); // a surrogate
        assertEquals("json.decode: invalid UTF-8 at position 2", lua.pcallError("json.decode, '\"\\224\\128\\128\"'")); // overlong
        assertEquals("json.decode: invalid UTF-8 at position 3", lua.pcallError("json.decode, '{\"\\128\":1}'")); // keys too
    }

    @Test
    void decodeRefusesNestingDeeperThanTheLimit() {
        assertEquals(LuaValue.valueOf(1), lua.value("#json.decode(string.rep('[', 1000) .. string.rep(']', 1000))"));
        assertEquals("json.decode: nesting deeper than 1000 levels at position 1001",
                lua.pcallError("json.decode, string.rep('[', 1001) .. string.rep(']', 1001)"));
        assertEquals("json.decode: nesting deeper than 1000 levels at position 1001", lua.pcallError("json.decode, string.rep('[', 1000000)"));
        assertEquals("json.decode: nesting deeper than 1000 levels at position 5001",
                lua.pcallError("json.decode, string.rep('{\"a\":', 1001) .. '1' .. string.rep('}', 1001)"));
    }

    @Test
    void refusesArgumentsThatAreNotText() {
        assertEquals("bad argument #1 to 'decode' (string expected, got nil)", lua.pcallError("json.decode"));
        assertEquals("bad argument #1 to 'decode' (string expected, got table)", lua.pcallError("json.decode, {}"));
        assertEquals("bad argument #1 to 'decode' (string expected, got boolean)", lua.pcallError("json.decode, true"));
    }

    @Test
    void decodesASubstringAtItsOwnPositions() {
        // string.sub shares the bytes of the whole string in luaj: positions count from the substring's start.
        assertEquals("json.decode: unexpected character 'x' at position 3 (expected ',' or ']')",
                lua.pcallError("json.decode, ('padding [1x]'):sub(9)"));
        assertEquals(LuaValue.valueOf(2), lua.value("#json.decode(('xx[1,2]yy'):sub(3, 7))"));
    }

    @Test
    void anUncaughtErrorCarriesTheCallersLine() {
        LuaError error = assertThrows(LuaError.class, () -> lua.globals.load("local x = 1\nlocal t = json.decode('{')", "@test.lua").call());
        assertEquals("test.lua:2: json.decode: unexpected end of input", LuaErrors.describe(error, "test.lua"));
    }
}
