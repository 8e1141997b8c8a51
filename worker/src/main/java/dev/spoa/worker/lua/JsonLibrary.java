package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.LuaArgs.argError;
import static dev.spoa.worker.lua.LuaArgs.checkBytes;
import static dev.spoa.worker.lua.LuaArgs.typeName;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaUserdata;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;

/**
 * The global {@code json} table (RFC 8259), for handlers that read or build JSON bodies:
 * <ul>
 * <li>{@code json.encode(value)}: a string. A table whose keys are exactly 1..n is an array, any
 * other table an object (keys: strings, or numbers written as their text); an empty table is
 * {@code {}} unless marked with {@code json.array}. Strings must be valid UTF-8. Functions,
 * userdata, threads, NaN, infinities, cycles and nesting deeper than {@value #MAX_DEPTH} are
 * errors.
 * <li>{@code json.decode(text)}: a Lua value. Arrays come back marked with {@code json.array}, so
 * that they encode back as arrays even when empty; JSON null comes back as {@code json.null}, so
 * that array positions are kept (test with {@code v == json.null}). Malformed text is a Lua error
 * naming the 1-based byte position.
 * <li>{@code json.null}: the value that stands for JSON null both ways.
 * <li>{@code json.array([t])}: marks {@code t} (or a new table) as a JSON array and returns it.
 * </ul>
 * Neither function runs Lua code (no metamethods), so the buffers they keep between calls are safe
 * to reuse: a worker runs one handler at a time.
 */
final class JsonLibrary {
    /** Deep enough for any real document, shallow enough that recursion stays far from the thread's stack size. */
    static final int MAX_DEPTH = 1000;

    /** A buffer grown past this by one large document is dropped after it, not kept for the worker's life. */
    private static final int MAX_RETAINED_BUFFER = 64 * 1024;

    /** Integral doubles up to 2^53 are exact, so they print as integers; beyond, as any other double. */
    private static final double MAX_EXACT_INTEGER = 0x1p53;

    /** 10^0..10^22 are exact doubles: an exact mantissa times or divided by one of them is correctly rounded. */
    private static final double[] EXACT_POWERS_OF_TEN = {
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    };

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final LuaUserdata nullValue;
    /** The metatable json.array puts on a table: identity is all that matters. */
    private final LuaTable arrayMark = new LuaTable();
    private final Encoder encoder = new Encoder();
    private final Decoder decoder = new Decoder();

    JsonLibrary() {
        LuaTable nullMetatable = new LuaTable();
        LuaString printed = LuaString.valueOf("json.null");
        nullMetatable.rawset(LuaValue.TOSTRING, new ZeroArgFunction() {
            @Override
            public LuaValue call() {
                return printed;
            }
        });
        nullValue = new LuaUserdata(new JsonNull(), nullMetatable);
    }

    /** What a LuaUserdata prints in Java (tostring in Lua goes through the metatable). */
    private record JsonNull() {
        @Override
        public String toString() {
            return "json.null";
        }
    }

    LuaTable table() {
        LuaTable json = new LuaTable();
        json.rawset("encode", new Encode());
        json.rawset("decode", new Decode());
        json.rawset("array", new MarkArray());
        json.rawset("null", nullValue);
        return json;
    }

    private final class Encode extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            if (args.narg() == 0) {
                throw argError(1, "encode", "value expected");
            }
            return encoder.encode(args.arg1());
        }
    }

    private final class Decode extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue text) {
            if (text instanceof LuaString string) {
                return decoder.decode(string.m_bytes, string.m_offset, string.m_length);
            }
            byte[] bytes = checkBytes(text, 1, "decode");
            return decoder.decode(bytes, 0, bytes.length);
        }
    }

    /** json.array([t]): a metatable, rather than a sentinel, so that an array built in a loop may end up empty. */
    private final class MarkArray extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue value) {
            if (value.isnil()) {
                LuaTable array = new LuaTable();
                array.setmetatable(arrayMark);
                return array;
            }
            if (!value.istable()) {
                throw argError(1, "array", "table expected, got " + typeName(value));
            }
            LuaValue metatable = value.getmetatable();
            if (metatable != null && metatable != arrayMark) {
                // Replacing it would silently break whatever the table's own metatable does.
                throw argError(1, "array", "table already has a metatable");
            }
            value.setmetatable(arrayMark);
            return value;
        }
    }

    private final class Encoder {
        private byte[] out = new byte[256];
        private int length;
        /** The tables being written, outermost first: a table met again among them is a cycle. */
        private LuaTable[] open = new LuaTable[16];
        private int deepest;

        LuaString encode(LuaValue value) {
            length = 0;
            deepest = 0;
            try {
                if (!value(value, 0)) {
                    throw cannotEncode(value, "");
                }
                return LuaString.valueOf(out, 0, length);
            } finally {
                // An error leaves tables behind; none may be kept alive by the encoder.
                Arrays.fill(open, 0, deepest, null);
                if (out.length > MAX_RETAINED_BUFFER) {
                    out = new byte[256];
                }
            }
        }

        /** False for a value JSON cannot hold, so that the caller can say where it was. */
        private boolean value(LuaValue value, int depth) {
            switch (value.type()) {
                case LuaValue.TNIL -> append(NULL_TEXT);
                case LuaValue.TBOOLEAN -> append(value.toboolean() ? TRUE_TEXT : FALSE_TEXT);
                case LuaValue.TNUMBER -> number(value);
                case LuaValue.TSTRING -> string((LuaString) value);
                case LuaValue.TTABLE -> table((LuaTable) value, depth + 1);
                case LuaValue.TUSERDATA -> {
                    if (value != nullValue) {
                        return false;
                    }
                    append(NULL_TEXT);
                }
                default -> {
                    return false;
                }
            }
            return true;
        }

        private void table(LuaTable table, int depth) {
            if (depth > MAX_DEPTH) {
                throw new LuaError("json.encode: nesting deeper than " + MAX_DEPTH + " levels");
            }
            for (int i = 0; i < depth - 1; i++) {
                if (open[i] == table) {
                    throw new LuaError("json.encode: table is cyclic");
                }
            }
            if (depth > open.length) {
                open = Arrays.copyOf(open, Math.min(open.length * 2, MAX_DEPTH));
            }
            open[depth - 1] = table;
            deepest = Math.max(deepest, depth);

            boolean marked = table.getmetatable() == arrayMark;
            int size = sequenceSize(table);
            if (size > 0 || (marked && size == 0)) {
                array(table, size, depth);
            } else if (marked) {
                throw new LuaError("json.encode: table marked with json.array has keys other than 1..n");
            } else {
                object(table, depth);
            }
            open[depth - 1] = null;
        }

        /**
         * n when the keys are exactly 1..n, else -1. Stops at the first key that is not a positive
         * integer, so that an object costs one look at its first key here.
         */
        private int sequenceSize(LuaTable table) {
            int count = 0;
            int highest = 0;
            LuaValue key = LuaValue.NIL;
            while (true) {
                key = table.next(key).arg1();
                if (key.isnil()) {
                    break;
                }
                if (!key.isinttype() || key.toint() <= 0) {
                    return -1;
                }
                count++;
                highest = Math.max(highest, key.toint());
            }
            // Distinct positive integers, none above the count: exactly 1..count.
            return highest == count ? count : -1;
        }

        private void array(LuaTable table, int size, int depth) {
            append((byte) '[');
            for (int i = 1; i <= size; i++) {
                if (i > 1) {
                    append((byte) ',');
                }
                LuaValue element = table.rawget(i);
                if (!value(element, depth)) {
                    throw cannotEncode(element, " (at index " + i + ")");
                }
            }
            append((byte) ']');
        }

        private void object(LuaTable table, int depth) {
            append((byte) '{');
            boolean first = true;
            LuaValue key = LuaValue.NIL;
            while (true) {
                Varargs entry = table.next(key);
                key = entry.arg1();
                if (key.isnil()) {
                    break;
                }
                if (!first) {
                    append((byte) ',');
                }
                first = false;
                if (key.type() == LuaValue.TSTRING) {
                    string((LuaString) key);
                } else if (key.type() == LuaValue.TNUMBER) {
                    append((byte) '"');
                    number(key);
                    append((byte) '"');
                } else {
                    throw new LuaError("json.encode: object key must be a string or a number, got " + typeName(key));
                }
                append((byte) ':');
                LuaValue value = entry.arg(2);
                if (!value(value, depth)) {
                    throw cannotEncode(value, " (at key '" + key.tojstring() + "')");
                }
            }
            append((byte) '}');
        }

        private LuaError cannotEncode(LuaValue value, String where) {
            return new LuaError("json.encode: cannot encode a " + typeName(value) + where);
        }

        private void number(LuaValue number) {
            if (number.isinttype()) {
                appendLong(number.toint());
                return;
            }
            double value = number.todouble();
            if (Double.isNaN(value) || Double.isInfinite(value)) {
                throw new LuaError("json.encode: cannot encode a non-finite number (" + number.tojstring() + ")");
            }
            if (value == Math.rint(value) && Math.abs(value) <= MAX_EXACT_INTEGER) {
                appendLong((long) value);
                return;
            }
            appendDouble(value);
        }

        private void appendLong(long value) {
            ensure(20);
            if (value < 0) {
                out[length++] = '-';
                value = -value; // |value| <= 2^53 here or fits an int: no overflow
            }
            int digits = 1;
            for (long rest = value / 10; rest > 0; rest /= 10) {
                digits++;
            }
            int at = length + digits;
            length = at;
            do {
                out[--at] = (byte) ('0' + value % 10);
                value /= 10;
            } while (value > 0);
        }

        /**
         * The shortest decimal that reads back as the same double, written like JavaScript's
         * Number toString (plain between 1e-7 and 1e21, else d.ddde±x). Double.toString round-trips
         * but on Java 17 sometimes prints a digit or more too many (2^-1074 as 4.9E-324), which
         * only happens with 16 or more digits or subnormals: then shorter roundings are tried.
         */
        private void appendDouble(double value) {
            if (value < 0) {
                append((byte) '-');
                value = -value;
            }
            String text = Double.toString(value);
            int e = text.indexOf('E');
            String mantissa = e < 0 ? text : text.substring(0, e);
            int exponent = e < 0 ? 0 : Integer.parseInt(text, e + 1, text.length(), 10);
            int point = mantissa.indexOf('.');
            StringBuilder digits = new StringBuilder(mantissa.length());
            digits.append(mantissa, 0, point).append(mantissa, point + 1, mantissa.length());
            // value = 0.<digits> * 10^pointAt
            int pointAt = point + exponent;
            int leading = 0;
            while (leading < digits.length() - 1 && digits.charAt(leading) == '0') {
                leading++;
            }
            digits.delete(0, leading);
            pointAt -= leading;
            int end = digits.length();
            while (end > 1 && digits.charAt(end - 1) == '0') {
                end--;
            }
            digits.setLength(end);

            if (digits.length() >= 16 || value < Double.MIN_NORMAL) {
                BigDecimal exact = new BigDecimal(value);
                BigDecimal shortest = null;
                // A decimal of p digits that reads back implies one of p + 1: stop at the first failure.
                for (int precision = digits.length() - 1; precision >= 1; precision--) {
                    BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
                    if (rounded.doubleValue() != value) {
                        break;
                    }
                    shortest = rounded;
                }
                if (shortest != null) {
                    shortest = shortest.stripTrailingZeros();
                    String unscaled = shortest.unscaledValue().toString();
                    digits.setLength(0);
                    digits.append(unscaled);
                    pointAt = unscaled.length() - shortest.scale();
                }
            }
            appendDecimal(digits, pointAt);
        }

        private void appendDecimal(CharSequence digits, int pointAt) {
            int count = digits.length();
            ensure(count + 30);
            if (count <= pointAt && pointAt <= 21) {
                appendChars(digits, 0, count);
                for (int i = count; i < pointAt; i++) {
                    out[length++] = '0';
                }
            } else if (0 < pointAt && pointAt <= 21) {
                appendChars(digits, 0, pointAt);
                out[length++] = '.';
                appendChars(digits, pointAt, count);
            } else if (-6 < pointAt && pointAt <= 0) {
                out[length++] = '0';
                out[length++] = '.';
                for (int i = pointAt; i < 0; i++) {
                    out[length++] = '0';
                }
                appendChars(digits, 0, count);
            } else {
                appendChars(digits, 0, 1);
                if (count > 1) {
                    out[length++] = '.';
                    appendChars(digits, 1, count);
                }
                out[length++] = 'e';
                out[length++] = (byte) (pointAt > 0 ? '+' : '-');
                appendLong(Math.abs(pointAt - 1));
            }
        }

        private void appendChars(CharSequence chars, int from, int to) {
            for (int i = from; i < to; i++) {
                out[length++] = (byte) chars.charAt(i);
            }
        }

        private void string(LuaString string) {
            byte[] bytes = string.m_bytes;
            int end = string.m_offset + string.m_length;
            ensure(string.m_length + 2);
            out[length++] = '"';
            int run = string.m_offset;
            int i = run;
            while (i < end) {
                byte b = bytes[i];
                if (b >= 0x20 && b != '"' && b != '\\') {
                    i++; // printable ASCII (a byte from 0x80 is negative): copied with its run
                } else if (b < 0) {
                    int sequence = utf8SequenceLength(bytes, i, end);
                    if (sequence < 0) {
                        throw new LuaError("json.encode: string is not valid UTF-8");
                    }
                    i += sequence;
                } else {
                    appendBytes(bytes, run, i - run);
                    escape(b);
                    i++;
                    run = i;
                }
            }
            appendBytes(bytes, run, i - run);
            append((byte) '"');
        }

        private void escape(int b) {
            ensure(6);
            out[length++] = '\\';
            switch (b) {
                case '"' -> out[length++] = '"';
                case '\\' -> out[length++] = '\\';
                case '\n' -> out[length++] = 'n';
                case '\r' -> out[length++] = 'r';
                case '\t' -> out[length++] = 't';
                case '\b' -> out[length++] = 'b';
                case '\f' -> out[length++] = 'f';
                default -> {
                    out[length++] = 'u';
                    out[length++] = '0';
                    out[length++] = '0';
                    out[length++] = HEX_DIGITS[b >> 4];
                    out[length++] = HEX_DIGITS[b & 0xf];
                }
            }
        }

        private void append(byte b) {
            ensure(1);
            out[length++] = b;
        }

        private void append(byte[] bytes) {
            appendBytes(bytes, 0, bytes.length);
        }

        private void appendBytes(byte[] bytes, int from, int count) {
            ensure(count);
            System.arraycopy(bytes, from, out, length, count);
            length += count;
        }

        private void ensure(int more) {
            if (out.length - length < more) {
                out = Arrays.copyOf(out, Math.max(out.length * 2, length + more));
            }
        }
    }

    private static final byte[] NULL_TEXT = "null".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRUE_TEXT = "true".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] FALSE_TEXT = "false".getBytes(StandardCharsets.US_ASCII);

    /** A single pass over the text's bytes: no Java String of it, no regex. */
    private final class Decoder {
        private byte[] in;
        private int start;
        private int end;
        private int pos;
        /** Strings with escapes are rebuilt here (those without are copied straight from the input). */
        private byte[] scratch = new byte[256];
        /**
         * The members of the containers being read, innermost last (an object's as key, value):
         * each table is made once its size is known, at that size, rather than grown (and rehashed)
         * one member at a time.
         */
        private LuaValue[] members = new LuaValue[64];
        private int top;

        LuaValue decode(byte[] bytes, int offset, int count) {
            in = bytes;
            start = offset;
            end = offset + count;
            pos = offset;
            top = 0;
            try {
                skipWhitespace();
                LuaValue value = value(0);
                skipWhitespace();
                if (pos < end) {
                    throw unexpected("end of input");
                }
                return value;
            } finally {
                in = null;
                pop(0); // after an error, what was read so far
                if (scratch.length > MAX_RETAINED_BUFFER) {
                    scratch = new byte[256];
                }
                if (members.length > MAX_RETAINED_BUFFER / 8) {
                    members = new LuaValue[64];
                }
            }
        }

        private LuaValue value(int depth) {
            if (pos >= end) {
                throw endOfInput();
            }
            return switch (in[pos]) {
                case '{' -> object(depth + 1);
                case '[' -> array(depth + 1);
                case '"' -> string();
                case 't' -> literal(TRUE_TEXT, LuaValue.TRUE);
                case 'f' -> literal(FALSE_TEXT, LuaValue.FALSE);
                case 'n' -> literal(NULL_TEXT, nullValue);
                case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9' -> number();
                default -> throw unexpected("a value");
            };
        }

        private LuaTable object(int depth) {
            checkDepth(depth);
            pos++;
            int base = top;
            skipWhitespace();
            if (pos < end && in[pos] == '}') {
                pos++;
                return new LuaTable();
            }
            while (true) {
                if (pos >= end) {
                    throw endOfInput();
                }
                if (in[pos] != '"') {
                    throw unexpected("a string key");
                }
                push(string());
                skipWhitespace();
                expect(':', "':'");
                skipWhitespace();
                push(value(depth));
                skipWhitespace();
                if (pos >= end) {
                    throw endOfInput();
                }
                byte next = in[pos];
                if (next == '}') {
                    pos++;
                    break;
                }
                if (next != ',') {
                    throw unexpected("',' or '}'");
                }
                pos++;
                skipWhitespace();
            }
            LuaTable object = new LuaTable(0, (top - base) / 2);
            for (int i = base; i < top; i += 2) {
                object.rawset(members[i], members[i + 1]); // a duplicate key: the last one wins
            }
            pop(base);
            return object;
        }

        private LuaTable array(int depth) {
            checkDepth(depth);
            pos++;
            int base = top;
            skipWhitespace();
            if (pos < end && in[pos] == ']') {
                pos++;
                LuaTable empty = new LuaTable();
                empty.setmetatable(arrayMark);
                return empty;
            }
            while (true) {
                push(value(depth));
                skipWhitespace();
                if (pos >= end) {
                    throw endOfInput();
                }
                byte next = in[pos];
                if (next == ']') {
                    pos++;
                    break;
                }
                if (next != ',') {
                    throw unexpected("',' or ']'");
                }
                pos++;
                skipWhitespace();
            }
            LuaTable array = new LuaTable(top - base, 0);
            for (int i = base; i < top; i++) {
                array.rawset(i - base + 1, members[i]);
            }
            array.setmetatable(arrayMark);
            pop(base);
            return array;
        }

        private void push(LuaValue value) {
            if (top == members.length) {
                members = Arrays.copyOf(members, members.length * 2);
            }
            members[top++] = value;
        }

        /** Drops the members of a finished container, so that the stack holds on to nothing. */
        private void pop(int base) {
            Arrays.fill(members, base, top, null);
            top = base;
        }

        private void checkDepth(int depth) {
            if (depth > MAX_DEPTH) {
                throw new LuaError("json.decode: nesting deeper than " + MAX_DEPTH + " levels at position " + position(pos));
            }
        }

        private LuaValue literal(byte[] text, LuaValue value) {
            for (byte expected : text) {
                if (pos >= end) {
                    throw endOfInput();
                }
                if (in[pos] != expected) {
                    throw unexpected("'" + new String(text, StandardCharsets.US_ASCII) + "'");
                }
                pos++;
            }
            return value;
        }

        /** At the opening quote; returns after the closing one. */
        private LuaString string() {
            int open = pos;
            int run = open + 1;
            // Locals, not fields, in the loop that sees every byte of every string.
            byte[] bytes = in;
            int limit = end;
            int at = run;
            while (at < limit) {
                byte b = bytes[at];
                if (b >= 0x20 && b != '"' && b != '\\') {
                    at++; // printable ASCII (a byte from 0x80 is negative)
                    continue;
                }
                pos = at;
                if (b == '"') {
                    pos++;
                    return LuaString.valueOf(bytes, run, at - run);
                }
                if (b == '\\') {
                    return escapedString(open, run);
                }
                stringByte(b & 0xff);
                at = pos;
            }
            pos = at;
            throw unterminated(open);
        }

        /** The rest of a string holding escapes, from its first backslash; {@code run} starts the bytes before it. */
        private LuaString escapedString(int open, int run) {
            int size = 0;
            while (true) {
                int count = pos - run;
                if (scratch.length - size < count + 4) {
                    scratch = Arrays.copyOf(scratch, Math.max(scratch.length * 2, size + count + 4));
                }
                System.arraycopy(in, run, scratch, size, count);
                size += count;
                if (pos >= end) {
                    throw unterminated(open);
                }
                if (in[pos] == '"') {
                    pos++;
                    return LuaString.valueOf(scratch, 0, size);
                }
                // A backslash: one escape, then plain bytes up to the next backslash or quote.
                size = unescape(open, size);
                run = pos;
                byte[] bytes = in;
                int limit = end;
                int at = pos;
                while (at < limit) {
                    byte b = bytes[at];
                    if (b >= 0x20 && b != '"' && b != '\\') {
                        at++;
                        continue;
                    }
                    if (b == '"' || b == '\\') {
                        break;
                    }
                    pos = at;
                    stringByte(b & 0xff);
                    at = pos;
                }
                pos = at;
            }
        }

        /** Checks one plain byte (or UTF-8 sequence) of a string and steps over it. */
        private void stringByte(int b) {
            if (b < 0x20) {
                throw new LuaError("json.decode: unescaped control character " + describe(b) + " in string at position "
                        + position(pos));
            }
            if (b < 0x80) {
                pos++;
                return;
            }
            int sequence = utf8SequenceLength(in, pos, end);
            if (sequence < 0) {
                throw new LuaError("json.decode: invalid UTF-8 at position " + position(pos));
            }
            pos += sequence;
        }

        /** At a backslash: writes what it stands for at {@code size} in scratch (room for 4 bytes is there). */
        private int unescape(int open, int size) {
            int backslash = pos;
            if (pos + 1 >= end) {
                throw unterminated(open);
            }
            int b = in[pos + 1] & 0xff;
            pos += 2;
            byte plain = switch (b) {
                case '"' -> '"';
                case '\\' -> '\\';
                case '/' -> '/';
                case 'b' -> '\b';
                case 'f' -> '\f';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'u' -> 0;
                default -> throw new LuaError("json.decode: invalid escape '\\" + (b >= 0x20 && b < 0x7f ? (char) b + "'"
                        : "' followed by " + describe(b)) + " at position " + position(backslash));
            };
            if (b != 'u') {
                scratch[size] = plain;
                return size + 1;
            }
            int codePoint = hex4(backslash);
            if (codePoint >= 0xD800 && codePoint <= 0xDBFF) {
                if (pos + 1 < end && in[pos] == '\\' && in[pos + 1] == 'u') {
                    int lowAt = pos;
                    pos += 2;
                    int low = hex4(lowAt);
                    if (low < 0xDC00 || low > 0xDFFF) {
                        throw loneSurrogate(backslash);
                    }
                    codePoint = 0x10000 + ((codePoint - 0xD800) << 10) + (low - 0xDC00);
                } else {
                    throw loneSurrogate(backslash);
                }
            } else if (codePoint >= 0xDC00 && codePoint <= 0xDFFF) {
                throw loneSurrogate(backslash);
            }
            return putUtf8(codePoint, size);
        }

        private int hex4(int backslash) {
            if (end - pos < 4) {
                throw invalidUnicodeEscape(backslash);
            }
            int value = 0;
            for (int i = 0; i < 4; i++) {
                int digit = Character.digit(in[pos + i], 16);
                if (digit < 0) {
                    throw invalidUnicodeEscape(backslash);
                }
                value = value << 4 | digit;
            }
            pos += 4;
            return value;
        }

        private int putUtf8(int codePoint, int size) {
            if (codePoint < 0x80) {
                scratch[size++] = (byte) codePoint;
            } else if (codePoint < 0x800) {
                scratch[size++] = (byte) (0xC0 | codePoint >> 6);
                scratch[size++] = (byte) (0x80 | codePoint & 0x3F);
            } else if (codePoint < 0x10000) {
                scratch[size++] = (byte) (0xE0 | codePoint >> 12);
                scratch[size++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                scratch[size++] = (byte) (0x80 | codePoint & 0x3F);
            } else {
                scratch[size++] = (byte) (0xF0 | codePoint >> 18);
                scratch[size++] = (byte) (0x80 | codePoint >> 12 & 0x3F);
                scratch[size++] = (byte) (0x80 | codePoint >> 6 & 0x3F);
                scratch[size++] = (byte) (0x80 | codePoint & 0x3F);
            }
            return size;
        }

        /**
         * RFC 8259's grammar is checked first, then the value computed: exactly here for integers of
         * up to 18 digits and for decimals of up to 15 digits with a power of ten up to 22 (both
         * operands exact, so one correctly rounded operation); by Double.parseDouble for the rest.
         */
        private LuaValue number() {
            int begin = pos;
            boolean negative = in[pos] == '-';
            if (negative) {
                pos++;
            }
            int integerStart = pos;
            if (pos < end && in[pos] == '0') {
                pos++;
                if (pos < end && isDigit(in[pos])) {
                    throw invalidNumber(begin); // no leading zeros
                }
            } else {
                skipDigits();
            }
            int integerEnd = pos;
            if (integerEnd == integerStart) {
                throw invalidNumber(begin);
            }
            int fractionStart = pos;
            int fractionEnd = pos;
            boolean integral = true;
            if (pos < end && in[pos] == '.') {
                integral = false;
                pos++;
                fractionStart = pos;
                skipDigits();
                fractionEnd = pos;
                if (fractionEnd == fractionStart) {
                    throw invalidNumber(begin);
                }
            }
            int exponent = 0;
            if (pos < end && (in[pos] == 'e' || in[pos] == 'E')) {
                integral = false;
                pos++;
                boolean negativeExponent = false;
                if (pos < end && (in[pos] == '+' || in[pos] == '-')) {
                    negativeExponent = in[pos] == '-';
                    pos++;
                }
                int exponentStart = pos;
                while (pos < end && isDigit(in[pos])) {
                    exponent = Math.min(exponent * 10 + (in[pos] - '0'), 100_000); // saturates: only "small or not" matters
                    pos++;
                }
                if (pos == exponentStart) {
                    throw invalidNumber(begin);
                }
                if (negativeExponent) {
                    exponent = -exponent;
                }
            }
            int integerDigits = integerEnd - integerStart;
            int fractionDigits = fractionEnd - fractionStart;
            if (integral && integerDigits <= 18) {
                long value = digitsValue(integerStart, integerEnd, 0);
                if (negative) {
                    value = -value;
                }
                return value == (int) value ? LuaValue.valueOf((int) value) : LuaValue.valueOf((double) value);
            }
            int scale = exponent - fractionDigits;
            if (integral || integerDigits + fractionDigits > 15 || scale < -22 || scale > 22) {
                return parsed(begin);
            }
            long mantissa = digitsValue(fractionStart, fractionEnd, digitsValue(integerStart, integerEnd, 0));
            double magnitude = scale < 0 ? mantissa / EXACT_POWERS_OF_TEN[-scale] : mantissa * EXACT_POWERS_OF_TEN[scale];
            return LuaValue.valueOf(negative ? -magnitude : magnitude);
        }

        private void skipDigits() {
            while (pos < end && isDigit(in[pos])) {
                pos++;
            }
        }

        private long digitsValue(int from, int to, long value) {
            for (int i = from; i < to; i++) {
                value = value * 10 + (in[i] - '0');
            }
            return value;
        }

        /** Beyond a double's range this is ±inf (math.huge), as Lua's own tonumber gives. */
        private LuaValue parsed(int begin) {
            return LuaValue.valueOf(Double.parseDouble(new String(in, begin, pos - begin, StandardCharsets.US_ASCII)));
        }

        private void expect(char wanted, String description) {
            if (pos >= end) {
                throw endOfInput();
            }
            if (in[pos] != wanted) {
                throw unexpected(description);
            }
            pos++;
        }

        private void skipWhitespace() {
            while (pos < end) {
                byte b = in[pos];
                if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                    return;
                }
                pos++;
            }
        }

        private int position(int at) {
            return at - start + 1;
        }

        private LuaError unexpected(String expected) {
            return new LuaError("json.decode: unexpected character " + describe(in[pos] & 0xff) + " at position "
                    + position(pos) + " (expected " + expected + ")");
        }

        private LuaError endOfInput() {
            return new LuaError("json.decode: unexpected end of input");
        }

        private LuaError unterminated(int open) {
            return new LuaError("json.decode: unterminated string starting at position " + position(open));
        }

        private LuaError invalidNumber(int begin) {
            return new LuaError("json.decode: invalid number at position " + position(begin));
        }

        private LuaError invalidUnicodeEscape(int backslash) {
            return new LuaError("json.decode: invalid \\u escape at position " + position(backslash));
        }

        private LuaError loneSurrogate(int backslash) {
            return new LuaError("json.decode: lone UTF-16 surrogate in \\u escape at position " + position(backslash));
        }
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    /** 'x' for a printable ASCII byte, else its hexadecimal value: the text may not be printable. */
    private static String describe(int b) {
        if (b >= 0x20 && b < 0x7f) {
            return "'" + (char) b + "'";
        }
        return String.format("0x%02X", b);
    }

    /**
     * The length of the well-formed UTF-8 sequence at {@code i} (RFC 3629: shortest form, no
     * surrogates, at most U+10FFFF), or -1.
     */
    private static int utf8SequenceLength(byte[] bytes, int i, int end) {
        int b = bytes[i] & 0xff;
        if (b < 0x80) {
            return 1;
        }
        if (b < 0xC2) {
            return -1; // a continuation byte, or an overlong 2-byte lead
        }
        if (b < 0xE0) {
            return i + 1 < end && isContinuation(bytes[i + 1]) ? 2 : -1;
        }
        if (b < 0xF0) {
            if (i + 2 >= end) {
                return -1;
            }
            int second = bytes[i + 1] & 0xff;
            int low = b == 0xE0 ? 0xA0 : 0x80; // no overlongs
            int high = b == 0xED ? 0x9F : 0xBF; // no surrogates
            return second >= low && second <= high && isContinuation(bytes[i + 2]) ? 3 : -1;
        }
        if (b < 0xF5) {
            if (i + 3 >= end) {
                return -1;
            }
            int second = bytes[i + 1] & 0xff;
            int low = b == 0xF0 ? 0x90 : 0x80; // no overlongs
            int high = b == 0xF4 ? 0x8F : 0xBF; // nothing past U+10FFFF
            return second >= low && second <= high && isContinuation(bytes[i + 2]) && isContinuation(bytes[i + 3]) ? 4 : -1;
        }
        return -1;
    }

    private static boolean isContinuation(byte b) {
        return (b & 0xC0) == 0x80;
    }
}
