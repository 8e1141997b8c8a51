package dev.spoa.supervisor.control;

import dev.spoa.supervisor.metrics.ErrorReason;
import dev.spoa.supervisor.metrics.MetricsSnapshot;
import dev.spoa.supervisor.workers.WorkerPool;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * What {@code spoa-supervisor status} prints: the agent writes it into its run dir every second
 * (a file rather than a socket: nothing to serve, nothing to secure, and it can be read as any user
 * allowed into the run dir), and the command prints the latest with its age.
 */
public final class StatusReport implements AutoCloseable {
    static final String FILE = "status";
    private static final Duration EVERY = Duration.ofSeconds(1);

    private final Path file;
    private final Supplier<MetricsSnapshot> metrics;
    private final Supplier<List<WorkerPool.Running>> workers;
    private final int slots;
    private final long startedNanos = System.nanoTime();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "spoa-status");
        thread.setDaemon(true);
        return thread;
    });

    private StatusReport(Path runDir, Supplier<MetricsSnapshot> metrics, Supplier<List<WorkerPool.Running>> workers, int slots) {
        this.file = file(runDir);
        this.metrics = metrics;
        this.workers = workers;
        this.slots = slots;
    }

    /** Writes the report now and every second until closed. */
    public static StatusReport start(Path runDir, Supplier<MetricsSnapshot> metrics, Supplier<List<WorkerPool.Running>> workers,
            int slots) {
        StatusReport report = new StatusReport(runDir, metrics, workers, slots);
        report.writer.scheduleWithFixedDelay(report::write, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return report;
    }

    private void write() {
        try {
            AtomicFile.write(file, render(System.nanoTime()));
        } catch (IOException | RuntimeException e) {
            Logger.debug("cannot write the status report {}: {}", file, e.getMessage());
        }
    }

    String render(long now) {
        MetricsSnapshot snapshot = metrics.get();
        List<WorkerPool.Running> running = workers.get();
        StringBuilder out = new StringBuilder();
        out.append(String.format("spoa pid %d, up %s%n", ProcessHandle.current().pid(), age(now - startedNanos)));
        out.append(String.format("workers: %d of %d ready, %d restarts%n", snapshot.workersReady(), slots, snapshot.workerRestarts()));
        out.append(String.format("  %-6s %-8s %-10s %-9s %-8s %-11s %s%n", "worker", "pid", "generation", "up", "restarts", "jobs served",
                "jobs held"));
        for (WorkerPool.Running worker : running) {
            MetricsSnapshot.Worker counts = snapshot.workers().stream().filter(w -> w.index() == worker.worker()).findFirst()
                    .orElse(new MetricsSnapshot.Worker(worker.worker(), 0, 0, 0));
            out.append(String.format("  %-6d %-8d %-10d %-9s %-8d %-11d %d%s%n", worker.worker(), worker.pid(), worker.generation(),
                    age(now - worker.startedNanos()), counts.restarts(), counts.results(), counts.queueDepth(),
                    worker.ready() ? "" : " (starting)"));
        }
        out.append(String.format("connections: %d open, %d accepted%n", snapshot.connectionsOpen(), snapshot.connectionsAccepted()));
        out.append(String.format("jobs in flight: %d%n", snapshot.jobsInFlight()));
        StringJoiner errors = new StringJoiner(", ");
        for (Map.Entry<ErrorReason, Long> entry : snapshot.errorAcks().entrySet()) {
            errors.add(entry.getKey().label() + " " + entry.getValue());
        }
        out.append(String.format("NOTIFYs: %d received, %d answered, %d of them with the error variable (%s)%n", snapshot.notifies(),
                snapshot.acks(), snapshot.errors(), errors));
        out.append(String.format("as of %s%n", Instant.now()));
        return out.toString();
    }

    private static String age(long nanos) {
        long seconds = TimeUnit.NANOSECONDS.toSeconds(nanos);
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return seconds / 60 + "m" + seconds % 60 + "s";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + "h" + seconds % 3600 / 60 + "m";
        }
        return seconds / 86_400 + "d" + seconds % 86_400 / 3600 + "h";
    }

    /** Where a running agent's report is: its run dir's {@value #FILE}. */
    static Path file(Path runDir) {
        return runDir.resolve(FILE);
    }

    @Override
    public void close() {
        writer.shutdownNow();
    }
}
