package dev.spoa.supervisor.workers;

import dev.spoa.ipc.WorkerQueues;
import dev.spoa.supervisor.AgentConfig;
import dev.spoa.supervisor.dispatch.Dispatcher;
import dev.spoa.supervisor.dispatch.WorkerChannel;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * Starts the worker processes, and a new one whenever one exits: at once if it had run for a while,
 * after a growing pause if it keeps dying (a crash loop is logged loudly, never given up on).
 *
 * <p>Every process is started from one long-lived thread: a worker asks the kernel to kill it when
 * its parent dies (PR_SET_PDEATHSIG), and Linux ties that to the thread that spawned it, not the
 * process.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    private static final Duration LONGEST_PAUSE = Duration.ofSeconds(10);
    private static final Duration STABLE = Duration.ofSeconds(10);

    private final AgentConfig config;
    private final Path runDir;
    private final Dispatcher dispatcher;
    private final WorkerCommand command;
    private final ScheduledExecutorService spawner =
            Executors.newSingleThreadScheduledExecutor(task -> new Thread(task, "spoa-spawner"));
    private final Map<Integer, Process> processes = new ConcurrentHashMap<>(); // the current process of each worker index
    private final Runnable onWorkerGone;
    private volatile boolean stopping;

    /** {@code onWorkerGone} runs when a worker process ends, so that its jobs are answered at once. */
    public WorkerPool(AgentConfig config, Path runDir, Dispatcher dispatcher, Runnable onWorkerGone) {
        this.config = config;
        this.runDir = runDir;
        this.dispatcher = dispatcher;
        this.onWorkerGone = onWorkerGone;
        this.command = new WorkerCommand(config, runDir);
    }

    public void start() {
        for (int worker = 0; worker < config.workers(); worker++) {
            int index = worker;
            spawner.execute(() -> launch(index, 0, FIRST_PAUSE));
        }
    }

    private void launch(int worker, long generation, Duration pause) {
        if (stopping) {
            return;
        }
        try {
            start(worker, generation, pause);
        } catch (RuntimeException e) {
            // An executor swallows what its tasks throw: without this, the worker slot would silently stay empty.
            Logger.error(e, "worker {}: cannot start generation {}", worker, generation);
            relaunch(worker, generation, pause, false);
        }
    }

    private void start(int worker, long generation, Duration pause) {
        WorkerQueues queues = new WorkerQueues(runDir, worker, generation);
        queues.create();
        WorkerChannel channel = new WorkerChannel(queues);
        dispatcher.add(channel);
        Process process;
        try {
            ProcessBuilder builder = new ProcessBuilder(command.forWorker(worker, generation)).inheritIO();
            builder.environment().put("SPOA_WORKER_INDEX", Integer.toString(worker)); // os.getenv in a handler
            process = builder.start();
        } catch (IOException e) {
            Logger.error("worker {}: cannot start a JVM: {}", worker, e.getMessage());
            channel.markGone();
            relaunch(worker, generation, pause, false);
            return;
        }
        processes.put(worker, process);
        channel.killWith(process::destroyForcibly);
        long started = System.nanoTime();
        Logger.info("worker {} started (pid {}, generation {})", worker, process.pid(), generation);
        process.onExit().thenRun(() -> spawner.execute(() -> {
            channel.markGone();
            onWorkerGone.run();
            if (stopping) {
                return;
            }
            boolean stable = System.nanoTime() - started > STABLE.toNanos();
            Logger.warn("worker {} (pid {}) exited with status {}", worker, process.pid(), process.exitValue());
            relaunch(worker, generation, pause, stable);
        }));
    }

    private void relaunch(int worker, long generation, Duration pause, boolean stable) {
        if (stable) {
            launch(worker, generation + 1, FIRST_PAUSE);
            return;
        }
        Duration next = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        if (pause.compareTo(Duration.ofSeconds(1)) >= 0) {
            Logger.error("worker {} keeps dying (generation {}); next start in {} ms", worker, generation + 1, pause.toMillis());
        }
        spawner.schedule(() -> launch(worker, generation + 1, next), pause.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops every worker: SIGTERM, then SIGKILL for those still there after the timeout. */
    public void stop(Duration timeout) throws InterruptedException {
        stopping = true;
        processes.values().forEach(Process::destroy);
        long giveUp = System.nanoTime() + timeout.toNanos();
        for (Process process : processes.values()) {
            long left = giveUp - System.nanoTime();
            if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                Logger.warn("worker pid {} ignored SIGTERM; killing it", process.pid());
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        spawner.shutdown();
        spawner.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(5));
    }
}
