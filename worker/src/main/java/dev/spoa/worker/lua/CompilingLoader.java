package dev.spoa.worker.lua;

import dev.spoa.worker.lua.jc.LuaJcCompiler;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.tinylog.Logger;

/**
 * Turns a compiled chunk into a function: into JVM classes with LuaJC (luaj's Lua-to-bytecode
 * compiler, which needs BCEL), so that the JIT compiles handlers like Java code (3 to 8 times
 * faster per call than luaj's interpreter, see docs/LUA.md); where LuaJC fails on a chunk, into
 * luaj's interpreter, with a warning. Used for the script and for every module it requires (and
 * what loadfile and dofile read); text given to {@code load} is interpreted.
 *
 * <p>Compiled code loses what luaj's interpreter puts in front of an error's message (the
 * "file:line" of the Lua code that raised it), but its classes carry line numbers: {@link
 * #position} finds the innermost Lua frame in a Java stack trace. Each chunk gets a class name of
 * ours, made from its file's name and unique in this worker, which maps back to its path (LuaJC's
 * own names, derived from the whole chunk name, mangle the dots of directory names).
 *
 * <p>The compiler lives in a class loader of its own ({@link LuaJcCompiler}), which {@link
 * #release} lets go once the script is loaded, and what one worker compiled the others take from
 * the run dir (or the supervisor's cache dir, see {@code CompiledChunks}).
 */
final class CompilingLoader implements Globals.Loader {
    /** Generated class name (before any '$') → the chunk's file, as error messages show it. */
    private final Map<String, String> chunks = new HashMap<>();
    private final LuaJcCompiler compiler;

    /** {@code compiledChunks}: where workers share what they compiled (see {@link LuaJcCompiler}); null: nowhere. */
    CompilingLoader(Path compiledChunks) {
        this.compiler = new LuaJcCompiler(compiledChunks);
    }

    CompilingLoader() {
        this(null);
    }

    @Override
    public LuaFunction load(Prototype prototype, String chunkname, LuaValue env) {
        if (!chunkname.startsWith("@")) {
            // Not a file but text a handler passes to load(), possibly on every call: generating classes
            // for it would cost milliseconds and metaspace each time, and a name in the map forever.
            return new LuaClosure(prototype, env);
        }
        String file = chunkname.substring(1);
        String className = className(file, chunks.size());
        try {
            LuaFunction function = compiler.load(prototype, className, env);
            chunks.put(className, file);
            return function;
        } catch (Exception | LinkageError | StackOverflowError error) {
            // LuaJC is not maintained any more; what it cannot translate still runs, more slowly.
            Logger.warn("{}: interpreted (LuaJC could not compile it: {})", file, error.toString());
            return new LuaClosure(prototype, env);
        }
    }

    /**
     * The script is loaded (its top level and its on_init functions ran): the compiler's classes
     * may go. A module loaded later is compiled all the same, by the compiler loaded again.
     *
     * @return whether the compiler had been loaded (false when every chunk came compiled already)
     */
    boolean release() {
        return compiler.release();
    }

    /** "file:line" of the innermost compiled Lua frame in the error's stack trace, or null if there is none. */
    String position(Throwable error) {
        for (StackTraceElement frame : error.getStackTrace()) {
            String name = frame.getClassName();
            int dollar = name.indexOf('$');
            String file = chunks.get(dollar < 0 ? name : name.substring(0, dollar));
            if (file != null && frame.getLineNumber() > 0) {
                return file + ":" + frame.getLineNumber();
            }
        }
        return null;
    }

    /** A Java identifier from the file's base name, readable in profiles ("ip_reputation_0$handler"), unique per chunk. */
    private static String className(String file, int index) {
        String base = file.substring(file.lastIndexOf('/') + 1);
        if (base.endsWith(".lua")) {
            base = base.substring(0, base.length() - 4);
        }
        StringBuilder name = new StringBuilder(base.length() + 8);
        for (int i = 0; i < base.length(); i++) {
            char c = base.charAt(i);
            name.append((i == 0 ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c)) && c != '$' ? c : '_');
        }
        if (name.length() == 0 || !Character.isJavaIdentifierStart(name.charAt(0))) {
            name.insert(0, "lua_");
        }
        return name.append('_').append(index).toString();
    }
}
