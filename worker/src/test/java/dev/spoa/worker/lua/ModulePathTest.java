package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.Scripts.message;
import static dev.spoa.worker.lua.Scripts.text;
import static dev.spoa.worker.lua.Scripts.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Action;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where require looks: next to the script, then --lua-path, then LUA_PATH (";;" meaning the default), else the default. */
class ModulePathTest {
    private static final Path SCRIPT_DIR = Path.of("/etc/spoa");

    @Test
    void scriptDirectoryFirstThenDefault() {
        assertEquals("/etc/spoa/?.lua;/etc/spoa/?/init.lua;?.lua", LuaGlobals.packagePath(SCRIPT_DIR, List.of(), null));
    }

    @Test
    void directoriesAndTemplatesFromLuaPath() {
        assertEquals("/etc/spoa/?.lua;/etc/spoa/?/init.lua;/opt/lib/?.lua;/opt/lib/?/init.lua;/usr/share/lua/5.2/?.lua;?.lua",
                LuaGlobals.packagePath(SCRIPT_DIR, List.of("/opt/lib/", "/usr/share/lua/5.2/?.lua"), null));
        assertEquals("/etc/spoa/?.lua;/etc/spoa/?/init.lua;/a/?.lua;/a/?/init.lua;/b/?.lua;?.lua",
                LuaGlobals.packagePath(SCRIPT_DIR, List.of("/a;/b/?.lua;"), null), "one entry may hold several, split on ';'");
    }

    @Test
    void luaPathVariableReplacesTheDefaultUnlessItHasTwoSemicolons() {
        assertEquals("/etc/spoa/?.lua;/etc/spoa/?/init.lua;/x/?.lua",
                LuaGlobals.packagePath(SCRIPT_DIR, List.of(), "/x/?.lua"));
        assertEquals("/etc/spoa/?.lua;/etc/spoa/?/init.lua;/x/?.lua;?.lua;/y/?.lua",
                LuaGlobals.packagePath(SCRIPT_DIR, List.of(), "/x/?.lua;;/y/?.lua"));
        assertEquals("/etc/spoa/?.lua;/etc/spoa/?/init.lua;/opt/?.lua;/opt/?/init.lua;/x/?.lua",
                LuaGlobals.packagePath(SCRIPT_DIR, List.of("/opt"), "/x/?.lua"), "--lua-path comes before LUA_PATH");
    }

    @Test
    void requireFindsModulesOnTheLuaPath() {
        String lib = Scripts.path("lib").toAbsolutePath().toString();
        List<Action> actions = Scripts.run(Scripts.load("uses_path.lua", LuaSettings.defaults().withModulePath(List.of(lib))),
                message("m"));
        assertEquals(text("from --lua-path"), valueOf(actions, "a"));
        assertEquals(text("from nested/init.lua"), valueOf(actions, "b"));
    }

    @Test
    void withoutTheLuaPathTheModuleIsNotFound() {
        AssertionError error = assertThrows(AssertionError.class, () -> Scripts.load("uses_path.lua"));
        assertTrue(error.getMessage().contains("module 'pathmod' not found"), error.getMessage());
    }
}
