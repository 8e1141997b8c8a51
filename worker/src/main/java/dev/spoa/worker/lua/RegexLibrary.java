package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.LuaArgs.argError;
import static dev.spoa.worker.lua.LuaArgs.checkLuaString;
import static dev.spoa.worker.lua.LuaArgs.optInteger;
import static dev.spoa.worker.lua.LuaArgs.typeName;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The global {@code re}: Java regular expressions ({@link java.util.regex.Pattern} syntax) for
 * handlers, with the calling conventions of Lua's string library.
 *
 * <pre>
 * re.match(s, pattern [, init])        the groups (or the whole match); nil if none
 * re.find(s, pattern [, init])         start, end (1-based byte positions), then the groups; nil if none
 * re.gsub(s, pattern, repl [, n])      new string, number of replacements
 * re.split(s, pattern [, max])         array of the pieces between matches
 * </pre>
 *
 * <p>Lua strings are bytes: the subject and the pattern are each read as UTF-8 when they are valid
 * UTF-8 (so "é" in a pattern matches "é", and {@code .} matches it whole), else as ISO-8859-1 (one
 * character per byte). Positions are byte positions, as string.find gives them; captures are the
 * subject's own bytes. A group that did not take part in the match is {@code false} (never nil,
 * so that a nil first result always means "no match"). The search starts at {@code init} (a byte
 * position, negative from the end, as in Lua); {@code ^} still means the start of the subject,
 * {@code \G} anchors at {@code init}.
 *
 * <p>A string {@code repl} uses Java's replacement syntax: {@code $0} the whole match, {@code $1}
 * a group, {@code ${name}} a named group, {@code \$} a literal dollar and {@code \\} a backslash
 * (Lua's {@code %1} means nothing here). A table is indexed by the first group (the whole match if
 * the pattern has no group); a function is called with the groups (or the whole match). A false or
 * nil result keeps the match as it was; a string or a number replaces it. Replacement bytes are
 * inserted as they are.
 *
 * <p>Compiled patterns are cached ({@value #MAX_CACHED_PATTERNS}, least recently used dropped).
 */
final class RegexLibrary {
    static final int MAX_CACHED_PATTERNS = 512;

    private final LruCache<LuaString, Compiled> patterns = new LruCache<>(MAX_CACHED_PATTERNS);

    LuaTable table() {
        LuaTable re = new LuaTable();
        re.rawset("match", new Match());
        re.rawset("find", new Find());
        re.rawset("gsub", new Gsub());
        re.rawset("split", new Split());
        return re;
    }

    /**
     * A compiled pattern and one idle matcher for it: reusing the matcher saves its arrays on every
     * call. A call takes it and gives it back; a nested call on the same pattern (from a gsub
     * function) finds none idle and makes its own.
     */
    private static final class Compiled {
        final Pattern pattern;
        private Matcher idle;

        Compiled(Pattern pattern) {
            this.pattern = pattern;
        }

        Matcher take(String text) {
            Matcher matcher = idle;
            if (matcher == null) {
                return pattern.matcher(text);
            }
            idle = null;
            return matcher.reset(text);
        }

        void giveBack(Matcher matcher) {
            matcher.reset(""); // so that the cache does not keep the subject alive
            idle = matcher;
        }
    }

    private Compiled compile(LuaValue value, String function) {
        LuaString key = checkLuaString(value, 2, function);
        Compiled compiled = patterns.get(key);
        if (compiled == null) {
            String source = decode(key.m_bytes, key.m_offset, key.m_length, oneBytePerChar(key.m_bytes, key.m_offset, key.m_length));
            try {
                compiled = new Compiled(Pattern.compile(source));
            } catch (PatternSyntaxException bad) {
                String message = bad.getMessage();
                int newline = message.indexOf('\n');
                throw new LuaError("re: invalid pattern '" + source + "': " + (newline < 0 ? message : message.substring(0, newline)));
            }
            patterns.put(LruCache.ownKey(key), compiled);
        }
        return compiled;
    }

    /**
     * The subject as Java text, and how its character indices map back to byte offsets. ASCII and
     * ISO-8859-1 text map one to one; only UTF-8 with multi-byte characters builds a table.
     */
    private static final class Subject {
        final LuaString string;
        final byte[] bytes;
        final int offset;
        final int length;
        final String text;
        private final boolean oneBytePerChar;
        private int[] byteOfChar;

        Subject(LuaString string) {
            this.string = string;
            this.bytes = string.m_bytes;
            this.offset = string.m_offset;
            this.length = string.m_length;
            this.oneBytePerChar = oneBytePerChar(bytes, offset, length);
            this.text = decode(bytes, offset, length, oneBytePerChar);
        }

        /** The 0-based byte offset where the character at {@code index} starts (or the length, for the end). */
        int byteAt(int index) {
            if (oneBytePerChar) {
                return index;
            }
            if (byteOfChar == null) {
                byteOfChar = mapChars(text);
            }
            return byteOfChar[index];
        }

        /** The first character index whose byte offset is at or after {@code byteOffset}. */
        int charAt(int byteOffset) {
            if (oneBytePerChar) {
                return byteOffset;
            }
            if (byteOfChar == null) {
                byteOfChar = mapChars(text);
            }
            int found = Arrays.binarySearch(byteOfChar, byteOffset);
            return found >= 0 ? found : -found - 1;
        }

        LuaValue group(Matcher matcher, int group) {
            int start = matcher.start(group);
            if (start < 0) {
                return LuaValue.FALSE;
            }
            return slice(byteAt(start), byteAt(matcher.end(group)));
        }

        LuaString slice(int from, int to) {
            return LuaString.valueOf(bytes, offset + from, to - from);
        }
    }

    private static int[] mapChars(String text) {
        int[] map = new int[text.length() + 1];
        int position = 0;
        for (int i = 0; i < text.length(); i++) {
            map[i] = position;
            char c = text.charAt(i);
            if (c < 0x80) {
                position += 1;
            } else if (c < 0x800) {
                position += 2;
            } else if (Character.isHighSurrogate(c)) {
                // A pair is one 4-byte sequence; no match can end between its halves.
                map[++i] = position;
                position += 4;
            } else {
                position += 3;
            }
        }
        map[text.length()] = position;
        return map;
    }

    private static boolean isAscii(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** Well-formed UTF-8 as Java's decoder takes it: no overlong forms, no surrogates, nothing past U+10FFFF. */
    static boolean isUtf8(byte[] bytes, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int extra;
            int min;
            if (b >= 0xC2 && b <= 0xDF) {
                extra = 1;
                min = 0x80;
            } else if (b >= 0xE0 && b <= 0xEF) {
                extra = 2;
                min = 0x800;
            } else if (b >= 0xF0 && b <= 0xF4) {
                extra = 3;
                min = 0x10000;
            } else {
                return false;
            }
            if (i + extra >= end) {
                return false;
            }
            int code = b & (0x3F >> extra);
            for (int k = 1; k <= extra; k++) {
                int next = bytes[i + k] & 0xFF;
                if ((next & 0xC0) != 0x80) {
                    return false;
                }
                code = (code << 6) | (next & 0x3F);
            }
            if (code < min || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
                return false;
            }
            i += extra + 1;
        }
        return true;
    }

    /** ASCII, or bytes that are not UTF-8 and so are read as ISO-8859-1. */
    private static boolean oneBytePerChar(byte[] bytes, int offset, int length) {
        return isAscii(bytes, offset, length) || !isUtf8(bytes, offset, length);
    }

    private static String decode(byte[] bytes, int offset, int length, boolean oneBytePerChar) {
        return new String(bytes, offset, length, oneBytePerChar ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /**
     * Lua's init argument as a character index to start at, or -1 when it lies past the end (Lua
     * then finds nothing). A position inside a multi-byte character starts at the next one.
     */
    private static int start(Subject subject, LuaValue init, String function) {
        long position = optInteger(init, 3, function, 1);
        if (position < 0) {
            position = Math.max(subject.length + position + 1, 1);
        } else if (position == 0) {
            position = 1;
        } else if (position > subject.length + 1L) {
            return -1;
        }
        return subject.charAt((int) position - 1);
    }

    /**
     * Java's regex recurses per repetition on some patterns ("(a|b)*"), and a long subject would
     * exhaust the worker's stack: that becomes a Lua error. Only the search is guarded, so that a
     * stack overflow in a gsub function is reported as the handler's own.
     */
    private static boolean find(Matcher matcher, int from, String function) {
        try {
            return from < 0 ? matcher.find() : matcher.find(from);
        } catch (StackOverflowError overflow) {
            throw new LuaError("re." + function + ": pattern too complex for this subject (stack overflow)");
        }
    }

    /** re.match(s, pattern [, init]): the groups, or the whole match; nil when nothing matches. */
    private final class Match extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            Subject subject = new Subject(checkLuaString(args.arg1(), 1, "match"));
            Compiled compiled = compile(args.arg(2), "match");
            int from = start(subject, args.arg(3), "match");
            if (from < 0) {
                return NIL;
            }
            Matcher matcher = compiled.take(subject.text);
            try {
                if (!find(matcher, from, "match")) {
                    return NIL;
                }
                int groups = matcher.groupCount();
                if (groups == 0) {
                    return subject.slice(subject.byteAt(matcher.start()), subject.byteAt(matcher.end()));
                }
                if (groups == 1) {
                    return subject.group(matcher, 1);
                }
                LuaValue[] values = new LuaValue[groups];
                for (int g = 1; g <= groups; g++) {
                    values[g - 1] = subject.group(matcher, g);
                }
                return varargsOf(values);
            } finally {
                compiled.giveBack(matcher);
            }
        }
    }

    /** re.find(s, pattern [, init]): start, end (inclusive, 1-based bytes), then the groups; nil when nothing matches. */
    private final class Find extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            Subject subject = new Subject(checkLuaString(args.arg1(), 1, "find"));
            Compiled compiled = compile(args.arg(2), "find");
            int from = start(subject, args.arg(3), "find");
            if (from < 0) {
                return NIL;
            }
            Matcher matcher = compiled.take(subject.text);
            try {
                if (!find(matcher, from, "find")) {
                    return NIL;
                }
                LuaValue start = valueOf(subject.byteAt(matcher.start()) + 1);
                LuaValue end = valueOf(subject.byteAt(matcher.end()));
                int groups = matcher.groupCount();
                if (groups == 0) {
                    return varargsOf(start, end);
                }
                LuaValue[] values = new LuaValue[groups + 2];
                values[0] = start;
                values[1] = end;
                for (int g = 1; g <= groups; g++) {
                    values[g + 1] = subject.group(matcher, g);
                }
                return varargsOf(values);
            } finally {
                compiled.giveBack(matcher);
            }
        }
    }

    /** re.gsub(s, pattern, repl [, n]): the new string and how many matches were replaced. */
    private final class Gsub extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            Subject subject = new Subject(checkLuaString(args.arg1(), 1, "gsub"));
            Compiled compiled = compile(args.arg(2), "gsub");
            LuaValue repl = args.arg(3);
            int replType = repl.type();
            LuaString template = null;
            if (replType == TSTRING || replType == TNUMBER) {
                template = repl.strvalue();
                checkTemplate(template, compiled.pattern);
            } else if (replType != TTABLE && replType != TFUNCTION) {
                throw argError(3, "gsub", "string/function/table expected, got " + typeName(repl));
            }
            long limit = optInteger(args.arg(4), 4, "gsub", Long.MAX_VALUE);
            Matcher matcher = compiled.take(subject.text);
            try {
                ByteBuilder out = null;
                int copied = 0; // bytes of the subject already in out
                int count = 0;
                while (count < limit && find(matcher, -1, "gsub")) {
                    int start = subject.byteAt(matcher.start());
                    int end = subject.byteAt(matcher.end());
                    if (out == null) {
                        out = new ByteBuilder(subject.length + 16);
                    }
                    out.append(subject.bytes, subject.offset + copied, start - copied);
                    if (template != null) {
                        appendTemplate(out, template, matcher, subject);
                    } else {
                        LuaValue value = replacement(repl, matcher, subject);
                        if (value.toboolean()) {
                            if (value.type() != TSTRING && value.type() != TNUMBER) {
                                throw new LuaError("invalid replacement value (a " + typeName(value) + ")");
                            }
                            LuaString bytes = value.strvalue();
                            out.append(bytes.m_bytes, bytes.m_offset, bytes.m_length);
                        } else {
                            out.append(subject.bytes, subject.offset + start, end - start);
                        }
                    }
                    copied = end;
                    count++;
                }
                if (out == null) {
                    return varargsOf(subject.string, ZERO); // nothing matched: the same string, no copy
                }
                out.append(subject.bytes, subject.offset + copied, subject.length - copied);
                return varargsOf(out.toLuaString(), valueOf(count));
            } finally {
                compiled.giveBack(matcher);
            }
        }

        /** The value a table or function gives for this match; a nested re call may run here. */
        private LuaValue replacement(LuaValue repl, Matcher matcher, Subject subject) {
            int groups = matcher.groupCount();
            if (repl.istable()) {
                if (groups == 0) {
                    return repl.get(subject.slice(subject.byteAt(matcher.start()), subject.byteAt(matcher.end())));
                }
                LuaValue key = subject.group(matcher, 1);
                return key == FALSE ? FALSE : repl.get(key);
            }
            if (groups == 0) {
                return repl.call(subject.slice(subject.byteAt(matcher.start()), subject.byteAt(matcher.end())));
            }
            if (groups == 1) {
                return repl.call(subject.group(matcher, 1));
            }
            LuaValue[] values = new LuaValue[groups];
            for (int g = 1; g <= groups; g++) {
                values[g - 1] = subject.group(matcher, g);
            }
            return repl.invoke(values).arg1();
        }
    }

    /**
     * Checks Java replacement syntax once per call, before any match (group names can only be
     * checked against a match, so an unknown name is reported at the first one).
     */
    private static void checkTemplate(LuaString template, Pattern pattern) {
        byte[] bytes = template.m_bytes;
        int end = template.m_offset + template.m_length;
        int groups = -1;
        for (int i = template.m_offset; i < end; i++) {
            byte b = bytes[i];
            if (b == '\\') {
                if (++i == end) {
                    throw argError(3, "gsub", "replacement ends with a lone '\\' (write '\\\\' for a backslash)");
                }
            } else if (b == '$') {
                if (++i == end) {
                    throw argError(3, "gsub", "replacement ends with a lone '$' (write '\\$' for a dollar)");
                }
                if (bytes[i] == '{') {
                    int close = i + 1;
                    while (close < end && isNameChar(bytes[close])) {
                        close++;
                    }
                    if (close == i + 1 || close == end || bytes[close] != '}' || !isLetter(bytes[i + 1])) {
                        throw argError(3, "gsub", "bad group name after '${' in replacement");
                    }
                    i = close;
                } else if (isDigit(bytes[i])) {
                    if (groups < 0) {
                        groups = pattern.matcher("").groupCount();
                    }
                    if (bytes[i] - '0' > groups) {
                        throw argError(3, "gsub", "no group " + (bytes[i] - '0') + " in pattern");
                    }
                } else {
                    throw argError(3, "gsub", "'$' must be followed by a group number or {name} (write '\\$' for a dollar)");
                }
            }
        }
    }

    /** Java's appendReplacement, on bytes: $n takes further digits while they name a group. */
    private static void appendTemplate(ByteBuilder out, LuaString template, Matcher matcher, Subject subject) {
        byte[] bytes = template.m_bytes;
        int end = template.m_offset + template.m_length;
        int groups = matcher.groupCount();
        int i = template.m_offset;
        while (i < end) {
            byte b = bytes[i];
            if (b == '\\') {
                out.append(bytes[i + 1]);
                i += 2;
            } else if (b == '$' && bytes[i + 1] == '{') {
                int close = i + 2;
                while (bytes[close] != '}') {
                    close++;
                }
                String name = new String(bytes, i + 2, close - i - 2, StandardCharsets.US_ASCII);
                int start;
                try {
                    start = matcher.start(name);
                } catch (IllegalArgumentException unknown) {
                    throw argError(3, "gsub", "no group named '" + name + "' in pattern");
                }
                appendGroup(out, start, matcher.end(name), subject);
                i = close + 1;
            } else if (b == '$') {
                int group = bytes[i + 1] - '0';
                i += 2;
                while (i < end && isDigit(bytes[i]) && group * 10 + bytes[i] - '0' <= groups) {
                    group = group * 10 + bytes[i] - '0';
                    i++;
                }
                appendGroup(out, matcher.start(group), matcher.end(group), subject);
            } else {
                out.append(b);
                i++;
            }
        }
    }

    private static void appendGroup(ByteBuilder out, int start, int end, Subject subject) {
        if (start >= 0) {
            int from = subject.byteAt(start);
            out.append(subject.bytes, subject.offset + from, subject.byteAt(end) - from);
        }
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static boolean isLetter(byte b) {
        return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    }

    private static boolean isNameChar(byte b) {
        return isLetter(b) || isDigit(b);
    }

    /**
     * re.split(s, pattern [, max]): the pieces between matches, as Java's {@code split(s, -1)}
     * (trailing empty pieces kept, no empty first piece for a zero-width match at the start); with
     * max, at most max pieces, the last holding the rest.
     */
    private final class Split extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            Subject subject = new Subject(checkLuaString(args.arg1(), 1, "split"));
            Compiled compiled = compile(args.arg(2), "split");
            long max = optInteger(args.arg(3), 3, "split", 0);
            LuaTable pieces = new LuaTable();
            int count = 0;
            int from = 0;
            Matcher matcher = compiled.take(subject.text);
            try {
                while ((max <= 0 || count < max - 1) && find(matcher, -1, "split")) {
                    if (matcher.end() == 0) {
                        continue;
                    }
                    int start = subject.byteAt(matcher.start());
                    pieces.rawset(++count, subject.slice(from, start));
                    from = subject.byteAt(matcher.end());
                }
            } finally {
                compiled.giveBack(matcher);
            }
            pieces.rawset(++count, subject.slice(from, subject.length));
            return pieces;
        }
    }

    /** A growing byte array for gsub's result. */
    private static final class ByteBuilder {
        private byte[] bytes;
        private int length;

        ByteBuilder(int capacity) {
            bytes = new byte[Math.max(capacity, 16)];
        }

        void append(byte b) {
            ensure(1);
            bytes[length++] = b;
        }

        void append(byte[] source, int offset, int count) {
            ensure(count);
            System.arraycopy(source, offset, bytes, length, count);
            length += count;
        }

        private void ensure(int more) {
            if (length + more > bytes.length) {
                long wanted = Math.max((long) bytes.length * 2, (long) length + more);
                if (wanted > Integer.MAX_VALUE - 16) {
                    throw new LuaError("re.gsub: result too large");
                }
                bytes = Arrays.copyOf(bytes, (int) wanted);
            }
        }

        LuaString toLuaString() {
            return LuaString.valueUsing(bytes.length == length ? bytes : Arrays.copyOf(bytes, length));
        }
    }
}
