package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.LuaArgs.argError;
import static dev.spoa.worker.lua.LuaArgs.typeName;

import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;

/**
 * The global {@code net}: IP address checks for handlers, on the text as HAProxy sends it
 * (never a name lookup: "localhost" is not an address).
 *
 * <pre>
 * net.ip_version(ip)   4, 6, or nil when ip is not an IP address (nil gives nil)
 * net.ip_in(ip, cidr)  whether ip lies in cidr, or in any cidr of an array of them
 * </pre>
 *
 * <p>Addresses are strict: IPv4 is a dotted quad of decimal octets without leading zeros
 * ("010.1.1.1" is not an address: inet_aton would read it as octal); IPv6 is RFC 4291 text
 * (full, "::"-compressed, or ending in a dotted IPv4 part such as "::ffff:1.2.3.4"); a zone
 * ("fe80::1%eth0"), brackets, a port or surrounding spaces make it not an address.
 *
 * <p>A network is "address/prefix" or a bare address (a single host). Host bits past the prefix
 * are ignored ("10.1.2.3/8" is 10.0.0.0/8). An IPv4-mapped IPv6 address (::ffff:10.1.2.3) is in
 * the IPv4 networks that hold 10.1.2.3, and an IPv4 address is in IPv6 networks inside
 * ::ffff:0:0/96 (such as that one); it is in no other IPv6 network, not even ::/0.
 *
 * <p>A bad network is a mistake in the handler and raises a Lua error. A bad ip is data (a garbled
 * X-Forwarded-For): ip_in returns false and ip_version nil. Networks of an array are checked in
 * order up to the first that holds ip, and not at all when ip is not an address. Parsed networks
 * are cached by their text ({@value #MAX_CACHED_NETWORKS}, least recently used dropped).
 */
final class NetLibrary {
    static final int MAX_CACHED_NETWORKS = 1024;

    /** The longest IPv6 text: eight groups, or six and a dotted quad ("ffff:...:ffff:255.255.255.255"). */
    private static final int MAX_ADDRESS_LENGTH = 45;
    private static final long MAPPED_PREFIX = 0xFFFF_0000_0000L;

    private final LruCache<LuaString, Network> networks = new LruCache<>(MAX_CACHED_NETWORKS);

    /** What the last {@link #parse} read, as 128 bits (IPv4 as ::ffff:a.b.c.d): no object per address. */
    private long high;
    private long low;
    private final int[] words = new int[8];

    LuaTable table() {
        LuaTable net = new LuaTable();
        net.rawset("ip_version", new IpVersion());
        net.rawset("ip_in", new IpIn());
        return net;
    }

    /** A network, masked: {@code address & mask == network} for the addresses inside it. */
    private record Network(long high, long low, long maskHigh, long maskLow, boolean ipv4, boolean insideMapped) {
        static Network of(long high, long low, int prefix, boolean ipv4) {
            long maskHigh = prefix >= 64 ? -1L : prefix == 0 ? 0 : -1L << (64 - prefix);
            long maskLow = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
            long maskedHigh = high & maskHigh;
            long maskedLow = low & maskLow;
            boolean insideMapped = prefix >= 96 && maskedHigh == 0 && (maskedLow & 0xFFFF_FFFF_0000_0000L) == MAPPED_PREFIX;
            return new Network(maskedHigh, maskedLow, maskHigh, maskLow, ipv4, insideMapped);
        }

        /** Version 4 addresses come as ::ffff:a.b.c.d, so IPv4 networks hold the mapped ones too. */
        boolean contains(int version, long addressHigh, long addressLow) {
            if (version == 4 && !ipv4 && !insideMapped) {
                return false;
            }
            return (addressHigh & maskHigh) == high && (addressLow & maskLow) == low;
        }
    }

    /** The ip argument: 4 or 6 (and {@link #high}/{@link #low} set), or 0 when it is not an address or nil. */
    private int address(LuaValue ip, String function) {
        int type = ip.type();
        if (type == LuaValue.TSTRING) {
            LuaString text = (LuaString) ip;
            return parse(text.m_bytes, text.m_offset, text.m_length);
        }
        if (type == LuaValue.TNIL || type == LuaValue.TNUMBER) {
            return 0; // an absent value (a NULL from HAProxy) or a number: no address
        }
        throw argError(1, function, "string expected, got " + typeName(ip));
    }

    /** 4 or 6 with {@link #high}/{@link #low} set, or 0. */
    private int parse(byte[] bytes, int offset, int length) {
        if (length == 0 || length > MAX_ADDRESS_LENGTH) {
            return 0;
        }
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == ':') {
                return parseIpv6(bytes, offset, end) ? 6 : 0;
            }
        }
        long ipv4 = parseIpv4(bytes, offset, end);
        if (ipv4 < 0) {
            return 0;
        }
        high = 0;
        low = MAPPED_PREFIX | ipv4;
        return 4;
    }

    /** The address as an unsigned 32-bit value, or -1. */
    private static long parseIpv4(byte[] bytes, int from, int to) {
        long address = 0;
        int i = from;
        for (int part = 0; part < 4; part++) {
            if (part > 0) {
                if (i >= to || bytes[i] != '.') {
                    return -1;
                }
                i++;
            }
            int start = i;
            int octet = 0;
            while (i < to && i - start < 3 && isDigit(bytes[i])) {
                octet = octet * 10 + bytes[i++] - '0';
            }
            if (i == start || octet > 255 || (i - start > 1 && bytes[start] == '0')) {
                return -1;
            }
            address = (address << 8) | octet;
        }
        return i == to ? address : -1;
    }

    private boolean parseIpv6(byte[] bytes, int from, int to) {
        int[] words = this.words;
        int count = 0;
        int gap = -1; // where "::" stands, in words
        int i = from;
        if (to - from >= 2 && bytes[i] == ':' && bytes[i + 1] == ':') {
            gap = 0;
            i += 2;
        } else if (bytes[i] == ':') {
            return false;
        }
        while (i < to) {
            int start = i;
            int word = 0;
            while (i < to && i - start < 5 && hexDigit(bytes[i]) >= 0) {
                word = word * 16 + hexDigit(bytes[i++]);
            }
            if (i < to && bytes[i] == '.') {
                long ipv4 = count <= 6 ? parseIpv4(bytes, start, to) : -1;
                if (ipv4 < 0) {
                    return false;
                }
                words[count++] = (int) (ipv4 >>> 16);
                words[count++] = (int) (ipv4 & 0xFFFF);
                break;
            }
            if (i == start || i - start > 4 || count == 8) {
                return false;
            }
            words[count++] = word;
            if (i == to) {
                break;
            }
            if (bytes[i] != ':') {
                return false;
            }
            i++;
            if (i < to && bytes[i] == ':') {
                if (gap >= 0) {
                    return false;
                }
                gap = count;
                i++;
            } else if (i == to) {
                return false; // a single trailing colon
            }
        }
        if (gap < 0) {
            if (count != 8) {
                return false;
            }
        } else {
            if (count > 7) {
                return false;
            }
            int missing = 8 - count;
            for (int k = count - 1; k >= gap; k--) {
                words[k + missing] = words[k];
            }
            for (int k = gap; k < gap + missing; k++) {
                words[k] = 0;
            }
        }
        long h = 0;
        long l = 0;
        for (int k = 0; k < 4; k++) {
            h = (h << 16) | words[k];
            l = (l << 16) | words[k + 4];
        }
        high = h;
        low = l;
        return true;
    }

    private static boolean isDigit(byte b) {
        return b >= '0' && b <= '9';
    }

    private static int hexDigit(byte b) {
        if (isDigit(b)) {
            return b - '0';
        }
        int lower = b | 0x20;
        return lower >= 'a' && lower <= 'f' ? lower - 'a' + 10 : -1;
    }

    /** The network a cidr names, parsed once per text; {@code entry} is its index in an array, or 0. */
    private Network network(LuaValue cidr, int entry) {
        if (cidr.type() != LuaValue.TSTRING) {
            throw argError(2, "ip_in", (entry > 0 ? "entry " + entry + ": " : "") + "string expected, got " + typeName(cidr));
        }
        LuaString text = (LuaString) cidr;
        Network network = networks.get(text);
        if (network == null) {
            network = parseNetwork(text, entry);
            networks.put(LruCache.ownKey(text), network);
        }
        return network;
    }

    private Network parseNetwork(LuaString text, int entry) {
        byte[] bytes = text.m_bytes;
        int end = text.m_offset + text.m_length;
        int slash = end;
        for (int i = text.m_offset; i < end; i++) {
            if (bytes[i] == '/') {
                slash = i;
                break;
            }
        }
        int version = parse(bytes, text.m_offset, slash - text.m_offset);
        if (version == 0) {
            throw badNetwork(text, entry, "not an IP address");
        }
        int maxPrefix = version == 4 ? 32 : 128;
        int prefix = maxPrefix;
        if (slash < end) {
            int digits = end - slash - 1;
            if (digits == 0 || digits > 3) {
                throw badNetwork(text, entry, "prefix length is not a number");
            }
            prefix = 0;
            for (int i = slash + 1; i < end; i++) {
                if (!isDigit(bytes[i])) {
                    throw badNetwork(text, entry, "prefix length is not a number");
                }
                prefix = prefix * 10 + bytes[i] - '0';
            }
            if (prefix > maxPrefix) {
                throw badNetwork(text, entry, "prefix length above " + maxPrefix);
            }
        }
        // IPv4 is held as ::ffff:a.b.c.d, so its prefix counts from bit 96.
        return Network.of(high, low, version == 4 ? prefix + 96 : prefix, version == 4);
    }

    private static LuaError badNetwork(LuaString text, int entry, String why) {
        return argError(2, "ip_in", (entry > 0 ? "entry " + entry + ": " : "") + "invalid network '" + text.tojstring() + "': " + why);
    }

    /** net.ip_version(ip): 4, 6 or nil. */
    private final class IpVersion extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue ip) {
            int version = address(ip, "ip_version");
            return version == 0 ? NIL : valueOf(version);
        }
    }

    /** net.ip_in(ip, cidr): true when ip lies in cidr, or in one of an array of them. */
    private final class IpIn extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue ip, LuaValue cidr) {
            if (cidr.istable()) {
                int version = address(ip, "ip_in");
                if (version == 0) {
                    return FALSE;
                }
                long addressHigh = high;
                long addressLow = low;
                for (int i = 1; ; i++) {
                    LuaValue entry = cidr.rawget(i);
                    if (entry.isnil()) {
                        return FALSE;
                    }
                    // Parsing an entry not yet cached overwrites high/low: the address was saved above.
                    if (network(entry, i).contains(version, addressHigh, addressLow)) {
                        return TRUE;
                    }
                }
            }
            if (cidr.type() != TSTRING) {
                throw argError(2, "ip_in", "string or table expected, got " + typeName(cidr));
            }
            Network network = network(cidr, 0);
            int version = address(ip, "ip_in");
            return version != 0 && network.contains(version, high, low) ? TRUE : FALSE;
        }
    }
}
