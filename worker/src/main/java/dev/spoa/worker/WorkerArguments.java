package dev.spoa.worker;

import dev.spoa.worker.lua.LuaSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the supervisor tells a worker on its command line. Not an operator's interface: a wrong
 * argument is a bug in the supervisor, reported as such.
 */
record WorkerArguments(int worker, long generation, Path runDir, Path script, Path scriptOrigin, String errorVariable, long parentPid,
        boolean debug, LuaSettings lua) {

    private static final Set<String> SWITCHES = Set.of("--debug", "--lua-sandbox", "--lua-interpreter");
    /**
     * The run dir's directory of chunks compiled by one worker for the others (LuaJcCompiler), unless
     * {@code --compiled-chunks} names another (the supervisor's cache dir, kept between starts).
     */
    static final String COMPILED_CHUNKS = "luajc";

    static WorkerArguments parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        Set<String> switches = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            if (SWITCHES.contains(args[i])) {
                switches.add(args[i]);
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                values.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected worker argument: " + args[i]);
            }
        }
        int worker = Integer.parseInt(required(values, "--worker"));
        String luaPath = values.getOrDefault("--lua-path", "");
        Path runDir = Path.of(required(values, "--run-dir"));
        LuaSettings lua = new LuaSettings(worker, Integer.parseInt(required(values, "--workers")),
                luaPath.isEmpty() ? List.of() : Arrays.asList(luaPath.split(";")), switches.contains("--lua-sandbox"),
                !switches.contains("--lua-interpreter"),
                values.containsKey("--compiled-chunks") ? Path.of(values.get("--compiled-chunks")) : runDir.resolve(COMPILED_CHUNKS));
        return new WorkerArguments(
                worker,
                Long.parseLong(required(values, "--generation")),
                runDir,
                Path.of(required(values, "--script")),
                Path.of(values.getOrDefault("--script-origin", required(values, "--script"))),
                values.getOrDefault("--error-var", ErrorVariable.DEFAULT_NAME),
                Long.parseLong(required(values, "--parent-pid")),
                switches.contains("--debug"),
                lua);
    }

    private static String required(Map<String, String> values, String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("worker argument " + name + " is missing");
        }
        return value;
    }
}
