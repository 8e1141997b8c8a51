package dev.spoa.worker.lua;

import java.nio.file.Path;
import java.util.List;

/**
 * How a worker's Lua runs, the same in every worker and in the front's check of the script.
 *
 * @param workerId   this worker's index (0 .. workers-1), what {@code spoa.worker_id()} returns;
 *                   0 where the script is only checked
 * @param workers    how many workers the agent runs, what {@code spoa.workers()} returns
 * @param modulePath where {@code require} looks besides the script's directory: directories, or
 *                   Lua path templates with '?' ({@code /usr/share/lua/?.lua}); {@code LUA_PATH}
 *                   in the environment comes after these
 * @param sandbox    no programs, no file writes, no Java, no bytecode (see {@link Sandbox})
 * @param compile    compile the script to JVM bytecode (LuaJC) where that works, else interpret
 * @param compiledChunks where the workers of one agent share the classes LuaJC made (a directory of
 *                   the run dir), or null for nowhere: each compiles for itself
 */
public record LuaSettings(int workerId, int workers, List<String> modulePath, boolean sandbox, boolean compile,
        Path compiledChunks) {

    public LuaSettings {
        if (workers < 1 || workerId < 0 || workerId >= workers) {
            throw new IllegalArgumentException("worker " + workerId + " of " + workers);
        }
        modulePath = List.copyOf(modulePath);
    }

    /** Compiled chunks shared with no one. */
    public LuaSettings(int workerId, int workers, List<String> modulePath, boolean sandbox, boolean compile) {
        this(workerId, workers, modulePath, sandbox, compile, null);
    }

    /** One worker, nothing but the script's directory to search, compiled, no sandbox. */
    public static LuaSettings defaults() {
        return new LuaSettings(0, 1, List.of(), false, true);
    }

    public LuaSettings withSandbox(boolean on) {
        return new LuaSettings(workerId, workers, modulePath, on, compile, compiledChunks);
    }

    public LuaSettings withCompile(boolean on) {
        return new LuaSettings(workerId, workers, modulePath, sandbox, on, compiledChunks);
    }

    public LuaSettings withModulePath(List<String> path) {
        return new LuaSettings(workerId, workers, path, sandbox, compile, compiledChunks);
    }

}
