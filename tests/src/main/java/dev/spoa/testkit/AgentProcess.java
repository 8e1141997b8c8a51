package dev.spoa.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agent as an operator runs it: {@code bin/spoa-supervisor start ...} in its own process, its
 * output in a log file the test can read. Waits in seconds, not milliseconds: the machine is shared.
 */
public final class AgentProcess implements AutoCloseable {
    private static final Pattern READY = Pattern.compile("worker (\\d+) \\(generation \\d+\\) ready");

    private final Process process;
    private final Path log;

    private AgentProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** The repository's root: where bin/spoa-supervisor is. */
    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isExecutable(dir.resolve("bin/spoa-supervisor"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("bin/spoa-supervisor not found above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** Runs {@code bin/spoa-supervisor} with these arguments without waiting for anything. */
    public static AgentProcess launch(List<String> arguments) throws IOException {
        return launch(arguments, Map.of());
    }

    /** The same, with these variables added to the agent's environment (its workers inherit them). */
    public static AgentProcess launch(List<String> arguments, Map<String, String> environment) throws IOException {
        return launch(root(), arguments, environment);
    }

    /**
     * Runs {@code home/bin/spoa-supervisor} from {@code home} (an unpacked release, say), with these
     * variables set in its environment (or, when a value is null, removed from it).
     */
    public static AgentProcess launch(Path home, List<String> arguments, Map<String, String> environment) throws IOException {
        return launch(List.of(), home, arguments, environment);
    }

    /**
     * The same, {@code bin/spoa-supervisor} run through {@code wrapper}: {@code taskset -c 0} pins
     * the agent to CPU 0, and its workers inherit the affinity. The wrapper must exec the command
     * (taskset does), so that {@link #process()} is still the front.
     */
    public static AgentProcess launch(List<String> wrapper, Path home, List<String> arguments, Map<String, String> environment)
            throws IOException {
        List<String> command = new ArrayList<>(wrapper);
        command.add(home.resolve("bin/spoa-supervisor").toString());
        command.addAll(arguments);
        Path log = Files.createTempFile("spoa-agent-", ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        environment.forEach((name, value) -> {
            if (value == null) {
                builder.environment().remove(name);
            } else {
                builder.environment().put(name, value);
            }
        });
        return new AgentProcess(builder.start(), log);
    }

    /** Starts the agent and waits until {@code workers} workers have said they are ready. */
    public static AgentProcess start(List<String> arguments, int workers) throws IOException, InterruptedException {
        return start(arguments, workers, Map.of());
    }

    /** The same, with these variables added to the agent's environment (its workers inherit them). */
    public static AgentProcess start(List<String> arguments, int workers, Map<String, String> environment)
            throws IOException, InterruptedException {
        return start(List.of(), arguments, workers, environment);
    }

    /** The same, run through {@code wrapper} (see {@link #launch(List, Path, List, Map)}). */
    public static AgentProcess start(List<String> wrapper, List<String> arguments, int workers, Map<String, String> environment)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("start"));
        command.addAll(arguments);
        AgentProcess agent = launch(wrapper, root(), command, environment);
        try {
            agent.awaitReady(workers, Duration.ofSeconds(90));
            return agent;
        } catch (IOException | InterruptedException | RuntimeException e) {
            agent.close();
            throw e;
        }
    }

    public void awaitReady(int workers, Duration timeout) throws IOException, InterruptedException {
        long giveUp = System.nanoTime() + timeout.toNanos();
        while (readyWorkers() < workers) {
            if (!process.isAlive()) {
                throw new IOException("the agent exited with status " + process.exitValue() + ":\n" + log());
            }
            if (System.nanoTime() > giveUp) {
                throw new IOException("the agent was not ready within " + timeout.toSeconds() + " s:\n" + log());
            }
            Thread.sleep(100);
        }
    }

    /** How many distinct workers have said they are ready so far. */
    public long readyWorkers() {
        return readyWorkers(log());
    }

    /** How many distinct workers this log (the agent's output, or a log file it wrote) says are ready. */
    public static long readyWorkers(String log) {
        Matcher matcher = READY.matcher(log);
        return matcher.results().map(match -> match.group(1)).distinct().count();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Process process() {
        return process;
    }

    /** The worker JVMs (bin/spoa-supervisor execs the front, so they are its children). */
    public List<ProcessHandle> workers() {
        return process.children()
                .filter(child -> child.info().commandLine().map(line -> line.contains("dev.spoa.worker.WorkerMain")).orElse(false))
                .toList();
    }

    /** Sends a signal to the front ({@code "HUP"}, {@code "KILL"}...), as an operator's kill(1) would. */
    public void signal(String name) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IOException("kill -" + name + " " + process.pid() + " failed with status " + kill.exitValue());
        }
    }

    /** SIGTERM, and the exit status once the agent is gone. */
    public int stop(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    /** The exit status once the agent is gone; fails if it is still running after {@code timeout}. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("the agent did not stop within " + timeout.toSeconds() + " s:\n" + log());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    /** A TCP port nobody listens on right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
