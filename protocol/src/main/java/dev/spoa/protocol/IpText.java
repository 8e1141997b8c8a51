package dev.spoa.protocol;

/**
 * Text forms of IP addresses, without going near {@link java.net.InetAddress} (which would try DNS
 * on anything that is not a literal). Formatting follows what HAProxy prints through inet_ntop.
 */
final class IpText {
    private IpText() {
    }

    static String formatIpv4(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    static int parseIpv4(String text) {
        int address = 0;
        int parts = 0;
        int pos = 0;
        while (true) {
            int start = pos;
            int part = 0;
            while (pos < text.length() && pos - start < 3 && isDigit(text.charAt(pos))) {
                part = part * 10 + text.charAt(pos++) - '0';
            }
            if (pos == start || part > 255) {
                throw new IllegalArgumentException("not an IPv4 address: \"" + text + "\"");
            }
            address = (address << 8) | part;
            parts++;
            if (parts == 4) {
                if (pos != text.length()) {
                    throw new IllegalArgumentException("not an IPv4 address: \"" + text + "\"");
                }
                return address;
            }
            if (pos >= text.length() || text.charAt(pos) != '.') {
                throw new IllegalArgumentException("not an IPv4 address: \"" + text + "\"");
            }
            pos++;
        }
    }

    /** RFC 5952 text, with inet_ntop's dotted tail for IPv4-compatible (::a.b.c.d) and IPv4-mapped (::ffff:a.b.c.d) addresses. */
    static String formatIpv6(long high, long low) {
        int[] words = new int[8];
        for (int i = 0; i < 4; i++) {
            words[i] = (int) (high >>> (48 - 16 * i)) & 0xFFFF;
            words[i + 4] = (int) (low >>> (48 - 16 * i)) & 0xFFFF;
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (words[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && words[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        if (bestLength < 2) {
            bestStart = -1;
        }
        boolean ipv4Tail = bestStart == 0 && (bestLength == 6 || (bestLength == 5 && words[5] == 0xFFFF));
        StringBuilder out = new StringBuilder(39);
        int groups = ipv4Tail ? 6 : 8;
        for (int i = 0; i < groups; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(words[i]));
        }
        if (ipv4Tail) {
            if (out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(formatIpv4((int) low));
        }
        return out.toString();
    }

    /** Returns {high, low}. */
    static long[] parseIpv6(String text) {
        int doubleColon = text.indexOf("::");
        if (doubleColon >= 0 && text.indexOf("::", doubleColon + 1) >= 0) {
            throw new IllegalArgumentException("not an IPv6 address: \"" + text + "\"");
        }
        int[] words = new int[8];
        int count;
        if (doubleColon < 0) {
            count = parseGroups(text, text, words, 0);
            if (count != 8) {
                throw new IllegalArgumentException("not an IPv6 address: \"" + text + "\"");
            }
        } else {
            int[] tail = new int[8];
            int head = parseGroups(text.substring(0, doubleColon), text, words, 0);
            int tailCount = parseGroups(text.substring(doubleColon + 2), text, tail, 0);
            if (head + tailCount > 7) {
                throw new IllegalArgumentException("not an IPv6 address: \"" + text + "\"");
            }
            System.arraycopy(tail, 0, words, 8 - tailCount, tailCount);
        }
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
            high = (high << 16) | words[i];
            low = (low << 16) | words[i + 4];
        }
        return new long[] {high, low};
    }

    /** Parses colon-separated hex groups (the last may be a dotted IPv4) into words[from..]; returns how many words. */
    private static int parseGroups(String part, String whole, int[] words, int from) {
        if (part.isEmpty()) {
            return 0;
        }
        int count = from;
        int pos = 0;
        while (true) {
            int end = part.indexOf(':', pos);
            String group = end < 0 ? part.substring(pos) : part.substring(pos, end);
            if (end < 0 && group.indexOf('.') >= 0) {
                if (count > 6) {
                    throw new IllegalArgumentException("not an IPv6 address: \"" + whole + "\"");
                }
                int v4 = parseIpv4(group);
                words[count++] = v4 >>> 16;
                words[count++] = v4 & 0xFFFF;
                return count - from;
            }
            if (group.isEmpty() || group.length() > 4 || count == 8) {
                throw new IllegalArgumentException("not an IPv6 address: \"" + whole + "\"");
            }
            int word = 0;
            for (int i = 0; i < group.length(); i++) {
                int digit = hexDigit(group.charAt(i));
                if (digit < 0) {
                    throw new IllegalArgumentException("not an IPv6 address: \"" + whole + "\"");
                }
                word = word * 16 + digit;
            }
            words[count++] = word;
            if (end < 0) {
                return count - from;
            }
            pos = end + 1;
        }
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** ASCII hex only: {@link Character#digit} would also take other scripts' digits. */
    private static int hexDigit(char c) {
        if (isDigit(c)) {
            return c - '0';
        }
        char lower = (char) (c | 0x20);
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }
}
