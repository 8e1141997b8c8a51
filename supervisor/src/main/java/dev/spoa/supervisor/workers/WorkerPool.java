package dev.spoa.supervisor.workers;

import dev.spoa.ipc.WorkerQueues;
import dev.spoa.supervisor.AgentConfig;
import dev.spoa.supervisor.dispatch.Dispatcher;
import dev.spoa.supervisor.dispatch.WorkerChannel;
import dev.spoa.worker.WorkerExit;
import dev.spoa.worker.lua.ScriptLoadException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.tinylog.Logger;

/**
 * Keeps one worker process running in each slot: starts them, replaces one that exits — at once if
 * it had been serving for a while, after a pause that doubles up to {@value #LONGEST_PAUSE_SECONDS} s
 * while it keeps dying young (a crash loop is logged loudly with the exit reason, never given up
 * on) — and, on reload, replaces every worker with one running the new script, one slot at a time.
 *
 * <p>Every process is started from one long-lived thread, the spawner: a worker asks the kernel to
 * kill it when its parent dies (PR_SET_PDEATHSIG), and Linux ties that to the thread that spawned
 * it, not the process. Every change to the slots happens on that thread too, so a crash and a
 * reload never race.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
    private static final long LONGEST_PAUSE_SECONDS = 10;
    /** A worker that served this long before it died is not part of a crash loop. */
    private static final Duration STABLE = Duration.ofSeconds(1);
    /**
     * How long the first workers wait for the archive: a build is ~3 s of CPU, and the machine may
     * be busy or freeze for seconds; past this they start without it (those started later map it).
     */
    private static final Duration ARCHIVE_WAIT = Duration.ofSeconds(20);
    /** How long the other workers wait for worker 0's compiled chunks at start (a start takes ~1 s; the machine may freeze). */
    private static final Duration FIRST_ALONE = Duration.ofSeconds(10);
    /** How long a new worker may take to load its script and say it is ready. */
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final AgentConfig config;
    private final Path runDir;
    private final Dispatcher dispatcher;
    private final WorkerCommand command;
    private final ScriptVersions scripts;
    private final ScheduledThreadPoolExecutor spawner = new ScheduledThreadPoolExecutor(1, task -> new Thread(task, "spoa-spawner"));
    private final ExecutorService reloader = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "spoa-reload");
        thread.setDaemon(true); // a reload waiting on a worker must not hold the JVM at exit
        return thread;
    });
    private final Slot[] slots;
    private final Runnable onWorkerGone;
    /** Every worker process not yet ended, whether it serves a slot, is being drained or is a reload's candidate. */
    private final Set<Process> live = ConcurrentHashMap.newKeySet();
    /** What the workers print, relayed into the front's log. */
    private final WorkerOutput output = new WorkerOutput();
    /** The checked copy of the script that new workers run; the spawner's thread only. */
    private Path script;
    private volatile boolean stopping;
    /** The class-data archive that makes a worker start in about half the time and take less memory. */
    private volatile CdsArchive archive;

    /** One worker index, with the incarnation serving it; the spawner's thread only. */
    private static final class Slot {
        final int worker;
        long nextGeneration;
        Duration pause = FIRST_PAUSE;
        /** Written by the spawner only; volatile for {@link #running()}. */
        volatile Incarnation current;

        Slot(int worker) {
            this.worker = worker;
        }
    }

    private record Incarnation(int worker, WorkerChannel channel, Process process, long startedNanos) {
        @Override
        public String toString() {
            return channel + " (pid " + process.pid() + ")";
        }
    }

    /**
     * @param scripts      where reloads take their checked copies of the script
     * @param script       the checked copy the first workers run
     * @param onWorkerGone runs when a worker process ends, so that its jobs are taken care of at once
     */
    public WorkerPool(AgentConfig config, Path runDir, ScriptVersions scripts, Path script, Dispatcher dispatcher,
            Runnable onWorkerGone) {
        // A restart still waiting out its back-off must not hold up stop().
        spawner.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.config = config;
        this.runDir = runDir;
        this.dispatcher = dispatcher;
        this.onWorkerGone = onWorkerGone;
        this.command = new WorkerCommand(config, runDir);
        this.scripts = scripts;
        this.script = script;
        this.slots = new Slot[config.workers()];
        for (int worker = 0; worker < slots.length; worker++) {
            slots[worker] = new Slot(worker);
        }
    }

    /**
     * A worker process serving its slot, as the status command shows it.
     *
     * @param startedNanos on the {@link System#nanoTime()} clock
     */
    public record Running(int worker, long pid, long generation, long startedNanos, boolean ready) {
    }

    /** The process serving each slot now (a slot between two processes is left out). */
    public List<Running> running() {
        List<Running> running = new ArrayList<>();
        for (Slot slot : slots) {
            Incarnation current = slot.current;
            if (current != null && current.process().isAlive()) {
                running.add(new Running(slot.worker, current.process().pid(), current.channel().generation(), current.startedNanos(),
                        current.channel().isReady()));
            }
        }
        return running;
    }

    /**
     * Starts the workers. With a usable cache dir they wait for the class-data-sharing archive (kept
     * there and checked, ~0.2 s; or built, a few seconds on the first start with these jars, JDK and
     * flags), at most {@link #ARCHIVE_WAIT}: every worker then maps it from its start. Without a
     * cache they start at once, and only those started after the build (replacements) map it.
     */
    public void start() {
        Optional<ArchiveCache> cache = CdsArchive.enabled()
                ? config.cacheDir().flatMap(dir -> ArchiveCache.open(dir, runDir, command.archiveKey())) : Optional.empty();
        cache.flatMap(ArchiveCache::compiledChunks).ifPresent(command::shareCompiledChunksIn);
        archive = CdsArchive.build(command, runDir, script, cache);
        if (cache.isEmpty()) {
            archive.result().thenAccept(command::useArchive);
            launchAll();
            return;
        }
        AtomicBoolean launched = new AtomicBoolean();
        // One callback for both: a CompletableFuture runs its dependents in no promised order.
        archive.result().whenComplete((built, failure) -> {
            if (built != null) {
                command.useArchive(built);
            }
            if (launched.compareAndSet(false, true)) {
                launchAll();
            }
        });
        spawner.schedule(() -> {
            if (launched.compareAndSet(false, true)) {
                Logger.warn("the class-data-sharing archive is not there after {} s: the first workers start without it",
                        ARCHIVE_WAIT.toSeconds());
                launchAll();
            }
        }, ARCHIVE_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Worker 0 first and, when the script is compiled, the others once it is ready (or gone, or
     * {@link #FIRST_ALONE} passed): it leaves what LuaJC made of the script's chunks (in the run dir,
     * or the cache dir when there is one), and the others define those classes without loading the
     * compiler. Five workers compiling at once each kept ~1.6 MB more at rest, and on a small
     * machine the compiles only take turns.
     */
    private void launchAll() {
        try {
            spawner.execute(() -> {
                launchUnlessFilled(slots[0]);
                launchOthersOnceFirstReady(System.nanoTime() + FIRST_ALONE.toNanos());
            });
        } catch (RejectedExecutionException stopped) {
            // stop() came first
        }
    }

    /** Spawner thread: starts workers 1 and up, now or once worker 0 is ready. */
    private void launchOthersOnceFirstReady(long giveUp) {
        Incarnation first = slots[0].current;
        if (config.lua().compile() && first != null && !first.channel().isReady() && first.process().isAlive()
                && System.nanoTime() - giveUp < 0 && !stopping) {
            spawner.schedule(() -> launchOthersOnceFirstReady(giveUp), 20, TimeUnit.MILLISECONDS);
            return;
        }
        for (int worker = 1; worker < slots.length; worker++) {
            launchUnlessFilled(slots[worker]);
        }
    }

    /** Spawner thread: a reload (SIGHUP while the first workers wait) may have put a worker in the slot already. */
    private void launchUnlessFilled(Slot slot) {
        if (slot.current == null) {
            launch(slot);
        }
    }

    /** Spawner thread: a new incarnation in the slot, running the current script. */
    private void launch(Slot slot) {
        if (stopping) {
            return;
        }
        Incarnation started = spawn(slot, script);
        if (started == null) {
            scheduleRelaunch(slot, slot.current, "worker " + slot.worker + " did not start");
        } else {
            slot.current = started;
        }
    }

    /** Spawner thread: starts a process for the slot; null if it could not be started (logged). */
    private Incarnation spawn(Slot slot, Path scriptCopy) {
        if (stopping) {
            return null;
        }
        long generation = slot.nextGeneration++;
        WorkerChannel channel;
        try {
            WorkerQueues queues = new WorkerQueues(runDir, slot.worker, generation);
            queues.create();
            channel = new WorkerChannel(queues);
        } catch (RuntimeException e) {
            // An executor swallows what its tasks throw: without this, the slot would silently stay empty.
            Logger.error(e, "worker {}: cannot make the queues of generation {}", slot.worker, generation);
            return null;
        }
        dispatcher.add(channel);
        Process process;
        try {
            // stdout and stderr in one pipe that the front reads (WorkerOutput): the worker's log lines and the JVM's own.
            ProcessBuilder builder = new ProcessBuilder(command.forWorker(slot.worker, generation, scriptCopy))
                    .redirectInput(ProcessBuilder.Redirect.INHERIT).redirectErrorStream(true);
            builder.environment().put("SPOA_WORKER_INDEX", Integer.toString(slot.worker)); // os.getenv in a handler
            builder.environment().remove("NOTIFY_SOCKET"); // systemd hears from the front only (sd_notify(3))
            process = builder.start();
        } catch (IOException | RuntimeException e) {
            Logger.error("worker {}: cannot start a JVM: {}", slot.worker, e.getMessage());
            channel.markGone();
            onWorkerGone.run();
            return null;
        }
        live.add(process);
        output.follow(slot.worker, process.pid(), process.getInputStream());
        channel.killWith(process::destroyForcibly);
        Incarnation incarnation = new Incarnation(slot.worker, channel, process, System.nanoTime());
        Logger.info("worker {} started (pid {}, generation {})", slot.worker, process.pid(), generation);
        process.onExit().thenRun(() -> spawner.execute(() -> exited(slot, incarnation)));
        return incarnation;
    }

    /** Spawner thread: a process ended. Its jobs are rescued by the front; the slot gets a new one unless it was replaced. */
    private void exited(Slot slot, Incarnation incarnation) {
        live.remove(incarnation.process());
        incarnation.channel().markGone();
        onWorkerGone.run();
        if (stopping) {
            return;
        }
        if (slot.current != incarnation) {
            Logger.info("{} {}: it no longer served its slot (replaced, or a reload's candidate)", incarnation,
                    exitReason(incarnation.process()));
            return;
        }
        dispatcher.metrics().workerRestarted(slot.worker);
        WorkerChannel channel = incarnation.channel();
        boolean stable = channel.isReady() && System.nanoTime() - channel.readyNanos() > STABLE.toNanos();
        if (stable) {
            Logger.warn("{} {}; starting a new one", incarnation, exitReason(incarnation.process()));
            slot.pause = FIRST_PAUSE;
            launch(slot);
        } else {
            scheduleRelaunch(slot, incarnation, incarnation + " " + exitReason(incarnation.process())
                    + (channel.isReady() ? " soon after it started" : " before it was ready"));
        }
    }

    /**
     * Spawner thread: the slot's worker died young, or a new one could not be started: start another
     * after a growing pause, unless a reload has put one in the slot by then.
     *
     * @param current the slot's incarnation now
     * @param what    what happened, for the log
     */
    private void scheduleRelaunch(Slot slot, Incarnation current, String what) {
        Duration pause = slot.pause;
        slot.pause = pause.multipliedBy(2).compareTo(Duration.ofSeconds(LONGEST_PAUSE_SECONDS)) > 0
                ? Duration.ofSeconds(LONGEST_PAUSE_SECONDS) : pause.multipliedBy(2);
        if (pause.compareTo(Duration.ofSeconds(1)) >= 0) {
            Logger.error("{}; it keeps dying: next start in {} ms", what, pause.toMillis());
        } else {
            Logger.warn("{}; next start in {} ms", what, pause.toMillis());
        }
        spawner.schedule(() -> {
            if (slot.current == current) { // not replaced meanwhile (by a reload)
                launch(slot);
            }
        }, pause.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static String exitReason(Process process) {
        int status = process.exitValue();
        // The JDK reports a death by signal as 128 + the signal's number, as shells do.
        return switch (status) {
            case 128 + 9 -> "was killed (SIGKILL)";
            case 128 + 15 -> "was terminated (SIGTERM)";
            case 128 + 6 -> "aborted (SIGABRT)";
            case 128 + 11 -> "crashed (SIGSEGV)";
            case WorkerExit.OUT_OF_MEMORY -> "ran out of memory (a handler filled the heap; see --worker-heap)";
            default -> status > 128 ? "died of signal " + (status - 128) : "exited with status " + status;
        };
    }

    /**
     * Reloads the script, on a thread of its own (one reload at a time): checks the file as it is
     * now, then starts a worker with it; if that worker does not become ready, the reload is refused
     * and the old workers serve on. Otherwise every slot gets a new worker in turn, and the old one
     * is drained (no new jobs, its jobs finished or timed out) before it is stopped. No request is
     * lost or failed: some workers run the old script and some the new one until it is done.
     *
     * @return completes with whether the new script is now running everywhere
     */
    public CompletableFuture<Boolean> reload() {
        try {
            return CompletableFuture.supplyAsync(this::reloadNow, reloader);
        } catch (RejectedExecutionException stopping) {
            Logger.info("no reload: the agent is stopping");
            return CompletableFuture.completedFuture(false);
        }
    }

    private boolean reloadNow() {
        Path next;
        try {
            next = scripts.snapshot().copy();
        } catch (ScriptLoadException e) {
            Logger.error("reload refused, the workers keep the script they run: {}", e.getMessage());
            return false;
        }
        Logger.info("reloading {}", scripts.origin());
        for (int i = 0; i < slots.length && !stopping; i++) {
            Slot slot = slots[i];
            Incarnation fresh = onSpawner(() -> spawn(slot, next));
            if (fresh == null || !awaitReady(fresh)) {
                if (fresh != null) {
                    fresh.process().destroyForcibly();
                }
                refuse(i);
                return false;
            }
            // On the spawner, which also handles exits: a candidate that died after saying it was ready
            // (its exit saw it was not the slot's) must not take the slot, or nobody would restart it.
            Incarnation old = onSpawner(() -> {
                if (!fresh.process().isAlive() || fresh.channel().isGone()) {
                    return fresh;
                }
                Incarnation previous = slot.current;
                slot.current = fresh;
                slot.pause = FIRST_PAUSE;
                script = next; // from the first worker that serves it on, restarts run it too
                return previous;
            });
            if (old == fresh) {
                refuse(i);
                return false;
            }
            if (old != null) {
                drainAndStop(old);
            }
        }
        Logger.info("reload done: {} workers run {}", slots.length, scripts.origin());
        return true;
    }

    private static void refuse(int slot) {
        if (slot == 0) {
            Logger.error("reload refused: a worker with the new script did not start or did not last (see its lines above); the "
                    + "workers keep the script they run");
        } else {
            Logger.error("reload stopped: worker {} did not start or did not last with the new script; workers 0 to {} run it, "
                    + "the others the previous one", slot, slot - 1);
        }
    }

    private <T> T onSpawner(Callable<T> task) {
        try {
            return spawner.submit(task).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Until the worker said it is ready (true), or its process ended or took too long (false). */
    private boolean awaitReady(Incarnation incarnation) {
        long giveUp = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!incarnation.channel().isReady()) {
            if (!incarnation.process().isAlive() || System.nanoTime() - giveUp > 0 || stopping) {
                return false;
            }
            sleep(Duration.ofMillis(10));
        }
        return true;
    }

    /** No new jobs for it; once it holds none (or its jobs' time is up), SIGTERM. What it still holds then is rescued by the front. */
    private void drainAndStop(Incarnation old) {
        old.channel().markDraining();
        long giveUp = System.nanoTime() + config.jobTimeout().plus(config.killGrace()).toNanos();
        while (old.channel().outstanding() > 0 && old.process().isAlive() && System.nanoTime() - giveUp < 0) {
            sleep(Duration.ofMillis(10));
        }
        old.process().destroy();
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Stops every worker: SIGTERM, then SIGKILL for those still there after the timeout. */
    public void stop(Duration timeout) throws InterruptedException {
        stopping = true;
        if (archive != null) {
            archive.close(); // a build still running is killed
        }
        reloader.shutdownNow();
        List<Process> processes = new ArrayList<>(live);
        processes.forEach(Process::destroy);
        long giveUp = System.nanoTime() + timeout.toNanos();
        for (Process process : processes) {
            long left = giveUp - System.nanoTime();
            if (!process.waitFor(Math.max(0, left), TimeUnit.NANOSECONDS)) {
                Logger.warn("worker pid {} ignored SIGTERM; killing it", process.pid());
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
        output.close(Duration.ofSeconds(2));
        spawner.shutdown();
        spawner.awaitTermination(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        stop(Duration.ofSeconds(5));
    }
}
