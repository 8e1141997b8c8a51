package dev.spoa.supervisor.workers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * A class-data-sharing archive of the classes a worker loads, built in the background once per
 * agent start, so that workers started afterwards (replacements above all) map those ~3,000
 * classes already parsed and verified instead of loading them from the jars. Measured on this
 * 2-core machine (bin/spoa-bench-restart): SIGKILL to the replacement's READY ~0.75 s without it,
 * ~0.45 s with it.
 *
 * <p>Three JVMs, one after the other: a training run ({@code WorkerTraining}, a worker's start on
 * throwaway queues) writes the names of the classes it loads; {@code -Xshare:dump} turns them into
 * a static archive, which unlike a dynamic one (-XX:ArchiveClassesAtExit) also takes luaj's
 * classes (Java 1.3 class files); a last JVM checks that the archive maps with -Xshare:on. About
 * 1.2 s, 1.9 s and 0.1 s of CPU (niced when workers do not wait for it).
 *
 * <p>With a cache dir ({@link ArchiveCache}) the archive (~24 MB) is kept there for the next start
 * with the same jars, JDK and worker flags, which only checks it (~0.1 s of CPU); the first workers
 * wait for it (see {@link WorkerPool#start}). Without one it lives in the run dir and goes with it.
 *
 * <p>Any failure is one WARN line, and workers start as they would have without it. {@code
 * -Dspoa.cds=false} on the front's command line (SPOA_JAVA_OPTS) builds none: to compare, or should
 * the archive ever get in the way.
 */
final class CdsArchive implements AutoCloseable {
    static final String SWITCH = "spoa.cds";
    /** A step of the build may take this long: the machine may freeze for seconds, and a dump runs ~2 s. */
    private static final Duration STEP_TIMEOUT = Duration.ofMinutes(2);
    /**
     * Without a cache the build runs niced: it can wait, while the first workers starting next to it
     * (five JVMs on two cores here) and the front cannot. With one, the first workers wait for it.
     */
    private static final List<String> NICE = List.of("/usr/bin/nice", "-n", "10");

    private final WorkerCommand command;
    private final Path script;
    /** In the run dir: the training run's files, the build's log, and the archive when there is no cache. */
    private final Path dir;
    private final Optional<ArchiveCache> cache;
    private final CompletableFuture<Path> result = new CompletableFuture<>();
    private final Object lock = new Object();
    private Process running; // under lock
    private boolean closed; // under lock
    /** The archive was one kept in the cache, not built; the build's thread only. */
    private boolean kept;

    private CdsArchive(WorkerCommand command, Path runDir, Path script, Optional<ArchiveCache> cache) {
        this.command = command;
        this.script = script;
        this.dir = runDir.resolve("cds");
        this.cache = cache;
    }

    /**
     * Starts building the archive for workers of {@code command} on a thread of its own.
     *
     * @param script the script the training run loads (its top level runs, as in every worker; its
     *               handlers are never called)
     * @param cache  where the archive is kept between starts, if anywhere: one kept there is only checked
     */
    static CdsArchive build(WorkerCommand command, Path runDir, Path script, Optional<ArchiveCache> cache) {
        CdsArchive archive = new CdsArchive(command, runDir, script, cache);
        if (!enabled()) {
            Logger.info("workers start without a class-data-sharing archive (-D{}=false)", SWITCH);
            archive.result.cancel(false);
            return archive;
        }
        // Long-lived for as long as the build: the training JVM dies with the thread that started it (PR_SET_PDEATHSIG).
        Thread thread = new Thread(archive::run, "spoa-cds");
        thread.setDaemon(true); // a build still running must not hold the JVM at exit
        thread.start();
        return archive;
    }

    /** False when the front was started with -Dspoa.cds=false: no archive, none kept. */
    static boolean enabled() {
        return Boolean.parseBoolean(System.getProperty(SWITCH, "true"));
    }

    /** Completes with the archive's path once it is built and checked; exceptionally if that failed (logged already) or is off. */
    CompletableFuture<Path> result() {
        return result;
    }

    /** Stops a build still running (kills its current JVM); the archive, if built, stays until the run dir goes. */
    @Override
    public void close() {
        synchronized (lock) {
            closed = true;
            if (running != null) {
                running.destroyForcibly();
            }
        }
    }

    private void run() {
        long started = System.nanoTime();
        Path log = dir.resolve("build.log");
        Path archive;
        try {
            Files.createDirectories(dir);
            if (cache.isEmpty()) {
                archive = dir.resolve("worker.jsa");
                build(archive, log);
            } else {
                archive = buildOrKeep(cache.get(), log);
            }
            delete(List.of(log));
        } catch (BuildFailure | IOException | RuntimeException e) {
            synchronized (lock) {
                if (!closed) {
                    Logger.warn("workers start without a class-data-sharing archive: {}",
                            e instanceof BuildFailure ? e.getMessage() : e.toString()); // an IOException's message may be a bare path
                }
            }
            result.completeExceptionally(e); // the first workers wait for this, whatever went wrong
            return;
        }
        Logger.info("workers start with the class-data-sharing archive {} from now on ({} in {} ms)", archive,
                kept ? "kept from an earlier start, checked" : "built", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        result.complete(archive);
    }

    /** The cache's archive for these workers: the one kept there if it still maps, else one built now and put there. */
    private Path buildOrKeep(ArchiveCache cache, Path log) throws BuildFailure, IOException {
        String key = cache.key();
        Path archive = cache.archive(key);
        if (Files.isRegularFile(archive)) {
            try {
                step("the check of the kept archive", command.forArchiveCheck(archive), log);
                cache.used(archive);
                cache.prune(archive);
                kept = true;
                return archive;
            } catch (BuildFailure e) {
                if (e.stopping) {
                    throw e;
                }
                Logger.warn("the kept class-data-sharing archive {} does not serve these workers ({}): building it again; the "
                        + "first workers wait for it, a few seconds", archive, e.getMessage());
            }
        } else {
            Logger.info("building the workers' class-data-sharing archive into {} (the first start with these jars, JDK and worker "
                    + "flags); the first workers wait for it, a few seconds", cache.dir());
        }
        Path part = cache.part(key);
        try {
            build(part, log);
            // Atomic: another agent starting now maps either the old file or the new one, never half of one.
            Files.move(part, archive, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(part);
        }
        cache.prune(archive);
        return archive;
    }

    /** The training run, the dump into {@code archive} and the check; the training's files are removed after. */
    private void build(Path archive, Path log) throws BuildFailure, IOException {
        Path classList = dir.resolve("worker.classlist");
        Path trainingDir = dir.resolve("training");
        Files.createDirectories(trainingDir);
        step("the training run", command.forTraining(script, trainingDir, classList), log);
        // ISO-8859-1 passes every byte through: the JVM writes the list in modified UTF-8.
        Files.write(classList, listedCallersOnly(Files.readAllLines(classList, StandardCharsets.ISO_8859_1)),
                StandardCharsets.ISO_8859_1);
        step("the dump", command.forDump(classList, archive), log);
        step("the check", command.forArchiveCheck(archive), log);
        delete(List.of(trainingDir, classList));
    }

    /**
     * The class list without the lambdas of classes it does not list. The JVM records a lambda
     * ({@code @lambda-proxy CALLER ...}) whatever loader defined its caller, and the dump then loads
     * that caller with the workers' own loader to archive it: LuaJC's and BCEL's classes, whose
     * loader a worker drops once its script is compiled (dev.spoa.worker.lua.jc), would come back
     * into every worker with the archive, which is resident as a whole.
     */
    static List<String> listedCallersOnly(List<String> classList) {
        Set<String> listed = new HashSet<>();
        for (String line : classList) {
            if (!line.isEmpty() && line.charAt(0) != '@' && line.charAt(0) != '#') {
                listed.add(line.split(" ", 2)[0]);
            }
        }
        List<String> kept = new ArrayList<>(classList.size());
        for (String line : classList) {
            String[] words = line.split(" ", 3);
            if (!words[0].equals("@lambda-proxy") || words.length > 1 && listed.contains(words[1])) {
                kept.add(line);
            }
        }
        return kept;
    }

    /** Runs one JVM of the build to its end, its output appended to {@code log}. */
    private void step(String name, List<String> commandLine, Path log) throws BuildFailure, IOException {
        Process process;
        synchronized (lock) {
            if (closed) {
                throw new BuildFailure("the agent is stopping", true);
            }
            List<String> niced = new ArrayList<>();
            if (cache.isEmpty() && Files.isExecutable(Path.of(NICE.get(0)))) {
                niced.addAll(NICE);
            }
            niced.addAll(commandLine);
            // In the run dir: a JVM that crashes (the check, on a kept archive cut short) leaves its hs_err file there.
            process = new ProcessBuilder(niced).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            running = process;
        }
        boolean ended;
        try {
            ended = process.waitFor(STEP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new BuildFailure(name + " was interrupted", true);
        }
        if (!ended) {
            process.destroyForcibly();
            throw new BuildFailure(name + " took more than " + STEP_TIMEOUT.toSeconds() + " s", false);
        }
        if (process.exitValue() != 0) {
            synchronized (lock) {
                if (closed) { // killed by close()
                    throw new BuildFailure("the agent is stopping", true);
                }
            }
            throw new BuildFailure(name + " exited with status " + process.exitValue() + lastLine(log), false);
        }
    }

    /** The log's last line that is not blank nor a stack frame: it says what went wrong more often than not. */
    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String line = lines.get(i);
                if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                    return ": " + line.strip();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // The status alone will do.
        }
        return "";
    }

    private static void delete(List<Path> paths) throws IOException {
        for (Path path : paths) {
            if (Files.exists(path)) {
                try (var tree = Files.walk(path)) {
                    for (Path each : tree.sorted(Comparator.reverseOrder()).toList()) { // children first
                        Files.deleteIfExists(each);
                    }
                }
            }
        }
    }

    /** A step that did not succeed; the message says which and why. */
    private static final class BuildFailure extends Exception {
        /** The agent is stopping: not a reason to build a kept archive again. */
        final boolean stopping;

        BuildFailure(String message, boolean stopping) {
            super(message, null, false, false);
            this.stopping = stopping;
        }
    }
}
