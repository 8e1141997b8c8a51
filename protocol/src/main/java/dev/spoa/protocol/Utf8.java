package dev.spoa.protocol;

/**
 * UTF-8 encoding straight into a frame buffer: names are written on every ACK, and
 * {@link String#getBytes} would allocate a new array each time. Lone surrogates become '?', as
 * with the JDK's encoder.
 */
final class Utf8 {
    private Utf8() {
    }

    static int encodedLength(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
                i++;
            } else {
                boolean pair = pairAt(text, i);
                bytes += size(c, pair);
                i += pair ? 2 : 1;
            }
        }
        return bytes;
    }

    /** The longest prefix of {@code text} whose encoding fits in {@code maxBytes}, never splitting a character. */
    static String truncate(String text, int maxBytes) {
        int bytes = 0;
        for (int i = 0; i < text.length(); ) {
            boolean pair = pairAt(text, i);
            bytes += size(text.charAt(i), pair);
            if (bytes > maxBytes) {
                return text.substring(0, i);
            }
            i += pair ? 2 : 1;
        }
        return text;
    }

    /** Writes {@code text} at {@code pos}; the caller has made room for {@link #encodedLength} bytes. */
    static int encode(String text, byte[] buf, int pos) {
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                buf[pos++] = (byte) c;
            } else if (c < 0x800) {
                buf[pos++] = (byte) (0xC0 | (c >> 6));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            } else if (pairAt(text, i)) {
                int codePoint = Character.toCodePoint(c, text.charAt(++i));
                buf[pos++] = (byte) (0xF0 | (codePoint >> 18));
                buf[pos++] = (byte) (0x80 | ((codePoint >> 12) & 0x3F));
                buf[pos++] = (byte) (0x80 | ((codePoint >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (codePoint & 0x3F));
            } else if (Character.isSurrogate(c)) {
                buf[pos++] = '?';
            } else {
                buf[pos++] = (byte) (0xE0 | (c >> 12));
                buf[pos++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                buf[pos++] = (byte) (0x80 | (c & 0x3F));
            }
        }
        return pos;
    }

    private static boolean pairAt(String text, int i) {
        return Character.isHighSurrogate(text.charAt(i)) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
    }

    /** Encoded size of the character starting with {@code c} (a whole surrogate pair when {@code pair}). */
    private static int size(char c, boolean pair) {
        if (c < 0x80 || (!pair && Character.isSurrogate(c))) {
            return 1;
        }
        return c < 0x800 ? 2 : pair ? 4 : 3;
    }
}
