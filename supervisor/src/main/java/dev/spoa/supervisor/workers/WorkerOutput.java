package dev.spoa.supervisor.workers;

import dev.spoa.supervisor.logging.AgentLogWriter;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.tinylog.Level;
import org.tinylog.Logger;
import org.tinylog.TaggedLogger;

/**
 * Brings what the worker JVMs print into the front's log, each line tagged with its worker
 * ({@code [worker-3]}, or {@code "worker":3} in JSON) at the level the worker gave it. The workers
 * only write to their standard output and error (one pipe per process); the front alone owns the
 * log file or the syslog socket, so several processes never write one rotating file. The pipe also
 * carries what the JVM itself prints as a worker dies (an uncaught exception, an OutOfMemoryError,
 * a crash report), which would otherwise be lost.
 *
 * <p>One reader thread per worker process only reads and cuts entries ({@link WorkerLines}); one
 * relay thread logs them. Between the two, a bounded queue: when the log cannot keep up, entries
 * are dropped and counted (the count is logged once there is room again) rather than leaving the
 * pipe unread, which would block the worker in its next write, in the middle of a job.
 */
final class WorkerOutput {
    static final int CAPACITY = 10_000;
    /** How long the JVM's own output (not the worker's log) may pause between two lines of one message. */
    private static final long JVM_OUTPUT_PAUSE_MILLIS = 20;

    private record Entry(int worker, Level level, String text) {
    }

    /** Tells the relay to stop once everything before it is logged. */
    private static final Entry END = new Entry(-1, Level.OFF, "");

    /** Where the relay puts a worker's entry: the log, but for tests. */
    interface Sink {
        void log(int worker, Level level, String text);
    }

    private final BlockingQueue<Entry> entries;
    private final Set<Thread> readers = ConcurrentHashMap.newKeySet();
    private final Map<Integer, TaggedLogger> loggers = new ConcurrentHashMap<>();
    private final Sink sink;
    private final Thread relay;

    WorkerOutput() {
        this(CAPACITY, null);
    }

    /** {@code sink} null: tinylog, each worker's lines tagged {@code worker-N}. */
    WorkerOutput(int capacity, Sink sink) {
        this.entries = new ArrayBlockingQueue<>(capacity);
        this.sink = sink == null ? this::log : sink;
        relay = new Thread(this::relay, "spoa-worker-output");
        relay.setDaemon(true); // never holds the JVM: close() drains it on a clean stop
        relay.start();
    }

    /** Reads this worker process's output (its stdout and stderr, merged) until the process is gone. */
    void follow(int worker, long pid, InputStream output) {
        Thread reader = new Thread(() -> read(worker, output), "spoa-worker-" + worker + "-pid-" + pid + "-output");
        reader.setDaemon(true);
        readers.add(reader);
        reader.start();
    }

    private void read(int worker, InputStream output) {
        long[] dropped = {0};
        WorkerLines lines = new WorkerLines((level, text) -> {
            if (dropped[0] > 0 && entries.offer(droppedNotice(worker, dropped[0]))) {
                dropped[0] = 0;
            }
            if (dropped[0] > 0 || !entries.offer(new Entry(worker, level, text))) {
                dropped[0]++;
            }
        });
        byte[] buffer = new byte[8192];
        try (InputStream in = output) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                lines.feed(buffer, 0, read);
                if (in.available() == 0) {
                    if (lines.mayContinue()) {
                        Thread.sleep(JVM_OUTPUT_PAUSE_MILLIS); // the JVM's own output comes line by line
                        if (in.available() > 0) {
                            continue;
                        }
                    }
                    lines.pause();
                }
            }
        } catch (IOException e) {
            // the pipe broke: the process is gone, and what it wrote before is handled below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        lines.end();
        if (dropped[0] > 0) {
            try {
                // The process is gone: waiting for room here holds up no one.
                entries.offer(droppedNotice(worker, dropped[0]), 5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        readers.remove(Thread.currentThread());
    }

    private static Entry droppedNotice(int worker, long count) {
        return new Entry(worker, Level.WARN, count + " lines of this worker's output were dropped: the log did not keep up");
    }

    private void relay() {
        try {
            while (true) {
                Entry entry = entries.take();
                if (entry == END) {
                    return;
                }
                sink.log(entry.worker(), entry.level(), entry.text());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void log(int worker, Level level, String text) {
        TaggedLogger logger = loggers.computeIfAbsent(worker, index -> Logger.tag(AgentLogWriter.WORKER_TAG + index));
        // The text is logged as it is, never as a format pattern: a worker's "{}" stays "{}".
        Object message = text;
        switch (level) {
            case ERROR -> logger.error(message);
            case WARN -> logger.warn(message);
            case INFO -> logger.info(message);
            case DEBUG -> logger.debug(message);
            default -> logger.trace(message);
        }
    }

    /**
     * Once the workers are stopped: waits until every reader has seen its pipe close and every line
     * read is logged, so a stopping agent's log ends with its workers' last words.
     */
    void close(Duration timeout) throws InterruptedException {
        long giveUp = System.nanoTime() + timeout.toNanos();
        for (Thread reader : Set.copyOf(readers)) {
            reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(giveUp - System.nanoTime())));
        }
        if (entries.offer(END, Math.max(0, giveUp - System.nanoTime()), TimeUnit.NANOSECONDS)) {
            relay.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(giveUp - System.nanoTime())));
        }
    }
}
