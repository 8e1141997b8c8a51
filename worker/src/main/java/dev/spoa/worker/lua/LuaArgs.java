package dev.spoa.worker.lua;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;

/**
 * Argument checks shared by every function we give Lua: each raises a Lua error worded as the
 * standard library's ("bad argument #2 to 'decode' (string expected, got nil)"), which surfaces at
 * the caller's line, never a Java exception or a silently wrong value.
 */
final class LuaArgs {
    private LuaArgs() {
    }

    /** A variable name or text argument: luaL_checklstring takes a string or a number. */
    static String checkString(LuaValue value, int arg, String function) {
        int type = value.type();
        if (type == LuaValue.TSTRING) {
            return text(value);
        }
        if (type != LuaValue.TNUMBER) {
            throw argError(arg, function, "string expected, got " + typeName(value));
        }
        return value.tojstring();
    }

    /**
     * The exact bytes of a Lua string (never through a Java String, which would mangle non-UTF-8).
     * The array may be the string's own: read it, never modify it.
     */
    static byte[] checkBytes(LuaValue value, int arg, String function) {
        int type = value.type();
        if (type == LuaValue.TNUMBER) {
            return checkBytes(LuaValue.valueOf(value.tojstring()), arg, function);
        }
        if (type != LuaValue.TSTRING) {
            throw argError(arg, function, "string expected, got " + typeName(value));
        }
        LuaString string = (LuaString) value;
        if (string.m_offset == 0 && string.m_length == string.m_bytes.length) {
            // Lua strings are immutable and so is TypedData's array: sharing is safe.
            return string.m_bytes;
        }
        return Arrays.copyOfRange(string.m_bytes, string.m_offset, string.m_offset + string.m_length);
    }

    /**
     * A value as Java text, strings decoded as UTF-8. Not luaj's tojstring() for strings: it
     * decodes at most 3 bytes per character, mangling 4-byte UTF-8 (emoji).
     */
    static String text(LuaValue value) {
        if (value.type() != LuaValue.TSTRING) {
            return value.tojstring();
        }
        LuaString string = (LuaString) value;
        return new String(string.m_bytes, string.m_offset, string.m_length, StandardCharsets.UTF_8);
    }

    /** Lua's own wording, so messages read like those of the standard library. */
    static LuaError argError(int arg, String function, String message) {
        return new LuaError("bad argument #" + arg + " to '" + function + "' (" + message + ")");
    }

    static String typeName(LuaValue value) {
        return value.typename();
    }

    /** luaL_checknumber: a number, or a string that converts to one. */
    static double checkNumber(LuaValue value, int arg, String function) {
        if (value.type() == LuaValue.TNUMBER) {
            return value.todouble();
        }
        if (value.type() == LuaValue.TSTRING) {
            LuaValue number = value.tonumber();
            if (!number.isnil()) {
                return number.todouble();
            }
        }
        throw argError(arg, function, "number expected, got " + typeName(value));
    }

    /** luaL_optinteger: {@code fallback} for nil or none, else a number truncated toward zero (and clamped to long). */
    static long optInteger(LuaValue value, int arg, String function, long fallback) {
        return value.isnil() ? fallback : (long) checkNumber(value, arg, function);
    }

    /** Like {@link #checkString} but keeps the Lua string itself (a number becomes its text), for caches keyed by bytes. */
    static LuaString checkLuaString(LuaValue value, int arg, String function) {
        if (value.type() == LuaValue.TSTRING) {
            return value.checkstring();
        }
        return LuaString.valueOf(checkString(value, arg, function));
    }
}
