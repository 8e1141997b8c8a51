package dev.spoa.ipc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM on this one's class path, with the module/export flags Chronicle needs (taken from
 * this JVM's own command line, which Surefire or the benchmark's caller set from the parent POM).
 * Its stderr goes to ours; its stdout is read line by line for protocol lines such as READY.
 */
final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final BufferedReader stdout;

    private ChildJvm(Process process) {
        this.process = process;
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static ChildJvm start(Class<?> main, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (arg.startsWith("--add-opens") || arg.startsWith("--add-exports")
                    || arg.startsWith("--enable-native-access") || arg.startsWith("--sun-misc-unsafe-memory-access")) {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        return new ChildJvm(process);
    }

    long pid() {
        return process.pid();
    }

    /** Waits (seconds: the machine sometimes freezes) for the child to print {@code expected}. */
    void awaitLine(String expected, long timeout, TimeUnit unit) throws Exception {
        CompletableFuture<Void> seen = CompletableFuture.runAsync(() -> {
            try {
                String line;
                while ((line = stdout.readLine()) != null) {
                    if (line.equals(expected)) {
                        return;
                    }
                }
                throw new IllegalStateException("child exited before printing " + expected);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        seen.get(timeout, unit);
    }

    int waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        if (!process.waitFor(timeout, unit)) {
            throw new IllegalStateException("child " + pid() + " still running after " + timeout + " " + unit);
        }
        return process.exitValue();
    }

    /** SIGKILL, as the supervisor does to a stuck worker; waits (up to 30 s) until it is gone. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
