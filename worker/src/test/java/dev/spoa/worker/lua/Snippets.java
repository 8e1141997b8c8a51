package dev.spoa.worker.lua;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
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

    /** The message of the error the snippet raises, as a handler's caller would see it. */
    String error(String code) {
        return LuaErrors.describe(assertThrows(LuaError.class, () -> run(code)), "test.lua");
    }
}
