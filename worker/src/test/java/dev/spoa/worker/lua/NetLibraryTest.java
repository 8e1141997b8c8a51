package dev.spoa.worker.lua;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.luaj.vm2.LuaValue;

class NetLibraryTest {
    private final Snippets lua = new Snippets();

    NetLibraryTest() {
        lua.globals.set("net", new NetLibrary().table());
    }

    private LuaValue version(String ip) {
        lua.globals.set("ip", LuaValue.valueOf(ip));
        return lua.eval("return net.ip_version(ip)");
    }

    private boolean in(String ip, String cidr) {
        lua.globals.set("ip", LuaValue.valueOf(ip));
        lua.globals.set("cidr", LuaValue.valueOf(cidr));
        LuaValue result = lua.eval("return net.ip_in(ip, cidr)");
        return result.checkboolean();
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "1.2.3.4", "255.255.255.255", "192.168.0.1", "10.0.0.10"})
    void ipv4Addresses(String ip) {
        assertEquals(LuaValue.valueOf(4), version(ip));
    }

    @ParameterizedTest
    @ValueSource(strings = {"::", "::1", "1::", "2001:db8::1", "2001:DB8:0:0:0:0:0:1", "fe80::1:2:3:4", "1:2:3:4:5:6:7:8",
        "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1::8", "::ffff:1.2.3.4", "::1.2.3.4", "64:ff9b::192.0.2.33", "1:2:3:4:5:6:1.2.3.4",
        "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255"})
    void ipv6Addresses(String ip) {
        assertEquals(LuaValue.valueOf(6), version(ip));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "localhost", "example.com", "1.2.3", "1.2.3.4.5", "256.1.1.1", "1.2.3.-4", "1..2.3",
        "010.1.1.1", "1.2.3.04", "00.1.1.1", " 1.2.3.4", "1.2.3.4 ", "1.2.3.4/32", "1.2.3.4:80", "0x7f.0.0.1", "2130706433",
        ":", ":::", "1:::2", "1::2::3", ":1::2", "1::2:", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7:8::",
        "12345::1", "g::1", "fe80::1%eth0", "[::1]", "::ffff:1.2.3", "::ffff:1.2.3.4.5", "1:2:3:4:5:6:7:1.2.3.4",
        "::1.2.3.4:5", "::256.1.1.1", "::ffff:01.2.3.4", "１.２.３.４"})
    void notAddresses(String text) {
        assertEquals(LuaValue.NIL, version(text));
    }

    @Test
    void ipVersionOfNonStrings() {
        assertEquals(LuaValue.NIL, lua.eval("return net.ip_version(nil)"));
        assertEquals(LuaValue.NIL, lua.eval("return net.ip_version(12)"));
        assertEquals("test.lua:1: bad argument #1 to 'ip_version' (string expected, got table)", lua.error("net.ip_version({})"));
        assertEquals("test.lua:1: bad argument #1 to 'ip_in' (string expected, got boolean)", lua.error("net.ip_in(true, '::/0')"));
    }

    @ParameterizedTest
    @CsvSource({
        "10.1.2.3, 10.0.0.0/8, true",
        "11.1.2.3, 10.0.0.0/8, false",
        "192.168.1.255, 192.168.1.0/24, true",
        "192.168.2.0, 192.168.1.0/24, false",
        "1.2.3.4, 0.0.0.0/0, true",
        "1.2.3.4, 1.2.3.4/32, true",
        "1.2.3.5, 1.2.3.4/32, false",
        "1.2.3.4, 1.2.3.4, true",
        "1.2.3.5, 1.2.3.4, false",
        "10.1.2.3, 10.1.2.3/8, true",
        "172.31.255.255, 172.16.0.0/12, true",
        "172.32.0.0, 172.16.0.0/12, false",
        "2001:db8::1, 2001:db8::/32, true",
        "2001:db9::1, 2001:db8::/32, false",
        "::1, ::/0, true",
        "::1, ::1/128, true",
        "::2, ::1/128, false",
        "::1, ::1, true",
        "2001:db8::1, 2001:db8::/127, true",
        "2001:db8::2, 2001:db8::/127, false",
        "2001:db8::ffff:1, 2001:db8::ffff:0/112, true",
        "fe80::1, fe80::/10, true",
        "febf::1, fe80::/10, true",
        "fec0::1, fe80::/10, false",
        "2001:db8:0:0:8000::, 2001:db8::/65, false",
        "2001:db8:0:0:7fff::, 2001:db8::/65, true",
    })
    void networks(String ip, String cidr, boolean inside) {
        assertEquals(inside, in(ip, cidr));
    }

    @ParameterizedTest
    @CsvSource({
        // An IPv4-mapped address is in the IPv4 networks of its IPv4 address.
        "::ffff:10.1.2.3, 10.0.0.0/8, true",
        "::FFFF:a01:203, 10.0.0.0/8, true",
        "::ffff:11.1.2.3, 10.0.0.0/8, false",
        "::ffff:1.2.3.4, 0.0.0.0/0, true",
        // An IPv4 address is in ::ffff:0:0/96 and the networks inside it.
        "10.1.2.3, ::ffff:0:0/96, true",
        "10.1.2.3, ::ffff:10.0.0.0/104, true",
        "11.1.2.3, ::ffff:10.0.0.0/104, false",
        "10.1.2.3, ::ffff:10.1.2.3, true",
        // ... and in no other IPv6 network, not even ::/0.
        "10.1.2.3, ::/0, false",
        "10.1.2.3, ::/64, false",
        "0.0.0.1, ::1, false",
        // IPv4-compatible (::a.b.c.d) and other IPv6 addresses are not in IPv4 networks.
        "::10.1.2.3, 10.0.0.0/8, false",
        "::1, 0.0.0.0/0, false",
        "2001:db8::1, 0.0.0.0/0, false",
    })
    void mappedAddresses(String ip, String cidr, boolean inside) {
        assertEquals(inside, in(ip, cidr));
    }

    @Test
    void aBadIpIsNotInAnyNetwork() {
        assertEquals(false, in("not an ip", "0.0.0.0/0"));
        assertEquals(false, in("10.0.0.1, 10.0.0.2", "10.0.0.0/8"));
        assertEquals(false, in("localhost", "127.0.0.0/8"));
        assertEquals(LuaValue.FALSE, lua.eval("return net.ip_in(nil, '0.0.0.0/0')"));
        assertEquals(LuaValue.FALSE, lua.eval("return net.ip_in('', {'0.0.0.0/0', '::/0'})"));
    }

    @Test
    void tablesOfNetworks() {
        lua.run("private = {'10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'}");
        assertEquals(LuaValue.TRUE, lua.eval("return net.ip_in('192.168.3.4', private)"));
        assertEquals(LuaValue.TRUE, lua.eval("return net.ip_in('fd00::1', private)"));
        assertEquals(LuaValue.TRUE, lua.eval("return net.ip_in('::ffff:172.20.0.1', private)"));
        assertEquals(LuaValue.FALSE, lua.eval("return net.ip_in('8.8.8.8', private)"));
        assertEquals(LuaValue.FALSE, lua.eval("return net.ip_in('8.8.8.8', {})"));
        // The table is read on every call: changing it is seen.
        lua.run("private[#private + 1] = '8.8.8.0/24'");
        assertEquals(LuaValue.TRUE, lua.eval("return net.ip_in('8.8.8.8', private)"));
        lua.run("private[#private] = '9.9.9.9'");
        assertEquals(LuaValue.FALSE, lua.eval("return net.ip_in('8.8.8.8', private)"));
    }

    @Test
    void aBadNetworkIsAnErrorNamingIt() {
        assertEquals("test.lua:1: bad argument #2 to 'ip_in' (invalid network '10.0.0.0/33': prefix length above 32)",
                lua.error("net.ip_in('10.0.0.1', '10.0.0.0/33')"));
        assertEquals("test.lua:1: bad argument #2 to 'ip_in' (invalid network '::/129': prefix length above 128)",
                lua.error("net.ip_in('::1', '::/129')"));
        assertEquals("test.lua:1: bad argument #2 to 'ip_in' (invalid network '10.0.0.0/x': prefix length is not a number)",
                lua.error("net.ip_in('10.0.0.1', '10.0.0.0/x')"));
        assertEquals("test.lua:1: bad argument #2 to 'ip_in' (invalid network '10.0.0.0/': prefix length is not a number)",
                lua.error("net.ip_in('10.0.0.1', '10.0.0.0/')"));
        assertEquals("test.lua:1: bad argument #2 to 'ip_in' (invalid network '10.0.0.0/-1': prefix length is not a number)",
                lua.error("net.ip_in('10.0.0.1', '10.0.0.0/-1')"));
        assertEquals("test.lua:1: bad argument #2 to 'ip_in' (invalid network 'localhost/8': not an IP address)",
                lua.error("net.ip_in('10.0.0.1', 'localhost/8')"));
        assertEquals("test.lua:1: bad argument #2 to 'ip_in' (invalid network '': not an IP address)",
                lua.error("net.ip_in('10.0.0.1', '')"));
        // Even when the ip is not an address: the network is the handler's own text.
        assertEquals("test.lua:1: bad argument #2 to 'ip_in' (invalid network '10.0.0.0/33': prefix length above 32)",
                lua.error("net.ip_in('garbage', '10.0.0.0/33')"));
        // Not cached as good: the second call fails too.
        assertEquals("test.lua:1: bad argument #2 to 'ip_in' (invalid network '10.0.0.0/33': prefix length above 32)",
                lua.error("net.ip_in('10.0.0.1', '10.0.0.0/33')"));
    }

    @Test
    void aBadEntryOfATableIsAnErrorNamingIt() {
        assertEquals("test.lua:1: bad argument #2 to 'ip_in' (entry 2: invalid network '300.0.0.0/8': not an IP address)",
                lua.error("net.ip_in('10.0.0.1', {'192.168.0.0/16', '300.0.0.0/8'})"));
        assertEquals("test.lua:1: bad argument #2 to 'ip_in' (entry 1: string expected, got number)",
                lua.error("net.ip_in('10.0.0.1', {10})"));
        assertEquals("test.lua:1: bad argument #2 to 'ip_in' (string or table expected, got nil)", lua.error("net.ip_in('10.0.0.1')"));
    }

    @Test
    void anEntryAfterTheFirstMatchIsNotLookedAt() {
        assertEquals(LuaValue.TRUE, lua.eval("return net.ip_in('10.0.0.1', {'10.0.0.0/8', 'bad'})"));
    }

    @Test
    void manyDistinctNetworksStayCorrectPastTheCacheBound() {
        LuaValue hits = lua.eval("""
                local hits = 0
                for round = 1, 2 do
                  for i = 0, 2 * %d - 1 do
                    local a, b = math.floor(i / 256), i %% 256
                    local net_ = '10.' .. a .. '.' .. b .. '.0/24'
                    if net.ip_in('10.' .. a .. '.' .. b .. '.7', net_) and not net.ip_in('10.' .. a .. '.' .. b .. '.7', '10.' .. a .. '.' .. ((b + 1) %% 256) .. '.0/24') then
                      hits = hits + 1
                    end
                  end
                end
                return hits
                """.formatted(NetLibrary.MAX_CACHED_NETWORKS));
        assertEquals(2 * 2 * NetLibrary.MAX_CACHED_NETWORKS, hits.toint());
    }
}
