package dev.spoa.bench.load;

import java.util.Arrays;

/**
 * Reads the agent's frames where they lie in a connection's input array, without building
 * anything: the header (length, type, flags, stream-id, frame-id), and for an ACK its actions
 * (doc/SPOE.txt §3.4), checked as strictly as HAProxy reads them, counting them and noting whether
 * one sets the expected variable or the error variable. The results of the last {@link #scan} are
 * in this object's fields; one scanner per generator thread.
 */
final class FrameScanner {
    static final int AGENT_HELLO = 101;
    static final int AGENT_DISCONNECT = 102;
    static final int ACK = 103;
    private static final int SET_VAR = 1;
    private static final int UNSET_VAR = 2;
    private static final int HIGHEST_SCOPE = 4; // proc, sess, txn, req, res

    private final byte[] expectedName;
    private final byte[] errorName;
    private int maxFrameSize;
    private int pos;

    // The last frame scanned.
    int type;
    long streamId;
    long frameId;
    int payloadStart;
    int frameEnd;
    int actions;
    boolean setsExpected;
    boolean setsError;

    FrameScanner(AckCheck check, int maxFrameSize) {
        this.expectedName = check.expectedName();
        this.errorName = check.errorName();
        this.maxFrameSize = maxFrameSize;
    }

    /** The negotiated max-frame-size: a longer frame from the agent is an error, as for HAProxy. */
    void useMaxFrameSize(int size) {
        maxFrameSize = size;
    }

    /**
     * Scans the frame that starts at {@code start}: false while it is not all in {@code buf[start, end)}.
     *
     * @throws LoadFailure for a frame HAProxy would reject (too long, no FIN, malformed actions)
     */
    boolean scan(byte[] buf, int start, int end) {
        if (end - start < 4) {
            return false;
        }
        long length = ((buf[start] & 0xFFL) << 24) | ((buf[start + 1] & 0xFF) << 16) | ((buf[start + 2] & 0xFF) << 8)
                | (buf[start + 3] & 0xFF);
        if (length > maxFrameSize) {
            throw new LoadFailure("the agent sent a frame of " + length + " bytes; max-frame-size is " + maxFrameSize);
        }
        if (end - start < 4 + length) {
            return false;
        }
        frameEnd = start + 4 + (int) length;
        if (length < 1 + 4 + 1 + 1) {
            throw malformed("frame of " + length + " bytes: shorter than its header");
        }
        pos = start + 4;
        type = buf[pos++] & 0xFF;
        int flags = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
        pos += 4;
        if ((flags & 1) == 0) {
            throw malformed("frame type " + type + " without FIN (fragmentation was not offered)");
        }
        streamId = varint(buf, "stream-id");
        frameId = varint(buf, "frame-id");
        payloadStart = pos;
        if (type == ACK) {
            scanActions(buf);
        }
        return true;
    }

    private void scanActions(byte[] buf) {
        actions = 0;
        setsExpected = false;
        setsError = false;
        while (pos < frameEnd) {
            int action = buf[pos++] & 0xFF;
            if (action != SET_VAR && action != UNSET_VAR) {
                throw malformed("unknown action type " + action + " (HAProxy drops the rest of such an ACK)");
            }
            need(2, "action");
            int arguments = buf[pos++] & 0xFF;
            if (arguments != (action == SET_VAR ? 3 : 2)) {
                throw malformed((action == SET_VAR ? "set-var" : "unset-var") + " with " + arguments + " arguments");
            }
            int scope = buf[pos++] & 0xFF;
            if (scope > HIGHEST_SCOPE) {
                throw malformed("unknown variable scope " + scope);
            }
            long nameLength = varint(buf, "variable name length");
            if (nameLength > frameEnd - pos) {
                throw malformed("variable name longer than its frame");
            }
            int nameStart = pos;
            pos += (int) nameLength;
            if (action == SET_VAR) {
                skipTypedData(buf);
                setsExpected |= named(buf, nameStart, (int) nameLength, expectedName);
                setsError |= named(buf, nameStart, (int) nameLength, errorName);
            }
            actions++;
        }
    }

    private static boolean named(byte[] buf, int nameStart, int nameLength, byte[] name) {
        return nameLength == name.length && Arrays.equals(buf, nameStart, nameStart + nameLength, name, 0, nameLength);
    }

    private void skipTypedData(byte[] buf) {
        need(1, "set-var value");
        int typeByte = buf[pos++] & 0xFF;
        switch (typeByte & 0x0F) {
            case 0, 1 -> { } // NULL, BOOL: the value is in the type byte
            case 2, 3, 4, 5 -> varint(buf, "integer value");
            case 6 -> skip(4, "IPv4 value");
            case 7 -> skip(16, "IPv6 value");
            case 8, 9 -> {
                long length = varint(buf, "string length");
                if (length > frameEnd - pos) {
                    throw malformed("string value longer than its frame");
                }
                pos += (int) length;
            }
            default -> throw malformed("unknown data type " + (typeByte & 0x0F));
        }
    }

    private void skip(int count, String what) {
        need(count, what);
        pos += count;
    }

    private void need(int count, String what) {
        if (frameEnd - pos < count) {
            throw malformed(what + " cut short by the end of its frame");
        }
    }

    private long varint(byte[] buf, String what) {
        need(1, what);
        int b = buf[pos++] & 0xFF;
        long value = b;
        if (b >= 240) {
            int shift = 4;
            do {
                if (pos >= frameEnd || shift > 63) {
                    throw malformed(what + ": bad variable-length integer");
                }
                b = buf[pos++] & 0xFF;
                value += (long) b << shift;
                shift += 7;
            } while (b >= 128);
        }
        return value;
    }

    private LoadFailure malformed(String why) {
        return new LoadFailure("the agent sent a malformed frame: " + why);
    }
}
