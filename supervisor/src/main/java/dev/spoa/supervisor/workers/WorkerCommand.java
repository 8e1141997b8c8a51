package dev.spoa.supervisor.workers;

import dev.spoa.supervisor.AgentConfig;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a worker JVM: the front's own java and class path, a small heap with the
 * serial collector, and the flags Chronicle needs, taken from the front's own command line so that
 * they are written in one place (bin/spoa-supervisor).
 */
final class WorkerCommand {
    static final String MAIN_CLASS = "dev.spoa.worker.WorkerMain";

    private final AgentConfig config;
    private final Path runDir;
    private final List<String> jvmFlags;

    WorkerCommand(AgentConfig config, Path runDir) {
        this.config = config;
        this.runDir = runDir;
        // -XX:-UsePerfData: no perf counters sampled every 50 ms (idle CPU) nor files in /tmp/hsperfdata_*.
        List<String> flags = new ArrayList<>(List.of("-Xms16m", "-Xmx128m", "-XX:+UseSerialGC", "-XX:-UsePerfData"));
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-opens") || argument.startsWith("--add-exports")
                    || argument.startsWith("--enable-native-access") || argument.startsWith("--sun-misc-unsafe-memory-access")
                    || argument.startsWith("-Dchronicle.") || argument.startsWith("-Ddisable.perf.info")) {
                flags.add(argument);
            }
        }
        this.jvmFlags = List.copyOf(flags);
    }

    List<String> forWorker(int worker, long generation) {
        return forWorker(worker, generation, config.script());
    }

    /** {@code script} is the copy of the operator's script the worker runs (see {@link ScriptVersions}). */
    List<String> forWorker(int worker, long generation, Path script) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(MAIN_CLASS);
        command.addAll(List.of(
                "--worker", Integer.toString(worker),
                "--generation", Long.toString(generation),
                "--run-dir", runDir.toString(),
                "--script", script.toAbsolutePath().toString(),
                "--script-origin", config.script().toAbsolutePath().toString(),
                "--error-var", config.errorVariable().name(),
                "--parent-pid", Long.toString(ProcessHandle.current().pid())));
        if (config.debug()) {
            command.add("--debug");
        }
        return command;
    }
}
