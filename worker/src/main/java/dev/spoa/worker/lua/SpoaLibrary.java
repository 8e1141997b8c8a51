package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.LuaArgs.argError;
import static dev.spoa.worker.lua.LuaArgs.checkBytes;
import static dev.spoa.worker.lua.LuaArgs.checkString;
import static dev.spoa.worker.lua.LuaArgs.typeName;

import dev.spoa.protocol.Action;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.OneArgFunction;
import org.luaj.vm2.lib.ThreeArgFunction;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;
import org.luaj.vm2.lib.ZeroArgFunction;
import org.tinylog.Logger;

/**
 * The global {@code spoa} table: the API of HAProxy's original multi-language agent
 * (contrib/spoa_server/ps_lua.c) plus {@code unset_var}. Every function checks its arguments and
 * raises a Lua error on a bad one, so that a mistake surfaces as a handler failure with the
 * caller's file:line, never as a Java exception or a silently wrong variable.
 */
final class SpoaLibrary {
    /**
     * More actions than any frame can carry (the smallest action takes 6 bytes): a handler looping
     * over set_var would otherwise grow the list until the worker runs out of memory.
     */
    static final int MAX_ACTIONS = 65_536;

    /** A registered handler, with its name ready to pass as the second argument. */
    record Registration(LuaString name, LuaValue function) {
    }

    /** Variable names are nearly always literals: decoding the same bytes to a String on every call showed in profiles. */
    private static final int MAX_CACHED_NAMES = 1024;

    private final List<Action> actions;
    private final Map<String, Registration> handlers;
    private final List<LuaValue> initializers;
    private final LuaSettings settings;
    private final Map<LuaString, String> names = new HashMap<>();
    /** on_init belongs to the script's top level: once the worker has started, nobody would call it. */
    private boolean started;

    /**
     * Set calls append to {@code actions}; register_message fills {@code handlers}, on_init
     * {@code initializers}; worker_id and workers answer from {@code settings}.
     */
    SpoaLibrary(List<Action> actions, Map<String, Registration> handlers, List<LuaValue> initializers, LuaSettings settings) {
        this.actions = actions;
        this.handlers = handlers;
        this.initializers = initializers;
        this.settings = settings;
    }

    /** From now on, spoa.on_init is an error: the functions it registered have run. */
    void started() {
        started = true;
    }

    LuaTable table() {
        LuaTable spoa = new LuaTable();
        spoa.rawset("register_message", new RegisterMessage());
        spoa.rawset("set_var_null", new SetVarNull());
        spoa.rawset("unset_var", new UnsetVar());
        for (ValueType type : ValueType.values()) {
            spoa.rawset(type.function, new SetVar(type));
        }
        LuaTable scope = new LuaTable(0, VarScope.values().length);
        for (VarScope each : VarScope.values()) {
            scope.rawset(each.label(), LuaValue.valueOf(each.id()));
        }
        spoa.rawset("scope", scope);
        spoa.rawset("on_init", new OnInit());
        spoa.rawset("worker_id", new Constant(LuaValue.valueOf(settings.workerId())));
        spoa.rawset("workers", new Constant(LuaValue.valueOf(settings.workers())));
        spoa.rawset("log", new Log(null));
        for (LogLevel level : LogLevel.values()) {
            spoa.rawset("log_" + level.label, new Log(level));
        }
        return spoa;
    }

    private String variableName(LuaValue name, String function) {
        if (name.type() != LuaValue.TSTRING) {
            return checkString(name, 1, function);
        }
        LuaString bytes = (LuaString) name;
        String cached = names.get(bytes);
        if (cached == null) {
            cached = LuaArgs.text(bytes);
            if (names.size() < MAX_CACHED_NAMES) {
                names.put(bytes, cached);
            }
        }
        return cached;
    }

    private void collect(Action action) {
        if (actions.size() >= MAX_ACTIONS) {
            throw new LuaError("too many actions for one ACK (" + MAX_ACTIONS + ")");
        }
        actions.add(action);
    }

    /** spoa.register_message(name, fn): the original exits the process on a duplicate; here it is a Lua error. */
    private final class RegisterMessage extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue name, LuaValue function) {
            String message = checkString(name, 1, "register_message");
            if (!function.isfunction()) {
                throw argError(2, "register_message", "function expected, got " + typeName(function));
            }
            if (handlers.containsKey(message)) {
                throw new LuaError("message '" + message + "' is already registered");
            }
            handlers.put(message, new Registration(LuaString.valueOf(message), function));
            // The original returns its second argument (the top of the C stack); nobody should rely on it, but it costs nothing.
            return function;
        }
    }

    /** spoa.on_init(fn): fn runs once in each worker, after the top level and before the first message. */
    private final class OnInit extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue function) {
            if (!function.isfunction()) {
                throw argError(1, "on_init", "function expected, got " + typeName(function));
            }
            if (started) {
                throw new LuaError("spoa.on_init is for the script's top level: the worker has started already");
            }
            initializers.add(function);
            return NONE;
        }
    }

    /** spoa.worker_id() and spoa.workers(): functions rather than fields, so that a handler cannot change them by mistake. */
    private static final class Constant extends ZeroArgFunction {
        private final LuaValue value;

        Constant(LuaValue value) {
            this.value = value;
        }

        @Override
        public LuaValue call() {
            return value;
        }
    }

    private final class SetVarNull extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue name, LuaValue scope) {
            String variable = variableName(name, "set_var_null");
            collect(new Action.SetVar(checkScope(scope, "set_var_null"), variable, TypedData.NULL));
            return NONE;
        }
    }

    private final class UnsetVar extends TwoArgFunction {
        @Override
        public LuaValue call(LuaValue name, LuaValue scope) {
            String variable = variableName(name, "unset_var");
            collect(new Action.UnsetVar(checkScope(scope, "unset_var"), variable));
            return NONE;
        }
    }

    private final class SetVar extends ThreeArgFunction {
        private final ValueType type;

        SetVar(ValueType type) {
            this.type = type;
        }

        @Override
        public LuaValue call(LuaValue name, LuaValue scope, LuaValue value) {
            String variable = variableName(name, type.function);
            VarScope varScope = checkScope(scope, type.function);
            collect(new Action.SetVar(varScope, variable, type.convert(value)));
            return NONE;
        }
    }

    /** The levels a handler logs at: spoa.log("warn", ...) or spoa.log_warn(...). */
    enum LogLevel {
        DEBUG("debug"), INFO("info"), WARN("warn"), ERROR("error");

        final String label;

        LogLevel(String label) {
            this.label = label;
        }

        /** "debug", "info", "warn" (or "warning"), "error" (or "err"), in any case; null for anything else. */
        static LogLevel named(String name) {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            for (LogLevel level : values()) {
                if (level.label.equals(lower)) {
                    return level;
                }
            }
            return lower.equals("warning") ? WARN : lower.equals("err") ? ERROR : null;
        }

        boolean enabled() {
            return switch (this) {
                case DEBUG -> Logger.isDebugEnabled();
                case INFO -> Logger.isInfoEnabled();
                case WARN -> Logger.isWarnEnabled();
                case ERROR -> Logger.isErrorEnabled();
            };
        }
    }

    /**
     * spoa.log(level, ...) and spoa.log_LEVEL(...): the values as tostring shows them, joined by
     * spaces, in the worker's log (which the front relays into the agent's, tagged with the worker).
     */
    private static final class Log extends VarArgFunction {
        /** Null for spoa.log, which takes the level as its first argument. */
        private final LogLevel fixed;

        Log(LogLevel fixed) {
            this.fixed = fixed;
        }

        @Override
        public Varargs invoke(Varargs args) {
            LogLevel level = fixed;
            int first = 1;
            if (level == null) {
                LuaValue name = args.arg1();
                level = name.type() == LuaValue.TSTRING ? LogLevel.named(name.tojstring()) : null;
                if (level == null) {
                    throw argError(1, "log", "level expected (\"debug\", \"info\", \"warn\" or \"error\"), got "
                            + (name.type() == LuaValue.TSTRING ? "'" + name.tojstring() + "'" : typeName(name)));
                }
                first = 2;
            }
            if (!level.enabled()) {
                return NONE; // a disabled level costs no string building, as a handler may log on every call
            }
            StringBuilder text = new StringBuilder();
            for (int i = first; i <= args.narg(); i++) {
                if (i > first) {
                    text.append(' ');
                }
                text.append(tostring(args.arg(i)));
            }
            String message = text.toString();
            switch (level) {
                case DEBUG -> Logger.debug(message);
                case INFO -> Logger.info(message);
                case WARN -> Logger.warn(message);
                case ERROR -> Logger.error(message);
            }
            return NONE;
        }

        /** Lua's tostring: a __tostring metamethod if there is one, else the value's usual text. */
        private static String tostring(LuaValue value) {
            LuaValue metamethod = value.metatag(TOSTRING);
            if (!metamethod.isnil()) {
                return LuaArgs.text(metamethod.call(value));
            }
            return LuaArgs.text(value);
        }
    }

    /** The typed set_var_* functions and how each turns a Lua value into SPOP data. */
    enum ValueType {
        BOOLEAN("set_var_boolean") {
            @Override
            TypedData convert(LuaValue value) {
                // luaL_checkboolean in the original: strictly a boolean, no truthiness.
                if (value.type() != LuaValue.TBOOLEAN) {
                    throw argError(3, function, "boolean expected, got " + typeName(value));
                }
                return TypedData.bool(value.toboolean());
            }
        },
        INT32("set_var_int32") {
            @Override
            TypedData convert(LuaValue value) {
                return new TypedData.Int32((int) checkInteger(value, 3, function, Range.INT32));
            }
        },
        UINT32("set_var_uint32") {
            @Override
            TypedData convert(LuaValue value) {
                return new TypedData.Uint32(checkInteger(value, 3, function, Range.UINT32));
            }
        },
        INT64("set_var_int64") {
            @Override
            TypedData convert(LuaValue value) {
                return new TypedData.Int64(checkInteger(value, 3, function, Range.INT64));
            }
        },
        UINT64("set_var_uint64") {
            @Override
            TypedData convert(LuaValue value) {
                return new TypedData.Uint64(checkInteger(value, 3, function, Range.UINT64));
            }
        },
        IPV4("set_var_ipv4") {
            @Override
            TypedData convert(LuaValue value) {
                String text = checkString(value, 3, function);
                try {
                    return TypedData.Ipv4.parse(text);
                } catch (RuntimeException malformed) {
                    throw argError(3, function, "invalid IPv4 address '" + text + "'");
                }
            }
        },
        IPV6("set_var_ipv6") {
            @Override
            TypedData convert(LuaValue value) {
                String text = checkString(value, 3, function);
                try {
                    return TypedData.Ipv6.parse(text);
                } catch (RuntimeException malformed) {
                    throw argError(3, function, "invalid IPv6 address '" + text + "'");
                }
            }
        },
        STR("set_var_str") {
            @Override
            TypedData convert(LuaValue value) {
                return new TypedData.Text(checkBytes(value, 3, function));
            }
        },
        BIN("set_var_bin") {
            @Override
            TypedData convert(LuaValue value) {
                return new TypedData.Binary(checkBytes(value, 3, function));
            }
        };

        final String function;

        ValueType(String function) {
            this.function = function;
        }

        abstract TypedData convert(LuaValue value);
    }

    /** Integer ranges of the SPOP types; {@code fastMin/fastMax} bound the long fast path (UINT64 past 2^63 takes the slow one). */
    enum Range {
        INT32("int32", Integer.MIN_VALUE, Integer.MAX_VALUE, BigInteger.valueOf(Integer.MIN_VALUE), BigInteger.valueOf(Integer.MAX_VALUE)),
        UINT32("uint32", 0, 0xFFFF_FFFFL, BigInteger.ZERO, BigInteger.valueOf(0xFFFF_FFFFL)),
        INT64("int64", Long.MIN_VALUE, Long.MAX_VALUE, BigInteger.valueOf(Long.MIN_VALUE), BigInteger.valueOf(Long.MAX_VALUE)),
        UINT64("uint64", 0, Long.MAX_VALUE, BigInteger.ZERO, BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE));

        final String label;
        final long fastMin;
        final long fastMax;
        final BigInteger min;
        final BigInteger max;

        Range(String label, long fastMin, long fastMax, BigInteger min, BigInteger max) {
            this.label = label;
            this.fastMin = fastMin;
            this.fastMax = fastMax;
            this.min = min;
            this.max = max;
        }
    }

    private static final double TWO_POW_63 = 0x1p63;
    private static final double TWO_POW_64 = 0x1p64;

    /**
     * The value as the 64 bits the SPOP type carries (UINT64 above 2^63-1 comes back negative).
     * Like Lua 5.3's luaL_checkinteger: a number with an exact integer value, or a string that
     * converts to one. A decimal string is read exactly, which is how a handler sends a 64-bit
     * value beyond 2^53 that a double cannot hold.
     */
    static long checkInteger(LuaValue value, int arg, String function, Range range) {
        if (value.isinttype()) {
            // The fast path: luaj holds every number that fits in an int as a LuaInteger.
            long integer = value.toint();
            if (integer < range.fastMin || integer > range.fastMax) {
                throw outOfRange(arg, function, Long.toString(integer), range);
            }
            return integer;
        }
        if (value.type() == LuaValue.TNUMBER) {
            return fromDouble(value.todouble(), arg, function, range);
        }
        if (value.type() == LuaValue.TSTRING) {
            String text = value.tojstring().strip();
            if (isDecimal(text)) {
                BigInteger exact = new BigInteger(text);
                if (exact.compareTo(range.min) < 0 || exact.compareTo(range.max) > 0) {
                    throw outOfRange(arg, function, exact.toString(), range);
                }
                return exact.longValue();
            }
            LuaValue number = value.tonumber();
            if (number.isnil()) {
                throw argError(arg, function, "number expected, got string");
            }
            return fromDouble(number.todouble(), arg, function, range);
        }
        throw argError(arg, function, "number expected, got " + typeName(value));
    }

    private static long fromDouble(double number, int arg, String function, Range range) {
        if (Double.isNaN(number) || Double.isInfinite(number) || number != Math.rint(number)) {
            throw argError(arg, function, "number has no integer representation");
        }
        long bits;
        if (number >= -TWO_POW_63 && number < TWO_POW_63) {
            bits = (long) number;
        } else if (range == Range.UINT64 && number >= TWO_POW_63 && number < TWO_POW_64) {
            // Exact: an integral double in [2^63, 2^64) minus 2^63 is an integral double below 2^63.
            bits = (long) (number - TWO_POW_63) | Long.MIN_VALUE;
            return bits;
        } else {
            // Exact digits: luaj would print 2^63 as 9223372036854775807 (its long cast saturates).
            throw outOfRange(arg, function, new BigDecimal(number).toBigInteger().toString(), range);
        }
        if (bits < range.fastMin || bits > range.fastMax) {
            throw outOfRange(arg, function, Long.toString(bits), range);
        }
        return bits;
    }

    private static boolean isDecimal(String text) {
        int start = !text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+') ? 1 : 0;
        if (start == text.length()) {
            return false;
        }
        for (int i = start; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /** The original casts any integer to a byte (scope 258 became txn); an unknown scope is a mistake worth an error. */
    static VarScope checkScope(LuaValue value, String function) {
        long id = checkInteger(value, 2, function, Range.INT64);
        VarScope scope = id >= 0 && id <= Integer.MAX_VALUE ? VarScope.byId((int) id) : null;
        if (scope == null) {
            throw argError(2, function, "unknown scope " + id + " (use spoa.scope.proc, sess, txn, req or res)");
        }
        return scope;
    }

    private static LuaError outOfRange(int arg, String function, String shown, Range range) {
        return argError(arg, function, "integer " + shown + " out of range for " + range.label);
    }
}
