package dev.spoa.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The message and argument names a worker decodes, kept as Strings from one NOTIFY to the next:
 * HAProxy sends the same few names in every frame. Decoded afresh, they were two Strings and their
 * arrays per job (of the 667-689 bytes a worker allocated per job at 5,000/s, whose young
 * collections hold the requests behind them), and each fresh String hashed itself again wherever
 * it was looked up. Bounded: {@value #SLOTS} slots in pairs, names of up to
 * {@value #MAX_NAME_BYTES} bytes; a name whose pair is taken replaces the first of the two.
 *
 * <p>One per decoding thread: not thread-safe.
 */
public final class NameCache {
    private static final int SLOT_BITS = 6;
    static final int SLOTS = 1 << SLOT_BITS;
    static final int MAX_NAME_BYTES = 64;

    private final byte[][] encoded = new byte[SLOTS][];
    private final String[] decoded = new String[SLOTS];

    /** {@code buf[offset, offset + length)} as UTF-8, the same String as last time for the same bytes. */
    String name(byte[] buf, int offset, int length) {
        if (length > MAX_NAME_BYTES) {
            return new String(buf, offset, length, StandardCharsets.UTF_8);
        }
        int hash = 1;
        for (int i = offset, end = offset + length; i < end; i++) {
            hash = 31 * hash + buf[i];
        }
        int first = (hash * 0x9E3779B9) >>> (Integer.SIZE - SLOT_BITS) & ~1; // Fibonacci hashing, to an even slot
        for (int slot = first; slot <= first + 1; slot++) {
            byte[] known = encoded[slot];
            if (known != null && Arrays.equals(known, 0, known.length, buf, offset, offset + length)) {
                return decoded[slot];
            }
        }
        String name = new String(buf, offset, length, StandardCharsets.UTF_8);
        int slot = encoded[first] == null || encoded[first + 1] != null ? first : first + 1;
        encoded[slot] = Arrays.copyOfRange(buf, offset, offset + length);
        decoded[slot] = name;
        return name;
    }
}
