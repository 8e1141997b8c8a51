package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.LuaArgs.checkBytes;

import java.util.Arrays;
import java.util.Base64;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.OneArgFunction;

/**
 * The global {@code base64} table (RFC 4648), binary-safe both ways:
 * <ul>
 * <li>{@code base64.encode(s)}: standard alphabet ({@code +/}), padded with {@code =}.
 * <li>{@code base64.decode(s)}: standard alphabet; the padding may be left out, nothing else is
 * skipped (no whitespace, no line breaks, no characters of the other alphabet).
 * <li>{@code base64.urlencode(s)}: URL-safe alphabet ({@code -_}), no padding, as in JWTs.
 * <li>{@code base64.urldecode(s)}: URL-safe alphabet, padding optional.
 * </ul>
 * Invalid input is a Lua error: {@code base64.decode: invalid base64 input at position 5}.
 */
final class Base64Library {
    private static final byte PAD = '=';
    private static final byte[] STANDARD_VALUES = values("+/");
    private static final byte[] URL_VALUES = values("-_");

    private final Base64.Encoder standardEncoder = Base64.getEncoder();
    private final Base64.Encoder urlEncoder = Base64.getUrlEncoder().withoutPadding();

    LuaTable table() {
        LuaTable base64 = new LuaTable();
        base64.rawset("encode", new Encode("encode", standardEncoder));
        base64.rawset("decode", new Decode("decode", STANDARD_VALUES));
        base64.rawset("urlencode", new Encode("urlencode", urlEncoder));
        base64.rawset("urldecode", new Decode("urldecode", URL_VALUES));
        return base64;
    }

    /** Each character's 6-bit value, -1 for a character outside the alphabet. */
    private static byte[] values(String lastTwo) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789" + lastTwo;
        byte[] values = new byte[256];
        Arrays.fill(values, (byte) -1);
        for (int i = 0; i < alphabet.length(); i++) {
            values[alphabet.charAt(i)] = (byte) i;
        }
        return values;
    }

    private static final class Encode extends OneArgFunction {
        private final String function;
        private final Base64.Encoder encoder;

        Encode(String function, Base64.Encoder encoder) {
            this.function = function;
            this.encoder = encoder;
        }

        @Override
        public LuaValue call(LuaValue text) {
            return LuaString.valueUsing(encoder.encode(checkBytes(text, 1, function)));
        }
    }

    /**
     * Our own decoder rather than java.util.Base64's, whose errors say neither where nor, for a
     * Lua reader, what: the position of the first bad character is what a handler author needs.
     */
    private static final class Decode extends OneArgFunction {
        private final String function;
        private final byte[] values;

        Decode(String function, byte[] values) {
            this.function = function;
            this.values = values;
        }

        @Override
        public LuaValue call(LuaValue text) {
            byte[] in;
            int offset;
            int length;
            if (text instanceof LuaString string) {
                in = string.m_bytes;
                offset = string.m_offset;
                length = string.m_length;
            } else {
                in = checkBytes(text, 1, function);
                offset = 0;
                length = in.length;
            }
            int end = offset + length;
            int padding = 0;
            while (padding < 2 && end > offset && in[end - 1] == PAD) {
                end--;
                padding++;
            }
            for (int i = offset; i < end; i++) {
                if (values[in[i] & 0xff] < 0) {
                    throw invalid("at position " + (i - offset + 1));
                }
            }
            if (padding > 0 && length % 4 != 0) {
                throw invalid("(incomplete padding)");
            }
            int characters = end - offset;
            int tail = characters % 4;
            if (tail == 1) {
                throw invalid("(truncated: one character left over)"); // 6 bits cannot make a byte
            }
            byte[] out = new byte[characters / 4 * 3 + (tail == 0 ? 0 : tail - 1)];
            int at = 0;
            int i = offset;
            for (int groupsEnd = end - tail; i < groupsEnd; i += 4) {
                int bits = values[in[i] & 0xff] << 18 | values[in[i + 1] & 0xff] << 12
                        | values[in[i + 2] & 0xff] << 6 | values[in[i + 3] & 0xff];
                out[at++] = (byte) (bits >> 16);
                out[at++] = (byte) (bits >> 8);
                out[at++] = (byte) bits;
            }
            // Unused low bits of the last character are ignored, as by java.util.Base64 and OpenSSL.
            if (tail >= 2) {
                int bits = values[in[i] & 0xff] << 18 | values[in[i + 1] & 0xff] << 12;
                if (tail == 3) {
                    bits |= values[in[i + 2] & 0xff] << 6;
                }
                out[at++] = (byte) (bits >> 16);
                if (tail == 3) {
                    out[at] = (byte) (bits >> 8);
                }
            }
            return LuaString.valueUsing(out);
        }

        private LuaError invalid(String detail) {
            return new LuaError("base64." + function + ": invalid base64 input " + detail);
        }
    }
}
