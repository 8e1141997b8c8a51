package dev.spoa.worker.lua;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;

class RegexLibraryTest {
    private final Snippets lua = new Snippets();

    RegexLibraryTest() {
        lua.globals.set("re", new RegexLibrary().table());
    }

    /** The snippet's results as Lua would print them, joined by commas. */
    private String results(String code) {
        Varargs values = lua.run("return " + code);
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= values.narg(); i++) {
            if (i > 1) {
                text.append(',');
            }
            text.append(values.arg(i).tojstring());
        }
        return text.toString();
    }

    @Test
    void matchGivesTheWholeMatchOrTheGroups() {
        assertEquals("123", results("re.match('abc123def', '\\\\d+')"));
        assertEquals("key,value", results("re.match('key=value', '(\\\\w+)=(\\\\w+)')"));
        assertEquals("value", results("re.match('key=value', '=(\\\\w+)')"));
        assertEquals("nil", results("re.match('abc', '\\\\d')"));
        assertEquals("", results("re.match('abc', 'x*')"));
    }

    @Test
    void anUnmatchedGroupIsFalseSoThatNilAlwaysMeansNoMatch() {
        assertEquals("false,b", results("re.match('b', '(a)?(b)')"));
        assertEquals("false", results("re.match('b', '(a)?b')"));
        assertEquals("1,1,false", results("re.find('b', '(a)?b')"));
    }

    @Test
    void namedGroupsAreNumberedGroupsToo() {
        assertEquals("2024,05", results("re.match('on 2024-05', '(?<year>\\\\d{4})-(?<month>\\\\d{2})')"));
        assertEquals("on 05/2024,1", results("re.gsub('on 2024-05', '(?<year>\\\\d{4})-(?<month>\\\\d{2})', '${month}/${year}')"));
    }

    @Test
    void anchorsAndInlineFlags() {
        assertEquals("nil", results("re.match('xabc', '^abc')"));
        assertEquals("nil", results("re.match('abc\\nxyz', '^abc$')"));
        assertEquals("abc", results("re.match('abc\\nxyz', '(?m)^abc$')"));
        assertEquals("xyz", results("re.match('abc\\nxyz', '(?m)^xyz$')"));
        assertEquals("nil", results("re.match('abc\\nxyz', '^xyz$')"));
        assertEquals("HeLLo", results("re.match('say HeLLo', '(?i)hello')"));
        assertEquals("nil", results("re.match('say HeLLo', 'hello')"));
    }

    @Test
    void findGivesBytePositionsThenGroups() {
        assertEquals("4,6", results("re.find('abc123', '\\\\d+')"));
        assertEquals("1,9,key,value", results("re.find('key=value', '(\\\\w+)=(\\\\w+)')"));
        assertEquals("nil", results("re.find('abc', 'z')"));
        // As string.find: an empty match at the end, and init one past the end.
        assertEquals("4,3", results("re.find('abc', '$')"));
        assertEquals("4,3", results("re.find('abc', '', 4)"));
        assertEquals("nil", results("re.find('abc', '', 5)"));
    }

    @Test
    void positionsAreBytesInUtf8() {
        // "é" is two bytes: "x" is the fourth byte, as string.find would say.
        assertEquals("7,7", results("re.find('café x', 'x')"));
        assertEquals("4,5", results("re.find('café', 'é')"));
        assertEquals("4,5", results("string.find('café', 'é', 1, true)"));
        // "." takes the whole character, and the capture is its two bytes.
        assertEquals("é", results("re.match('café', 'f(.)')"));
        assertEquals("2", results("#re.match('café', 'f(.)')"));
        // A 4-byte character (a surrogate pair in Java) counts 4 bytes.
        assertEquals("5,5", results("re.find('\\240\\159\\152\\128x', 'x')"));
        assertEquals("1,4", results("re.find('\\240\\159\\152\\128x', '.')"));
    }

    @Test
    void nonUtf8SubjectsAreReadAsOneCharacterPerByte() {
        // ISO-8859-1 "café": \233 alone is not UTF-8.
        assertEquals("4,4", results("re.find('caf\\233 x', '\\\\xE9')"));
        assertEquals("6,6", results("re.find('caf\\233 x', 'x')"));
        LuaValue capture = lua.eval("return re.match('caf\\233!', 'f(.)')");
        assertArrayEquals(new byte[] {(byte) 0xE9}, bytes(capture));
        // A UTF-8 "é" in the pattern is U+00E9, which is that ISO-8859-1 byte.
        assertEquals("4,4", results("re.find('caf\\233', 'é')"));
    }

    @Test
    void capturesAndReplacementsKeepTheSubjectsBytes() {
        LuaValue result = lua.eval("return (re.gsub('\\255a\\254', 'a', 'b'))");
        assertArrayEquals(new byte[] {(byte) 0xFF, 'b', (byte) 0xFE}, bytes(result));
        LuaValue utf8 = lua.eval("return (re.gsub('été', 't', 'T'))");
        assertEquals("éTé", utf8.tojstring());
    }

    @Test
    void initCountsBytesAndMayBeNegative() {
        assertEquals("5,5", results("re.find('abcabc', 'b', 3)"));
        assertEquals("5,5", results("re.find('abcabc', 'b', -2)"));
        assertEquals("2,2", results("re.find('abcabc', 'b', -100)"));
        assertEquals("2,2", results("re.find('abcabc', 'b', 0)"));
        assertEquals("nil", results("re.find('abcabc', 'b', 6)"));
        assertEquals("c", results("re.match('abcabc', '[a-z]', 6)"));
        // ^ stays the start of the subject; \G anchors at init.
        assertEquals("nil", results("re.match('abcabc', '^b', 2)"));
        assertEquals("b", results("re.match('abcabc', '\\\\Gb', 2)"));
        assertEquals("nil", results("re.match('abcabc', '\\\\Gc', 2)"));
        // Lookbehind sees the text before init.
        assertEquals("5,5", results("re.find('abcabc', '(?<=a)b', 3)"));
        // init inside "é" (bytes 4-5) starts at the next character.
        assertEquals("6,6", results("re.find('café!', '.', 5)"));
        assertEquals("4,5", results("re.find('café!', '.', 4)"));
    }

    @Test
    void gsubWithJavaReplacementSyntax() {
        assertEquals("b-a,1", results("re.gsub('a-b', '(\\\\w)-(\\\\w)', '$2-$1')"));
        assertEquals("[a][b][c],3", results("re.gsub('abc', '\\\\w', '[$0]')"));
        assertEquals("$5 and \\,1", results("re.gsub('five', 'five', '\\\\$5 and \\\\\\\\')"));
        // $12 with one group is group 1 then "2", as Java reads it.
        assertEquals("x2,1", results("re.gsub('x', '(x)', '$12')"));
        // An unmatched group inserts nothing.
        assertEquals("<>b,1", results("re.gsub('b', '(a)?b', '<$1>b')"));
        assertEquals("abc,0", results("re.gsub('abc', 'z', 'y')"));
        assertEquals("-a-b-c-,4", results("re.gsub('abc', 'x*', '-')"));
        assertEquals("a1b1c,2", results("re.gsub('a b c', ' ', 1)"));
    }

    @Test
    void gsubWithATable() {
        assertEquals("Hello World!,2", results("re.gsub('$greeting $who!', '\\\\$(\\\\w+)', {greeting = 'Hello', who = 'World'})"));
        assertEquals("x=1 y=$y,2", results("re.gsub('x=$x y=$y', '\\\\$(\\\\w+)', {x = 1})"));
        assertEquals("ONE two,2", results("re.gsub('one two', '\\\\w+', {one = 'ONE', two = false})"));
    }

    @Test
    void gsubWithAFunction() {
        assertEquals("ABC def,2", results("re.gsub('abc def', '\\\\w+', function(w) if w == 'abc' then return w:upper() end end)"));
        assertEquals("b=a,1", results("re.gsub('a=b', '(\\\\w)=(\\\\w)', function(k, v) return v .. '=' .. k end)"));
        assertEquals("1 2 3,3", results("re.gsub('a b c', '\\\\w', function(w) return w:byte() - 96 end)"));
        assertEquals("[false]b,1", results("re.gsub('b', '(a)?b', function(a) return '[' .. tostring(a) .. ']b' end)"));
        // A function may use re itself, on the same pattern.
        assertEquals("<a1> <b1>,2", results("re.gsub('a b', '\\\\w', function(w) return '<' .. (re.gsub(w .. 'x', 'x', '1')) .. '>' end)"));
    }

    @Test
    void gsubWithALibraryFunctionAndLookahead() {
        assertEquals("Hello World,2", results("re.gsub('hello world', [[\\b\\w]], string.upper)"));
        assertEquals("************1234,12", results("re.gsub('5555444433331234', [[\\d(?=\\d{4})]], '*')"));
    }

    @Test
    void gsubLimitsTheReplacements() {
        assertEquals("XXc,2", results("re.gsub('abc', '\\\\w', 'X', 2)"));
        assertEquals("abc,0", results("re.gsub('abc', '\\\\w', 'X', 0)"));
        assertEquals("abc,0", results("re.gsub('abc', '\\\\w', 'X', -1)"));
        assertEquals("XXX,3", results("re.gsub('abc', '\\\\w', 'X', 10)"));
    }

    @Test
    void gsubReturnsTheSameStringWhenNothingMatches() {
        assertEquals(LuaValue.TRUE, lua.eval("local s = string.rep('x', 100) return rawequal((re.gsub(s, 'y', 'z')), s)"));
    }

    @Test
    void gsubErrors() {
        assertEquals("test.lua:1: bad argument #3 to 'gsub' (no group 2 in pattern)", lua.error("re.gsub('a', '(a)', '$2')"));
        assertEquals("test.lua:1: bad argument #3 to 'gsub' (replacement ends with a lone '$' (write '\\$' for a dollar))",
                lua.error("re.gsub('a', 'a', 'cost: $')"));
        assertEquals("test.lua:1: bad argument #3 to 'gsub' ('$' must be followed by a group number or {name} (write '\\$' for a dollar))",
                lua.error("re.gsub('a', 'a', '$x')"));
        assertEquals("test.lua:1: bad argument #3 to 'gsub' (replacement ends with a lone '\\' (write '\\\\' for a backslash))",
                lua.error("re.gsub('a', 'a', 'x\\\\')"));
        assertEquals("test.lua:1: bad argument #3 to 'gsub' (bad group name after '${' in replacement)", lua.error("re.gsub('a', 'a', '${x')"));
        assertEquals("test.lua:1: bad argument #3 to 'gsub' (no group named 'nope' in pattern)", lua.error("re.gsub('a', '(?<x>a)', '${nope}')"));
        assertEquals("test.lua:1: bad argument #3 to 'gsub' (string/function/table expected, got nil)", lua.error("re.gsub('a', 'a')"));
        assertEquals("test.lua:1: invalid replacement value (a table)", lua.error("re.gsub('a', 'a', function() return {} end)"));
        assertEquals("test.lua:1: bad argument #4 to 'gsub' (number expected, got string)", lua.error("re.gsub('a', 'a', 'b', 'x')"));
    }

    @Test
    void splitKeepsEmptyPiecesLikeJavasSplitWithANegativeLimit() {
        assertEquals("a|b||c|", join("re.split('a,b,,c,', ',')"));
        assertEquals("abc", join("re.split('abc', ',')"));
        assertEquals("a|b|c|", join("re.split('abc', '')"));
        assertEquals("|a", join("re.split(',a', ',')"));
        assertEquals("a|b,c", join("re.split('a,b,c', ',', 2)"));
        assertEquals("é|è", join("re.split('é, è', ',\\\\s*')"));
        assertEquals("", join("re.split('', ',')"));
    }

    private String join(String call) {
        return lua.eval("return table.concat(" + call + ", '|')").tojstring();
    }

    @Test
    void aBadPatternIsAnErrorNamingIt() {
        assertEquals("test.lua:1: re: invalid pattern '(a': Unclosed group near index 2", lua.error("re.match('a', '(a')"));
        assertEquals("test.lua:1: re: invalid pattern '*': Dangling meta character '*' near index 0", lua.error("re.find('a', '*')"));
        // Still an error the second time (a bad pattern is not cached as good).
        assertEquals("test.lua:1: re: invalid pattern '(a': Unclosed group near index 2", lua.error("re.gsub('a', '(a', '')"));
    }

    @Test
    void badArgumentsAreLuaErrors() {
        assertEquals("test.lua:1: bad argument #1 to 'match' (string expected, got nil)", lua.error("re.match(nil, 'a')"));
        assertEquals("test.lua:1: bad argument #2 to 'find' (string expected, got table)", lua.error("re.find('a', {})"));
        assertEquals("test.lua:1: bad argument #3 to 'match' (number expected, got table)", lua.error("re.match('a', 'a', {})"));
        assertEquals("test.lua:1: bad argument #1 to 'split' (string expected, got boolean)", lua.error("re.split(true, 'a')"));
        // Numbers are strings, as in the string library.
        assertEquals("23", results("re.match(123, '[23]+')"));
        assertEquals("2,2", results("re.find(123, 2)"));
    }

    @Test
    void manyDistinctPatternsStayCorrectPastTheCacheBound() {
        LuaValue count = lua.eval("""
                local hits = 0
                for i = 1, 3 * %d do
                  local s = 'id-' .. i .. '-end'
                  if re.match(s, '^id-' .. i .. '-') and not re.match(s, '^id-' .. i .. '0-') then hits = hits + 1 end
                end
                -- The first patterns were dropped from the cache; they compile again.
                for i = 1, 10 do
                  if re.match('id-' .. i .. '-end', '^id-' .. i .. '-') then hits = hits + 1 end
                end
                return hits
                """.formatted(RegexLibrary.MAX_CACHED_PATTERNS));
        assertEquals(3 * RegexLibrary.MAX_CACHED_PATTERNS + 10, count.toint());
    }

    @Test
    void aPatternCutFromALargeStringIsCachedByItsOwnBytes() {
        // Twice the same pattern, the second time cut out of a large string: both match.
        assertEquals("b,b", results("re.match('abc', 'b'), re.match('abc', (string.rep('x', 100000) .. 'b'):sub(-1))"));
    }

    @Test
    void aPatternThatRecursesTooDeepIsALuaError() {
        String message = lua.error("re.match(string.rep('ab', 500000), '(a|b)*c')");
        assertTrue(message.equals("test.lua:1: re.match: pattern too complex for this subject (stack overflow)"), message);
    }

    private static byte[] bytes(LuaValue value) {
        LuaString string = value.checkstring();
        byte[] copy = new byte[string.m_length];
        System.arraycopy(string.m_bytes, string.m_offset, copy, 0, copy.length);
        return copy;
    }
}
