package dev.spoa.worker.lua;

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
 */
public record LuaSettings(int workerId, int workers, List<String> modulePath, boolean sandbox, boolean compile) {

    public LuaSettings {
        if (workers < 1 || workerId < 0 || workerId >= workers) {
            throw new IllegalArgumentException("worker " + workerId + " of " + workers);
        }
        modulePath = List.copyOf(modulePath);
    }

    /** One worker, nothing but the script's directory to search, compiled, no sandbox. */
    public static LuaSettings defaults() {
        return new LuaSettings(0, 1, List.of(), false, true);
    }

    public LuaSettings withSandbox(boolean on) {
        return new LuaSettings(workerId, workers, modulePath, on, compile);
    }

    public LuaSettings withCompile(boolean on) {
        return new LuaSettings(workerId, workers, modulePath, sandbox, on);
    }

    public LuaSettings withModulePath(List<String> path) {
        return new LuaSettings(workerId, workers, path, sandbox, compile);
    }
}
