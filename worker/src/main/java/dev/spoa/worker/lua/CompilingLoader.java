package dev.spoa.worker.lua;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.bcel.util.ClassPath;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.luajc.LuaJC;
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
 * #position} finds the innermost Lua frame in a Java stack trace. LuaJC derives class and file
 * names from the chunk name, mangling dots in directory names, so each chunk gets a class name of
 * ours, which maps back to its path.
 */
final class CompilingLoader implements Globals.Loader {
    /** Generated class name (before any '$') → the chunk's file, as error messages show it. */
    private final Map<String, String> chunks = new HashMap<>();
    private boolean classPathReleased;

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
            LuaFunction function = LuaJC.instance.load(prototype, className, env);
            chunks.put(className, file);
            releaseBcelClassPath();
            return function;
        } catch (Exception | LinkageError | StackOverflowError error) {
            // LuaJC is not maintained any more; what it cannot translate still runs, more slowly.
            Logger.warn("{}: interpreted (LuaJC could not compile it: {})", file, error.toString());
            return new LuaClosure(prototype, env);
        }
    }

    /**
     * Closes what BCEL opened, for the whole JVM, the first time LuaJC built a class: its
     * system class path, every jar of ours and, where the JDK has them, all ~70 of its jmod files,
     * whose zip directories stayed on the heap (3 MB of a worker's 9 MB of live objects). LuaJC
     * only generates classes, it never looks one up, so later compiles (modules a handler
     * requires) do without it; were that ever to change, a lookup would fail and the chunk would
     * be interpreted, with {@link #load}'s warning.
     */
    private void releaseBcelClassPath() {
        if (classPathReleased) {
            return;
        }
        classPathReleased = true;
        try {
            ClassPath.SYSTEM_CLASS_PATH.close();
        } catch (IOException | RuntimeException e) {
            // Only memory is at stake: the chunk compiled, and is returned whatever happens here.
            Logger.debug("closing BCEL's class path: {}", e.toString());
        }
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
