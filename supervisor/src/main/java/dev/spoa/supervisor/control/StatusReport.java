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
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * What {@code spoa-supervisor status} prints: the agent writes it into its run dir every five
 * seconds (a file rather than a socket: nothing to serve, nothing to secure, and it can be read as
 * any user allowed into the run dir), and the command prints the latest with its age.
 *
 * <p>Why not every second: a report is ~0.8 ms of code run too rarely to be compiled, on the core
 * the front shares with its workers (in the agent, where some of the JDK code it calls is compiled
 * for other callers; with {@code -Xint} the counters' snapshot took ~0.45 ms and the file's write
 * and rename ~0.65 ms). At 5,000 NOTIFY/s, writing it every second held 40 to 90 requests over
 * 300 µs in each 12 s, about a tenth of what the p99 allows (docs/BENCHMARKS.md). Every five
 * seconds is a fifth of that; the report says when it was taken.
 */
public final class StatusReport implements AutoCloseable {
    static final String FILE = "status";
    static final Duration EVERY = Duration.ofSeconds(5);
    /** Three reports missed: the agent is not writing it any more. */
    static final Duration STALE_AFTER = EVERY.multipliedBy(3);

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

    /** Writes the report now and every {@link #EVERY} until closed. */
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

    /**
     * Built with appends, not String.format: this runs every five seconds, too rarely for the JIT
     * to compile it, and formatting in the interpreter took ~1.2 ms of the core the front shares
     * with it (the agent pinned to one CPU), in the way of the requests arriving meanwhile.
     */
    String render(long now) {
        MetricsSnapshot snapshot = metrics.get();
        List<WorkerPool.Running> running = workers.get();
        StringBuilder out = new StringBuilder(512);
        out.append("spoa pid ").append(ProcessHandle.current().pid()).append(", up ").append(age(now - startedNanos)).append('\n');
        out.append("workers: ").append(snapshot.workersReady()).append(" of ").append(slots).append(" ready, ")
                .append(snapshot.workerRestarts()).append(" restarts\n");
        out.append("  ");
        column(out, "worker", 6);
        column(out, "pid", 8);
        column(out, "generation", 10);
        column(out, "up", 9);
        column(out, "restarts", 8);
        column(out, "jobs served", 11);
        out.append("jobs held\n");
        for (WorkerPool.Running worker : running) {
            MetricsSnapshot.Worker counts = countsOf(snapshot, worker.worker());
            out.append("  ");
            column(out, Integer.toString(worker.worker()), 6);
            column(out, Long.toString(worker.pid()), 8);
            column(out, Long.toString(worker.generation()), 10);
            column(out, age(now - worker.startedNanos()), 9);
            column(out, Long.toString(counts.restarts()), 8);
            column(out, Long.toString(counts.results()), 11);
            out.append(counts.queueDepth()).append(worker.ready() ? "" : " (starting)").append('\n');
        }
        out.append("connections: ").append(snapshot.connectionsOpen()).append(" open, ").append(snapshot.connectionsAccepted())
                .append(" accepted\n");
        out.append("jobs in flight: ").append(snapshot.jobsInFlight()).append('\n');
        out.append("NOTIFYs: ").append(snapshot.notifies()).append(" received, ").append(snapshot.acks()).append(" answered, ")
                .append(snapshot.errors()).append(" of them with the error variable (");
        boolean first = true;
        for (Map.Entry<ErrorReason, Long> entry : snapshot.errorAcks().entrySet()) {
            out.append(first ? "" : ", ").append(entry.getKey().label()).append(' ').append(entry.getValue());
            first = false;
        }
        out.append(")\n");
        out.append("as of ").append(Instant.now()).append('\n');
        return out.toString();
    }

    /** {@code value} left-aligned in {@code width} characters, then the space between columns. */
    private static void column(StringBuilder out, String value, int width) {
        out.append(value);
        for (int pad = value.length(); pad < width; pad++) {
            out.append(' ');
        }
        out.append(' ');
    }

    private static MetricsSnapshot.Worker countsOf(MetricsSnapshot snapshot, int index) {
        for (MetricsSnapshot.Worker counts : snapshot.workers()) {
            if (counts.index() == index) {
                return counts;
            }
        }
        return new MetricsSnapshot.Worker(index, 0, 0, 0);
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
