package dev.spoa.worker.lua;

import dev.spoa.protocol.Argument;
import dev.spoa.protocol.TypedData;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.TwoArgFunction;

/**
 * Builds the table a handler receives, exactly as the original agent did: an array of
 * {@code {name=..., value=...}}. Lookup by name ({@code args.ip}) goes through a shared metatable
 * rather than extra keys, so {@code pairs(args)} and {@code #args} see what they saw in the
 * original and scripts written for it keep working.
 *
 * <p>One per handler, not thread-safe.
 */
final class ArgumentTables {
    /** The longest byte array luaj's LuaString.valueUsing looks up in its cache of recent strings. */
    private static final int LUAJ_CACHED_LENGTH = 32;
    static final LuaString NAME = LuaString.valueOf("name");
    static final LuaString VALUE = LuaString.valueOf("value");

    /** 2^53: beyond it a double (luaj's number) no longer holds every integer. */
    static final long MAX_EXACT_INTEGER = 1L << 53;

    /** Argument names come from the HAProxy configuration, so few; the bound only guards memory. */
    private static final int MAX_CACHED_NAMES = 1024;

    private final Map<String, LuaString> names = new HashMap<>();
    private final LuaTable metatable = new LuaTable(0, 1);

    ArgumentTables() {
        metatable.rawset(LuaValue.INDEX, new ByName());
    }

    /** A fresh table per call: a handler may keep it, and reusing it would change what it kept. */
    LuaTable table(List<Argument> arguments) {
        int count = arguments.size();
        LuaTable args = new LuaTable(count, 0);
        for (int i = 0; i < count; i++) {
            Argument argument = arguments.get(i);
            LuaTable entry = new LuaTable(0, 2);
            entry.rawset(NAME, name(argument.name()));
            LuaValue value = toLua(argument.value());
            if (!value.isnil()) {
                entry.rawset(VALUE, value);
            }
            args.rawset(i + 1, entry);
        }
        args.setmetatable(metatable);
        return args;
    }

    private LuaString name(String name) {
        LuaString cached = names.get(name);
        if (cached == null) {
            cached = LuaString.valueOf(name);
            if (names.size() < MAX_CACHED_NAMES) {
                names.put(name, cached);
            }
        }
        return cached;
    }

    /**
     * NULL → nil, BOOL → boolean, integers → number, IPv4/IPv6 → inet_ntop text, STRING/BINARY →
     * string with the exact bytes. An INT64 or UINT64 whose magnitude exceeds 2^53 arrives as its
     * exact decimal text instead of a rounded number (see package documentation).
     */
    static LuaValue toLua(TypedData data) {
        switch (data.type()) {
            case NULL:
                return LuaValue.NIL;
            case BOOL:
                return ((TypedData.Bool) data).value() ? LuaValue.TRUE : LuaValue.FALSE;
            case INT32:
                return LuaValue.valueOf(((TypedData.Int32) data).value());
            case UINT32:
                return integer(((TypedData.Uint32) data).value());
            case INT64:
                return integer(((TypedData.Int64) data).value());
            case UINT64: {
                long bits = ((TypedData.Uint64) data).value();
                return bits >= 0 ? integer(bits) : LuaValue.valueOf(Long.toUnsignedString(bits));
            }
            case IPV4:
                return ipv4(((TypedData.Ipv4) data).address());
            case IPV6:
                return LuaValue.valueOf(data.toString());
            case STRING:
                // valueUsing shares the array: both sides treat it as immutable, so no copy.
                return LuaString.valueUsing(((TypedData.Text) data).bytes());
            case BINARY:
                return LuaString.valueUsing(((TypedData.Binary) data).bytes());
            default:
                throw new IllegalStateException("unknown type " + data.type());
        }
    }

    /**
     * Dotted-quad bytes straight into the Lua string: the client address is in nearly every NOTIFY.
     *
     * <p>The array is longer than luaj's limit for its cache of recent short strings (32 bytes), so
     * that the string is built without a lookup there: whether the lookup finds the address depends
     * on the traffic. When traffic that never repeated an address started to (the bench's fixed
     * rates, whose eight connections send the same addresses in step), the compiled handler path met
     * the branch it had never taken and was thrown away, and C2 spent 43-228 ms of the agent's one
     * core recompiling it, holding 400-1,150 requests each time (5,000/s, seen with LogCompilation).
     * IPv6, string and binary arguments of up to 32 bytes still go through that cache; no trap of
     * theirs has been seen in the bench.
     */
    static LuaString ipv4(int address) {
        byte[] text = new byte[LUAJ_CACHED_LENGTH + 1]; // 15 used at most
        int length = 0;
        for (int shift = 24; shift >= 0; shift -= 8) {
            int octet = (address >>> shift) & 0xFF;
            if (octet >= 100) {
                text[length++] = (byte) ('0' + octet / 100);
            }
            if (octet >= 10) {
                text[length++] = (byte) ('0' + octet / 10 % 10);
            }
            text[length++] = (byte) ('0' + octet % 10);
            if (shift > 0) {
                text[length++] = '.';
            }
        }
        return LuaString.valueUsing(text, 0, length);
    }

    private static LuaValue integer(long value) {
        if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
            return LuaValue.valueOf((int) value);
        }
        if (value >= -MAX_EXACT_INTEGER && value <= MAX_EXACT_INTEGER) {
            return LuaValue.valueOf((double) value);
        }
        return LuaValue.valueOf(Long.toString(value));
    }

    /** {@code args.ip}: the value of the first argument named "ip". A scan: messages carry few arguments. */
    private static final class ByName extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue table, LuaValue key) {
            // isstring() is also true for numbers in luaj: args[7] must stay nil, not look for a name "7".
            if (key.type() != LuaValue.TSTRING || key.rawlen() == 0) {
                return NIL;
            }
            int length = table.rawlen();
            for (int i = 1; i <= length; i++) {
                LuaValue entry = table.rawget(i);
                if (entry.istable() && entry.rawget(NAME).raweq(key)) {
                    return entry.rawget(VALUE);
                }
            }
            return NIL;
        }
    }
}
