package dev.spoa.worker.lua;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LoadState;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.compiler.LuaC;
import org.luaj.vm2.lib.Bit32Lib;
import org.luaj.vm2.lib.CoroutineLib;
import org.luaj.vm2.lib.PackageLib;
import org.luaj.vm2.lib.StringLib;
import org.luaj.vm2.lib.TableLib;
import org.luaj.vm2.lib.jse.JseBaseLib;
import org.luaj.vm2.lib.jse.JseIoLib;
import org.luaj.vm2.lib.jse.JseMathLib;
import org.luaj.vm2.lib.jse.JseOsLib;
import org.luaj.vm2.lib.jse.LuajavaLib;

/**
 * The globals a script runs with: Lua's standard libraries as luaj's JsePlatform has them (the
 * sandbox's versions under {@code --lua-sandbox}, see {@link Sandbox}), the agent's own libraries,
 * and {@code package.path} set from the script's directory, {@code --lua-path} and
 * {@code LUA_PATH}.
 */
final class LuaGlobals {
    /** luaj's package.path, relative to the working directory as in Lua (where ";;" in LUA_PATH puts it). */
    static final String LUAJ_DEFAULT_PATH = "?.lua";

    private LuaGlobals() {
    }

    /** {@code scriptDirectory}: the directory of the operator's script, searched first by {@code require}. */
    static Globals create(LuaSettings settings, Path scriptDirectory) {
        Globals globals = new Globals();
        globals.load(new JseBaseLib());
        globals.load(new PackageLib());
        globals.load(new Bit32Lib());
        globals.load(new TableLib());
        globals.load(new StringLib());
        globals.load(new CoroutineLib());
        globals.load(new JseMathLib());
        if (settings.sandbox()) {
            globals.load(new Sandbox.ReadOnlyIo());
            globals.load(new Sandbox.HarmlessOs());
        } else {
            globals.load(new JseIoLib());
            globals.load(new JseOsLib());
            globals.load(new LuajavaLib());
        }
        LoadState.install(globals);
        LuaC.install(globals);
        if (settings.sandbox()) {
            globals.undumper = new Sandbox.TextOnlyUndumper();
            Sandbox.luaModulesOnly(globals.get("package"));
        }
        if (settings.compile()) {
            globals.loader = new CompilingLoader(settings.compiledChunks());
        }
        LuaValue packageTable = globals.get("package");
        packageTable.set("path", packagePath(scriptDirectory, settings.modulePath(), System.getenv("LUA_PATH")));
        installAgentLibraries(globals);
        return globals;
    }

    /** What handlers get beyond Lua's standard library (docs/LUA.md). */
    private static void installAgentLibraries(Globals globals) {
        globals.set("json", new JsonLibrary().table());
        globals.set("crypto", new CryptoLibrary().table());
        globals.set("base64", new Base64Library().table());
        globals.set("re", new RegexLibrary().table());
        globals.set("time", new TimeLibrary().table());
        globals.set("net", new NetLibrary().table());
        new Sleep().install(globals.get("os").checktable());
        Iconv iconv = new Iconv();
        iconv.install(globals.get("string").checktable());
        // s:iconv(...) goes through the metatable all strings share, which luaj sets once per JVM, from
        // the first globals made: in a worker that is these, elsewhere (tests, the training run) maybe not.
        LuaValue shared = LuaString.s_metatable == null ? LuaValue.NIL : LuaString.s_metatable.get(LuaValue.INDEX);
        if (shared.istable() && shared != globals.get("string")) {
            iconv.install(shared.checktable());
        }
    }

    /**
     * Where {@code require} looks, in order: next to the script (the original agent only searched
     * the working directory, so its examples had to be run from theirs), each {@code --lua-path}
     * entry, then {@code LUA_PATH} as Lua reads it (";;" in it stands for the default path), or the
     * default path when it is not set.
     *
     * @param scriptDirectory null when the script has no parent directory
     * @param modulePath      directories (searched for NAME.lua and NAME/init.lua) or templates with '?'
     * @param luaPathVariable the value of LUA_PATH, or null
     */
    static String packagePath(Path scriptDirectory, List<String> modulePath, String luaPathVariable) {
        List<String> templates = new ArrayList<>();
        if (scriptDirectory != null) {
            addDirectory(templates, scriptDirectory.toString());
        }
        for (String entry : modulePath) {
            for (String part : entry.split(";")) {
                if (part.isEmpty()) {
                    continue;
                }
                if (part.indexOf('?') >= 0) {
                    templates.add(part);
                } else {
                    addDirectory(templates, part);
                }
            }
        }
        if (luaPathVariable == null) {
            templates.add(LUAJ_DEFAULT_PATH);
        } else {
            String expanded = luaPathVariable.replace(";;", ";" + LUAJ_DEFAULT_PATH + ";");
            for (String part : expanded.split(";")) {
                if (!part.isEmpty()) {
                    templates.add(part);
                }
            }
        }
        return String.join(";", templates);
    }

    private static void addDirectory(List<String> templates, String directory) {
        String base = directory.endsWith("/") ? directory.substring(0, directory.length() - 1) : directory;
        templates.add(base + "/?.lua");
        templates.add(base + "/?/init.lua");
    }
}
