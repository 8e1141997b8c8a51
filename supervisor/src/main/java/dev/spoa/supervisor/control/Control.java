package dev.spoa.supervisor.control;

import dev.spoa.ipc.RunDir;
import dev.spoa.supervisor.system.Signals;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code stop}, {@code reload} and {@code status}: what an operator runs against an agent started
 * with {@code --pid-file} (under systemd, {@code systemctl stop/reload/status} does the same).
 */
public final class Control {
    private Control() {
    }

    /** SIGTERM, then waits until the agent has drained and exited. */
    public static void stop(Path pidFile, Duration wait, PrintStream out) throws ControlException {
        long pid = runningPid(pidFile);
        signal(pid, Signals.TERM);
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        long giveUp = System.nanoTime() + wait.toNanos();
        while (process.isPresent() && process.get().isAlive()) {
            if (System.nanoTime() - giveUp > 0) {
                throw new ControlException("the agent (pid " + pid + ") is still running " + wait.toSeconds() + " s after SIGTERM");
            }
            sleep();
        }
        out.println("stopped the agent (pid " + pid + ")");
    }

    /** SIGHUP: the agent checks the script and replaces its workers; its log says how that went. */
    public static void reload(Path pidFile, PrintStream out) throws ControlException {
        long pid = runningPid(pidFile);
        signal(pid, Signals.HUP);
        out.println("asked the agent (pid " + pid + ") to reload its script; its log says whether the new one was accepted");
    }

    /** Prints the report the agent writes into its run dir every five seconds, and how old it is. */
    public static void status(Path pidFile, Path runDirParentOrNull, PrintStream out) throws ControlException {
        long pid = runningPid(pidFile);
        Path runDir = RunDir.ownedBy(runDirParentOrNull, pid).orElseThrow(() -> new ControlException("the agent (pid " + pid
                + ") is running, but its run dir was not found" + (runDirParentOrNull == null ? " (give --run-dir as at start)"
                : " under " + runDirParentOrNull)));
        Path report = StatusReport.file(runDir);
        try {
            Duration age = Duration.between(Files.getLastModifiedTime(report).toInstant(), Instant.now());
            out.print(Files.readString(report, StandardCharsets.UTF_8));
            if (age.compareTo(StatusReport.STALE_AFTER) > 0) {
                out.println("WARNING: this report is " + age.toSeconds() + " s old: the agent may be stuck");
            }
        } catch (NoSuchFileException e) {
            throw new ControlException("the agent (pid " + pid + ") has not written its status yet; try again in a second");
        } catch (IOException e) {
            throw new ControlException("cannot read " + report + ": " + e.getMessage());
        }
    }

    private static long runningPid(Path pidFile) throws ControlException {
        long pid = PidFile.read(pidFile);
        if (ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty()) {
            throw new ControlException("the agent is not running: no process " + pid + " (from " + pidFile + ")");
        }
        return pid;
    }

    private static void signal(long pid, int signal) throws ControlException {
        try {
            if (!Signals.send(pid, signal)) {
                throw new ControlException("the agent is not running: no process " + pid);
            }
        } catch (SecurityException e) {
            throw new ControlException(e.getMessage());
        }
    }

    private static void sleep() throws ControlException {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ControlException("interrupted");
        }
    }
}
