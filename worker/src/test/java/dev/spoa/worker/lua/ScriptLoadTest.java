package dev.spoa.worker.lua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spoa.protocol.Action;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Load failures give one operator-ready line naming the file and, when there is one, the line. */
class ScriptLoadTest {
    private static final String DIR = "src/test/resources/scripts/";

    private static String loadError(String script) {
        ScriptLoadException e = assertThrows(ScriptLoadException.class, () -> LuaScriptHandler.load(Scripts.path(script)));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void missingFile() {
        assertEquals("cannot read " + DIR + "no_such_script.lua: no such file", loadError("no_such_script.lua"));
    }

    @Test
    void directory() {
        ScriptLoadException e = assertThrows(ScriptLoadException.class, () -> LuaScriptHandler.load(Scripts.DIRECTORY));
        assertEquals("cannot read src/test/resources/scripts: is a directory", e.getMessage());
    }

    @Test
    void syntaxError() {
        // What luac 5.3 says too.
        assertEquals(DIR + "syntax_error.lua:3: unexpected symbol near '='", loadError("syntax_error.lua"));
    }

    @Test
    void syntaxErrorTokensReadAsInLua() {
        assertEquals("x.lua:2: unexpected symbol near <eof>", LuaErrors.syntax("x.lua:2: unexpected symbol 286 (\u011e)"));
        assertEquals("x.lua:2: unexpected symbol near 'end'", LuaErrors.syntax("x.lua:2: unexpected symbol 262 (\u0106)"));
        assertEquals("x.lua:2: unexpected symbol", LuaErrors.syntax("x.lua:2: unexpected symbol 288 (\u0120)"));
        assertEquals("x.lua:1: unfinished string", LuaErrors.syntax("x.lua:1: unfinished string"));
    }

    @Test
    void runtimeErrorAtTheTopLevel() {
        assertEquals(DIR + "top_error.lua:3: attempt to index ? (a nil value)", loadError("top_error.lua"));
    }

    @Test
    void duplicateRegistration() {
        assertEquals(DIR + "duplicate.lua:2: message 'x' is already registered", loadError("duplicate.lua"));
    }

    @Test
    void badApiCallAtTheTopLevel() {
        assertEquals(DIR + "top_bad_call.lua:2: bad argument #3 to 'set_var_int32' (number expected, got string)", loadError("top_bad_call.lua"));
    }

    @Test
    void aShebangLineIsSkippedAndLinesStillCount() {
        assertEquals(DIR + "shebang.lua:3: line three", loadError("shebang.lua"));
    }

    @Test
    void requireFindsModulesNextToTheScript() {
        LuaScriptHandler handler = Scripts.load("uses_module.lua");
        List<Action> actions = Scripts.run(handler, new Message("double", List.of(new Argument("n", new TypedData.Int32(21)))));
        assertEquals(List.of(new Action.SetVar(VarScope.TXN, "double", new TypedData.Int32(42))), actions);
    }

    @Test
    void skipPreambleKeepsLineNumbers() {
        assertEquals("\nx", new String(LuaScriptHandler.skipPreamble("#!lua\nx".getBytes())));
        assertEquals("x", new String(LuaScriptHandler.skipPreamble(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'x'})));
        byte[] plain = "x = 1".getBytes();
        assertEquals(plain, LuaScriptHandler.skipPreamble(plain));
    }
}
