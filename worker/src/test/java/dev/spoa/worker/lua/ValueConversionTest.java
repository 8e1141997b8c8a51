package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.Scripts.arg;
import static dev.spoa.worker.lua.Scripts.message;
import static dev.spoa.worker.lua.Scripts.run;
import static dev.spoa.worker.lua.Scripts.text;
import static dev.spoa.worker.lua.Scripts.valueOf;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import dev.spoa.protocol.Action;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.LuaString;

/** Every SPOP type into Lua and every setter out of it, with exact bytes. */
class ValueConversionTest {
    private static final byte[] NOT_UTF8 = {0x00, (byte) 0xFF, (byte) 0xC3, 0x28, 0x0A};

    private final LuaScriptHandler types = Scripts.load("echo_types.lua");

    @Test
    void everyIncomingTypeAsTheOriginalGaveIt() {
        List<Action> actions = run(types, message("types",
                arg("null", TypedData.NULL),
                arg("true", TypedData.TRUE),
                arg("false", TypedData.FALSE),
                arg("int32", new TypedData.Int32(-5)),
                arg("int32.min", new TypedData.Int32(Integer.MIN_VALUE)),
                arg("uint32", new TypedData.Uint32(0xFFFF_FFFFL)),
                arg("int64", new TypedData.Int64(1_700_000_000_123L)),
                arg("int64.exact", new TypedData.Int64(-(1L << 53))),
                arg("uint64", new TypedData.Uint64(1L << 53)),
                arg("ipv4", TypedData.Ipv4.parse("192.0.2.1")),
                arg("ipv6", TypedData.Ipv6.parse("2001:db8:0:0:0:0:0:1")),
                arg("mapped", TypedData.Ipv6.parse("::ffff:192.0.2.1")),
                arg("text", text("héllo")),
                arg("empty", new TypedData.Text(new byte[0]))));

        assertSeen(actions, "null", "nil", "nil");
        assertSeen(actions, "true", "boolean", "true");
        assertSeen(actions, "false", "boolean", "false");
        assertSeen(actions, "int32", "number", "-5");
        assertSeen(actions, "int32.min", "number", "-2147483648");
        assertSeen(actions, "uint32", "number", "4294967295");
        assertSeen(actions, "int64", "number", "1700000000123");
        assertSeen(actions, "int64.exact", "number", "-9007199254740992");
        assertSeen(actions, "uint64", "number", "9007199254740992");
        assertSeen(actions, "ipv4", "string", "192.0.2.1");
        assertSeen(actions, "ipv6", "string", "2001:db8::1");
        assertSeen(actions, "mapped", "string", "::ffff:192.0.2.1");
        assertSeen(actions, "text", "string", "héllo");
        assertSeen(actions, "empty", "string", "");
    }

    @Test
    void stringsAndBinariesKeepTheirExactBytes() {
        List<Action> actions = run(types, message("types",
                arg("text", new TypedData.Text(NOT_UTF8)),
                arg("binary", new TypedData.Binary(NOT_UTF8))));
        assertArrayEquals(NOT_UTF8, ((TypedData.Binary) valueOf(actions, "text")).bytes());
        assertArrayEquals(NOT_UTF8, ((TypedData.Binary) valueOf(actions, "binary")).bytes());

        List<Action> echoed = run(types, message("echo",
                arg("text", new TypedData.Text(NOT_UTF8)),
                arg("binary", new TypedData.Binary(NOT_UTF8))));
        assertEquals(new TypedData.Text(NOT_UTF8), valueOf(echoed, "text"));
        assertEquals(new TypedData.Binary(NOT_UTF8), valueOf(echoed, "binary"));
    }

    @Test
    void sixtyFourBitValuesBeyondTwoToThe53ArriveAsExactDecimalText() {
        List<Action> actions = run(types, message("types",
                arg("int64.big", new TypedData.Int64((1L << 53) + 1)),
                arg("int64.max", new TypedData.Int64(Long.MAX_VALUE)),
                arg("int64.min", new TypedData.Int64(Long.MIN_VALUE)),
                arg("uint64.max", new TypedData.Uint64(-1L))));
        assertSeen(actions, "int64.big", "string", "9007199254740993");
        assertSeen(actions, "int64.max", "string", "9223372036854775807");
        assertSeen(actions, "int64.min", "string", "-9223372036854775808");
        assertSeen(actions, "uint64.max", "string", "18446744073709551615");
    }

    @Test
    void sixtyFourBitValuesRoundTripExactly() {
        for (long value : new long[] {0, 42, -1, (1L << 53) + 1, Long.MAX_VALUE, Long.MIN_VALUE}) {
            List<Action> actions = run(types, message("echo64",
                    arg("int64", new TypedData.Int64(value)),
                    arg("uint64", new TypedData.Uint64(value))));
            assertEquals(new TypedData.Int64(value), valueOf(actions, "int64"));
            assertEquals(new TypedData.Uint64(value), valueOf(actions, "uint64"), Long.toUnsignedString(value));
        }
    }

    @Test
    void everySetterSendsItsOwnType() {
        List<Action> actions = run(Scripts.load("set_all.lua"), message("set-all"));
        assertEquals(List.of(
                new Action.SetVar(VarScope.PROC, "null", TypedData.NULL),
                new Action.SetVar(VarScope.SESS, "true", TypedData.TRUE),
                new Action.SetVar(VarScope.TXN, "false", TypedData.FALSE),
                new Action.SetVar(VarScope.REQ, "int32", new TypedData.Int32(-5)),
                new Action.SetVar(VarScope.RES, "int32.min", new TypedData.Int32(Integer.MIN_VALUE)),
                new Action.SetVar(VarScope.TXN, "int32.max", new TypedData.Int32(Integer.MAX_VALUE)),
                new Action.SetVar(VarScope.TXN, "uint32", new TypedData.Uint32(0xFFFF_FFFFL)),
                new Action.SetVar(VarScope.TXN, "int64", new TypedData.Int64(-(1L << 53))),
                new Action.SetVar(VarScope.TXN, "int64.min", new TypedData.Int64(Long.MIN_VALUE)),
                new Action.SetVar(VarScope.TXN, "int64.max", new TypedData.Int64(Long.MAX_VALUE)),
                new Action.SetVar(VarScope.TXN, "int64.hex", new TypedData.Int64(16)),
                new Action.SetVar(VarScope.TXN, "int64.float", new TypedData.Int64(12)),
                new Action.SetVar(VarScope.TXN, "int64.text", new TypedData.Int64(42)),
                new Action.SetVar(VarScope.TXN, "uint64", new TypedData.Uint64(1L << 53)),
                new Action.SetVar(VarScope.TXN, "uint64.max", new TypedData.Uint64(-1L)),
                new Action.SetVar(VarScope.TXN, "uint64.big", new TypedData.Uint64(Long.MIN_VALUE)),
                new Action.SetVar(VarScope.TXN, "ipv4", new TypedData.Ipv4(0xC000_0201)),
                new Action.SetVar(VarScope.TXN, "ipv6", new TypedData.Ipv6(0x2001_0db8_0000_0000L, 1)),
                new Action.SetVar(VarScope.TXN, "str", new TypedData.Text(new byte[] {'h', (byte) 0xC3, (byte) 0xA9, (byte) 0xFF, 0, '!'})),
                new Action.SetVar(VarScope.TXN, "str.number", text("12")),
                new Action.SetVar(VarScope.TXN, "bin", new TypedData.Binary(new byte[] {0, 1, (byte) 0xFE, (byte) 0xFF})),
                new Action.UnsetVar(VarScope.SESS, "gone"),
                new Action.SetVar(VarScope.TXN, "7", new TypedData.Int32(8))),
                actions);
        // The record equality above compares values; the wire type is the record's class.
        assertInstanceOf(TypedData.Int32.class, valueOf(actions, "int32"));
        assertInstanceOf(TypedData.Uint64.class, valueOf(actions, "uint64"));
    }

    @Test
    void theOriginalsExampleRunsUnchangedInItsStyle() {
        List<Action> actions = run(Scripts.load("original_style.lua"), message("check-client-ip",
                arg("", TypedData.TRUE), arg("", new TypedData.Int64(1234)), arg("", TypedData.Ipv4.parse("192.0.2.1")),
                arg("", TypedData.Ipv6.parse("::55")), arg("", text("example.com"))));
        assertEquals(11, actions.size());
        assertEquals(new TypedData.Int32(1234), valueOf(actions, "int32"));
        assertEquals(new TypedData.Uint32(1234), valueOf(actions, "uint32"));
        assertEquals(new TypedData.Int64(1234), valueOf(actions, "int64"));
        assertEquals(new TypedData.Uint64(1234), valueOf(actions, "uint64"));
        assertEquals(TypedData.Ipv6.parse("1::f"), valueOf(actions, "ipv6"));
        assertEquals(new TypedData.Binary("1::f".getBytes(StandardCharsets.US_ASCII)), valueOf(actions, "bin"));
        int score = ((TypedData.Int32) valueOf(actions, "ip_score")).value();
        assertFalse(score < 1 || score > 100, "math.random(100) gave " + score);
    }

    @Test
    void ipv4TextIsWhatTheCodecPrints() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        int[] fixed = {0, -1, 0x0A00_6409, 0x7F00_0001, 0x6463_0A09};
        for (int i = 0; i < 10_000; i++) {
            TypedData.Ipv4 address = new TypedData.Ipv4(i < fixed.length ? fixed[i] : random.nextInt());
            assertEquals(address.toString(), ArgumentTables.ipv4(address.address()).tojstring());
        }
    }

    /**
     * The same address twice gives two strings, equal but not the same object: luaj's cache of recent
     * short strings, whose hits depend on the traffic and once threw the compiled handler path away,
     * is not consulted.
     */
    @Test
    void ipv4TextBypassesLuajsCacheOfRecentStrings() {
        LuaString first = ArgumentTables.ipv4(0x0A00_0001);
        LuaString second = ArgumentTables.ipv4(0x0A00_0001);
        assertEquals(first, second);
        assertNotSame(first, second);
        assertEquals("10.0.0.1", second.tojstring());
    }

    private static void assertSeen(List<Action> actions, String name, String luaType, String value) {
        assertEquals(text(luaType), valueOf(actions, name + ".type"), name + ": Lua type");
        TypedData seen = valueOf(actions, name);
        byte[] bytes = seen instanceof TypedData.Binary binary ? binary.bytes() : ((TypedData.Text) seen).bytes();
        assertEquals(value, new String(bytes, StandardCharsets.UTF_8), name + ": value");
    }
}
