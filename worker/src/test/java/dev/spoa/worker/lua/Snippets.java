package dev.spoa.worker.lua;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.jse.JsePlatform;

/** Runs Lua snippets against a fresh set of globals, as a handler's chunk would run ("@test.lua"). */
final class Snippets {
    final Globals globals = JsePlatform.standardGlobals();

    /** The snippet's return values ("return ..." is the snippet's business). */
    Varargs run(String code) {
        return globals.load(code, "@test.lua").invoke();
    }

    /** The first value a snippet returns. */
    LuaValue eval(String code) {
        return run(code).arg1();
    }

    /** The value of a Lua expression. */
    LuaValue value(String expression) {
        return eval("return " + expression);
    }

    /** The value of a Lua expression, as Java text. */
    String text(String expression) {
        return value(expression).tojstring();
    }

    /** The exact bytes of the string a Lua expression gives. */
    byte[] bytes(String expression) {
        LuaString string = value(expression).checkstring();
        byte[] bytes = new byte[string.m_length];
        string.copyInto(0, bytes, 0, bytes.length);
        return bytes;
    }

    /** The message a handler gets from {@code pcall(call)}: the function's own, with no position added. */
    String pcallError(String call) {
        return eval("local ok, err = pcall(" + call + ") assert(not ok, 'no error') return err").tojstring();
    }

    /** The message of the error the snippet raises, as a handler's caller would see it. */
    String error(String code) {
        return LuaErrors.describe(assertThrows(LuaError.class, () -> run(code)), "test.lua");
    }
}
