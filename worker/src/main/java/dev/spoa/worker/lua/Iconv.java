package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.LuaArgs.argError;
import static dev.spoa.worker.lua.LuaArgs.checkBytes;
import static dev.spoa.worker.lua.LuaArgs.checkLuaString;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.ThreeArgFunction;

/**
 * {@code string.iconv(s, from, to)}: the bytes of {@code s}, read in charset {@code from}, written
 * in charset {@code to}. Charsets are Java's names and aliases, in any case ("UTF-8", "utf8",
 * "ISO-8859-1", "latin1", "windows-1252", "UTF-16LE", ...); "UTF-16" reads a byte-order mark and
 * writes one (big-endian). Like iconv(1) without {@code -c}, nothing is dropped or replaced: input
 * that is not valid in {@code from}, or a character that {@code to} cannot represent, is a Lua
 * error giving the 1-based byte position in {@code s}. Converting a charset to itself checks that
 * the input is valid in it.
 */
final class Iconv {
    /** Distinct charset names a handler may use; past this the least recently used is dropped. */
    static final int MAX_CACHED_CHARSETS = 64;

    private final LruCache<LuaString, Coders> charsets = new LruCache<>(MAX_CACHED_CHARSETS);

    /** Adds {@code iconv} to the given {@code string} table. */
    void install(LuaTable stringTable) {
        stringTable.rawset("iconv", new Convert());
    }

    /** A charset and its coders, which are stateful but reused: a worker runs one conversion at a time. */
    private record Coders(Charset charset, CharsetDecoder decoder, CharsetEncoder encoder) {
    }

    private Coders coders(LuaValue value, int arg) {
        LuaString key = checkLuaString(value, arg, "iconv");
        Coders coders = charsets.get(key);
        if (coders == null) {
            String name = key.tojstring();
            Charset charset;
            try {
                charset = Charset.forName(name);
            } catch (IllegalCharsetNameException | UnsupportedCharsetException unknown) {
                throw argError(arg, "iconv", "unknown charset '" + name + "'");
            }
            CharsetEncoder encoder = null;
            if (charset.canEncode()) {
                encoder = charset.newEncoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
            }
            CharsetDecoder decoder = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT);
            coders = new Coders(charset, decoder, encoder);
            charsets.put(LruCache.ownKey(key), coders);
        }
        if (arg == 3 && coders.encoder == null) {
            throw argError(3, "iconv", "charset '" + key.tojstring() + "' can only be read, not written");
        }
        return coders;
    }

    private final class Convert extends ThreeArgFunction {
        @Override
        public LuaValue call(LuaValue s, LuaValue fromName, LuaValue toName) {
            byte[] bytes = checkBytes(s, 1, "iconv");
            Coders from = coders(fromName, 2);
            Coders to = coders(toName, 3);
            CharBuffer text = decode(bytes, from);
            return LuaString.valueUsing(encode(text, bytes, from, to));
        }
    }

    private static CharBuffer decode(byte[] bytes, Coders from) {
        CharsetDecoder decoder = from.decoder.reset();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16, (long) (bytes.length * (double) decoder.averageCharsPerByte()) + 16));
        while (true) {
            // endOfInput every time, even on empty input: flush wants the coder to have seen the end.
            CoderResult result = decoder.decode(in, out, true);
            if (result.isUnderflow()) {
                result = decoder.flush(out);
            }
            if (result.isUnderflow()) {
                return out.flip();
            }
            if (result.isOverflow()) {
                out = grow(out);
                continue;
            }
            int position = in.position() + 1;
            if (result.isMalformed()) {
                throw new LuaError("iconv: invalid " + from.charset.name() + " input at byte " + position);
            }
            throw new LuaError("iconv: byte " + position + " has no character in " + from.charset.name());
        }
    }

    private static byte[] encode(CharBuffer text, byte[] input, Coders from, Coders to) {
        CharsetEncoder encoder = to.encoder.reset();
        int chars = text.remaining();
        ByteBuffer out = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE - 16, (long) (chars * (double) encoder.averageBytesPerChar()) + 16));
        while (true) {
            CoderResult result = encoder.encode(text, out, true);
            if (result.isUnderflow()) {
                result = encoder.flush(out);
            }
            if (result.isUnderflow()) {
                return out.position() == out.capacity() ? out.array() : Arrays.copyOf(out.array(), out.position());
            }
            if (result.isOverflow()) {
                ByteBuffer bigger = ByteBuffer.allocate(out.capacity() * 2 + 16);
                bigger.put(out.flip());
                out = bigger;
                continue;
            }
            int index = text.position();
            int codePoint = Character.codePointAt(text, 0);
            String character = codePoint < 0x10000 && Character.isSurrogate((char) codePoint)
                    ? "lone surrogate U+" + hex(codePoint)
                    : "character U+" + hex(codePoint);
            throw new LuaError("iconv: " + character + " at byte " + (byteOffset(input, from, index) + 1)
                    + " cannot be written in " + to.charset.name());
        }
    }

    private static CharBuffer grow(CharBuffer out) {
        CharBuffer bigger = CharBuffer.allocate(out.capacity() * 2 + 16);
        bigger.put(out.flip());
        return bigger;
    }

    private static String hex(int codePoint) {
        String digits = Integer.toHexString(codePoint).toUpperCase(java.util.Locale.ROOT);
        return "0000".substring(Math.min(4, digits.length())) + digits;
    }

    /**
     * Where the character at {@code charIndex} of the decoded text started in the input: decoding
     * again into exactly that many characters stops there. Only on the error path.
     */
    private static int byteOffset(byte[] input, Coders from, int charIndex) {
        CharsetDecoder decoder = from.decoder.reset();
        ByteBuffer in = ByteBuffer.wrap(input);
        decoder.decode(in, CharBuffer.allocate(charIndex), true);
        return in.position();
    }
}
