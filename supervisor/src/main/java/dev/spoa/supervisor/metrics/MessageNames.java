package dev.spoa.supervisor.metrics;

import dev.spoa.protocol.MessageList;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The message names NOTIFYs are counted by, each given a small index the first time it is seen.
 * The front looks a NOTIFY's first message name up in its bytes as they came, so a name already
 * known costs a hash and a comparison and allocates nothing. Past {@value #CAPACITY} distinct
 * names (a misconfigured peer could send any number), the rest share the slot {@link #OTHER}: the
 * number of series stays bounded. The front's thread looks up and adds; any thread reads the
 * names known so far.
 */
final class MessageNames {
    static final int CAPACITY = 64;
    /** The slot of names past the capacity and of NOTIFYs without a message. */
    static final int OTHER = CAPACITY;
    static final int SLOTS = CAPACITY + 1;
    /** Parentheses cannot appear in a message name of HAProxy's configuration, so this label is never a real name's. */
    static final String OTHER_LABEL = "(other)";

    /** Open addressing, at most a quarter full: an entry is index + 1, 0 is empty. */
    private final int[] table = new int[4 * CAPACITY];
    private final byte[][] names = new byte[CAPACITY][];
    private final int[] hashes = new int[CAPACITY];
    private final String[] labels = new String[CAPACITY];
    /** Names known; written after the label, so a reader that sees it sees the labels below it. */
    private volatile int size;
    /** The name found last time: usually the next NOTIFY's too (one SPOE message per event). */
    private int lastFound = -1;

    /** Front thread: the slot of the first message's name in a validated NOTIFY payload. */
    int indexOf(byte[] buf, int offset, int length) {
        long bounds = MessageList.firstNameBounds(buf, offset, length);
        if (bounds < 0) {
            return OTHER;
        }
        int from = (int) (bounds >>> 32);
        int to = from + (int) bounds;
        int last = lastFound;
        if (last >= 0 && Arrays.equals(names[last], 0, names[last].length, buf, from, to)) {
            return last;
        }
        int hash = hash(buf, from, to);
        int mask = table.length - 1;
        int slot = hash & mask;
        for (int entry; (entry = table[slot]) != 0; slot = (slot + 1) & mask) {
            int index = entry - 1;
            if (hashes[index] == hash && Arrays.equals(names[index], 0, names[index].length, buf, from, to)) {
                lastFound = index;
                return index;
            }
        }
        int index = size;
        if (index == CAPACITY) {
            return OTHER;
        }
        names[index] = Arrays.copyOfRange(buf, from, to);
        hashes[index] = hash;
        labels[index] = new String(names[index], StandardCharsets.UTF_8);
        table[slot] = index + 1;
        size = index + 1;
        lastFound = index;
        return index;
    }

    private static int hash(byte[] buf, int from, int to) {
        int hash = 0;
        for (int i = from; i < to; i++) {
            hash = 31 * hash + buf[i];
        }
        return hash ^ (hash >>> 16);
    }

    /** Any thread: how many names are known; {@link #label} is safe below that. */
    int size() {
        return size;
    }

    String label(int index) {
        return index == OTHER ? OTHER_LABEL : labels[index];
    }
}
