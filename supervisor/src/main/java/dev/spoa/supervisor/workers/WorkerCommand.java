package dev.spoa.supervisor.workers;

import dev.spoa.supervisor.AgentConfig;
import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * The command line of a worker JVM: the front's own java and class path, a small heap with the
 * serial collector, and the flags Chronicle needs, taken from the front's own command line so that
 * they are written in one place (bin/spoa-supervisor); once {@link CdsArchive} has built it, the
 * class-data-sharing archive. Also the command lines of the JVMs that build that archive.
 */
final class WorkerCommand {
    static final String MAIN_CLASS = "dev.spoa.worker.WorkerMain";
    static final String TRAINING_CLASS = "dev.spoa.worker.WorkerTraining";
    /** Where JNA looks for system libraries; it runs {@code ldconfig -p} to find out unless this is set. */
    private static final String JNA_LIBRARY_PATH = "jna.platform.library.path";

    private final AgentConfig config;
    private final Path runDir;
    private final String classPath;
    private final List<String> jvmFlags;
    /** The class-data-sharing archive workers start with, once {@link CdsArchive} has built one. */
    private volatile Path archive;
    /** Where workers share what LuaJC made of the script's chunks; null: their run dir's (see WorkerArguments). */
    private volatile Path compiledChunks;

    WorkerCommand(AgentConfig config, Path runDir) {
        this(config, runDir, System.getProperty("java.class.path"));
    }

    /** {@code classPath}: the workers' class path; jars only, if they are to use an archive. */
    WorkerCommand(AgentConfig config, Path runDir, String classPath) {
        this.config = config;
        this.runDir = runDir;
        this.classPath = classPath;
        // -XX:-UsePerfData: no perf counters sampled every 50 ms (idle CPU) nor files in /tmp/hsperfdata_*.
        // -Xmn: what a job allocates (~530 bytes for the bench's handler) dies young; 2 MB at the
        // default heap instead of the 5 MB the JVM picks is 3 MB less RSS per worker for a
        // collection every ~3,000 jobs: 0.15 ms each back to back, 0.5-0.9 ms once the worker's
        // caches have gone cold (one every second or so, as at 5,000/s). A larger --worker-heap,
        // given for handlers that allocate more, gets a young generation in proportion.
        // Not -XX:-TieredCompilation, although C2 alone keeps 6 MB less code per worker: at low
        // rates a handler would run interpreted for minutes. Nor -XX:CompileThresholdScaling: 3 or 5
        // (fewer start-up methods compiled) kept only 4-9 MB less in all at rest, and warms the
        // handler later.
        // -XX:-SegmentedCodeCache: one code heap, not three each keeping partly used pages resident
        // (with MALLOC_ARENA_MAX=2, which they inherit from bin/spoa-supervisor: ~8 MB less in all).
        int youngMb = Math.max(2, config.lua().workerHeapMb() / 64);
        int initialMb = Math.max(16, 2 * youngMb); // the JVM warns when the young generation is not smaller than the initial heap
        List<String> flags = new ArrayList<>(List.of("-Xms" + initialMb + "m", "-Xmx" + config.lua().workerHeapMb() + "m",
                "-Xmn" + youngMb + "m", "-XX:+UseSerialGC", "-XX:-UsePerfData", "-XX:-SegmentedCodeCache"));
        // The front reads a worker's output as UTF-8 (WorkerOutput), whatever the locale (a service often has none).
        // JDK 17 reads the sun.* names, 19 and later the others.
        flags.addAll(List.of("-Dsun.stdout.encoding=UTF-8", "-Dsun.stderr.encoding=UTF-8", "-Dstdout.encoding=UTF-8",
                "-Dstderr.encoding=UTF-8"));
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-opens") || argument.startsWith("--add-exports")
                    || argument.startsWith("--enable-native-access") || argument.startsWith("--sun-misc-unsafe-memory-access")
                    || argument.startsWith("-Dchronicle.") || argument.startsWith("-Ddisable.perf.info")) {
                flags.add(argument);
            }
        }
        this.jvmFlags = List.copyOf(flags);
    }

    /** {@code script} is the copy of the operator's script the worker runs (see {@link ScriptVersions}). */
    List<String> forWorker(int worker, long generation, Path script) {
        return command(MAIN_CLASS, startupFlags(), worker, generation, runDir, script);
    }

    /**
     * Workers (and training runs) started from now on share compiled chunks in this directory rather
     * than in the run dir: one kept between starts, where even the first worker finds them.
     */
    void shareCompiledChunksIn(Path dir) {
        this.compiledChunks = dir;
    }

    /** Workers started from now on map this class-data-sharing archive (built by {@link CdsArchive}). */
    void useArchive(Path archive) {
        this.archive = archive;
    }

    /**
     * What an archive built for these workers depends on, as a short name for {@link ArchiveCache}:
     * the JVM (its java, its version), the workers' flags and class path, and the size and time of
     * every file on that class path. An archive serves only the JVM, class path and module options
     * it was dumped with (and the JVM refuses one whose jars changed); with a new key, a new archive
     * is built rather than one tried that will not map. The script is left out: it only decides
     * which of luaj's classes the training run loads, and a class the archive lacks loads from its jar.
     */
    String archiveKey() {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        List<String> parts = new ArrayList<>(List.of(java(), System.getProperty("java.vm.version"), classPath));
        parts.addAll(jvmFlags);
        for (String entry : classPath.split(File.pathSeparator)) {
            Path file = Path.of(entry);
            try {
                parts.add(entry + " " + Files.size(file) + " " + Files.getLastModifiedTime(file).toMillis());
            } catch (IOException e) {
                parts.add(entry + " missing"); // the JVM skips it too
            }
        }
        for (String part : parts) {
            digest.update(part.getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    /**
     * The training run ({@code WorkerTraining}): a worker's command line with another main class, a
     * throwaway run dir, and the JVM writing the names of the classes it loads to {@code classList}.
     * Same java, flags and class path as a worker: an archive only serves a JVM whose class path
     * and module options match those it was dumped with.
     */
    List<String> forTraining(Path script, Path trainingRunDir, Path classList) {
        return command(TRAINING_CLASS, List.of("-XX:DumpLoadedClassList=" + classList), 0, 0, trainingRunDir, script);
    }

    /** Dumps the classes named in {@code classList} into the archive {@code archive}, for the workers' class path and flags. */
    List<String> forDump(Path classList, Path archive) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmFlags);
        command.addAll(List.of("-Xshare:dump", "-XX:SharedClassListFile=" + classList, "-XX:SharedArchiveFile=" + archive,
                "-cp", classPath));
        return command;
    }

    /**
     * A JVM started as a worker is, with {@code archive} but -Xshare:on, that only prints its
     * version: it fails unless the archive maps and matches the class path. Workers run with
     * -Xshare:auto (the default), which silently starts without the archive rather than fail, so
     * only this tells whether they will have it.
     */
    List<String> forArchiveCheck(Path archive) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmFlags);
        command.addAll(List.of("-Xshare:on", "-XX:SharedArchiveFile=" + archive, "-cp", classPath, "-version"));
        return command;
    }

    /**
     * Flags that only make a worker start sooner: the archive once there is one, and the library
     * path JNA would otherwise work out by running ldconfig (a process started from a starting JVM:
     * ~20 ms here), taken from the front, whose JNA has done so already by the time replacements start.
     */
    private List<String> startupFlags() {
        List<String> flags = new ArrayList<>(2);
        Path current = archive;
        if (current != null) {
            flags.add("-XX:SharedArchiveFile=" + current);
        }
        String libraryPath = System.getProperty(JNA_LIBRARY_PATH);
        if (libraryPath != null) {
            flags.add("-D" + JNA_LIBRARY_PATH + "=" + libraryPath);
        }
        return flags;
    }

    private List<String> command(String mainClass, List<String> extraFlags, int worker, long generation, Path dir, Path script) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.addAll(jvmFlags);
        command.addAll(extraFlags);
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(List.of(
                "--worker", Integer.toString(worker),
                "--generation", Long.toString(generation),
                "--run-dir", dir.toString(),
                "--script", script.toAbsolutePath().toString(),
                "--script-origin", config.script().toAbsolutePath().toString(),
                "--error-var", config.errorVariable().name(),
                "--parent-pid", Long.toString(ProcessHandle.current().pid()),
                "--workers", Integer.toString(config.workers())));
        if (!config.lua().modulePath().isEmpty()) {
            command.addAll(List.of("--lua-path", String.join(";", config.lua().modulePath())));
        }
        if (config.lua().sandbox()) {
            command.add("--lua-sandbox");
        }
        if (!config.lua().compile()) {
            command.add("--lua-interpreter");
        }
        Path chunks = compiledChunks;
        if (chunks != null) {
            command.addAll(List.of("--compiled-chunks", chunks.toString()));
        }
        if (config.debug()) {
            command.add("--debug");
        }
        return command;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
