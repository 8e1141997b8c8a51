package dev.spoa.worker;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * What the supervisor tells a worker on its command line. Not an operator's interface: a wrong
 * argument is a bug in the supervisor, reported as such.
 */
record WorkerArguments(int worker, long generation, Path runDir, Path script, Path scriptOrigin, String errorVariable, long parentPid,
        boolean debug) {

    static WorkerArguments parse(String[] args) {
        Map<String, String> values = new HashMap<>();
        boolean debug = false;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--debug")) {
                debug = true;
            } else if (args[i].startsWith("--") && i + 1 < args.length) {
                values.put(args[i], args[++i]);
            } else {
                throw new IllegalArgumentException("unexpected worker argument: " + args[i]);
            }
        }
        return new WorkerArguments(
                Integer.parseInt(required(values, "--worker")),
                Long.parseLong(required(values, "--generation")),
                Path.of(required(values, "--run-dir")),
                Path.of(required(values, "--script")),
                Path.of(values.getOrDefault("--script-origin", required(values, "--script"))),
                values.getOrDefault("--error-var", ErrorVariable.DEFAULT_NAME),
                Long.parseLong(required(values, "--parent-pid")),
                debug);
    }

    private static String required(Map<String, String> values, String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("worker argument " + name + " is missing");
        }
        return value;
    }
}
