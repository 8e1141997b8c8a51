package dev.spoa.supervisor;

import dev.spoa.ipc.FrontBell;
import dev.spoa.ipc.RunDir;
import dev.spoa.supervisor.control.PidFile;
import dev.spoa.supervisor.control.StatusReport;
import dev.spoa.supervisor.dispatch.Dispatcher;
import dev.spoa.supervisor.dispatch.ResultCollector;
import dev.spoa.supervisor.front.Front;
import dev.spoa.supervisor.metrics.MetricsServer;
import dev.spoa.supervisor.system.HeapTrimmer;
import dev.spoa.supervisor.system.PrivilegeException;
import dev.spoa.supervisor.system.Privileges;
import dev.spoa.supervisor.system.SystemdNotifier;
import dev.spoa.supervisor.workers.ScriptVersions;
import dev.spoa.supervisor.workers.WorkerPool;
import dev.spoa.worker.lua.ScriptLoadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.tinylog.Logger;
import sun.misc.Signal;

/**
 * The agent's life: bind the sockets (as root, when started so), become {@code --user}, make the run
 * dir and check the script (all before any worker starts), then run the front and
 * the workers until SIGTERM or SIGINT, and stop in order: drain the front, stop the workers, remove
 * the run dir. SIGHUP reloads the script. systemd, when it started the agent, hears of each step.
 */
final class Agent {
    private Agent() {
    }

    /** @param serving runs once the agent serves: every worker ready (or a minute passed), the pid file written */
    static int run(AgentConfig config, Runnable serving) throws StartupException {
        Privileges privileges;
        try {
            privileges = Privileges.check(config.runAs());
        } catch (PrivilegeException e) {
            throw new StartupException(e.getMessage(), e);
        }
        Dispatcher dispatcher = new Dispatcher(config);
        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger exitStatus = new AtomicInteger();
        Runnable fatal = () -> {
            exitStatus.set(1);
            stop.countDown();
        };
        // Bound with the SPOP sockets, before anything drops privileges; served once the front runs.
        MetricsServer metrics = null;
        Front front;
        try {
            if (config.metrics().isPresent()) {
                metrics = MetricsServer.bind(config.metrics().get(), dispatcher.metrics()::snapshot);
            }
            front = Front.bind(config, dispatcher, fatal);
        } catch (IOException e) {
            if (metrics != null) {
                metrics.close();
            }
            throw new StartupException(e.getMessage(), e);
        }
        // Root's part, if it was root, ends here: the Unix socket gets its owner and mode, then the
        // agent becomes --user for good, so that the run dir, the copies of the script, the script's
        // top level (which the check runs) and every worker are that user's.
        RunDir runDir = null;
        FrontBell bell;
        ScriptVersions scripts;
        ScriptVersions.Version script;
        try {
            if (config.unixSocket().isPresent()) {
                privileges.secureSocket(config.unixSocket().get(), config.unixSocketAccess());
            }
            privileges.drop();
            runDir = createRunDir(config, privileges);
            scripts = new ScriptVersions(config.script(), runDir.path(),
                    // interpreted: the check runs the top level once, and LuaJC's classes would stay in the front for nothing
                    config.luaSettings(0).withCompile(false));
            script = scripts.snapshot();
            bell = FrontBell.open(runDir);
            try {
                front.collectResults(bell, new ResultCollector(dispatcher));
            } catch (IOException | RuntimeException e) {
                bell.close();
                throw e;
            }
        } catch (PrivilegeException | ScriptLoadException | StartupException | IOException | UncheckedIOException e) {
            front.unbind();
            if (metrics != null) {
                metrics.close();
            }
            if (runDir != null) {
                runDir.close();
            }
            throw e instanceof StartupException startup ? startup : new StartupException(e.getMessage(), e);
        }

        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());

        WorkerPool workers = new WorkerPool(config, runDir.path(), scripts, script.copy(), dispatcher, front::wakeup);
        SystemdNotifier systemd = SystemdNotifier.start(dispatcher, config.workers());
        Signal.handle(new Signal("HUP"), signal -> systemd.aroundReload(workers::reload));
        front.start();
        if (metrics != null) {
            metrics.start();
        }
        privileges.warnIfRoot();
        workers.start();
        StatusReport status = StatusReport.start(runDir.path(), dispatcher.metrics()::snapshot, workers::running, config.workers());
        HeapTrimmer heapTrimmer = HeapTrimmer.start();
        writePidFile(config);
        Logger.info("spoa started: {} workers, script {} (messages {}), run dir {}", config.workers(), config.script(), script.messages(),
                runDir.path());
        announceWhenServing(dispatcher, config.workers(), serving);

        try {
            stop.await();
            systemd.stopping();
            Logger.info("stopping: answering what is in flight");
            front.stop(config.jobTimeout().plusSeconds(1));
            workers.stop(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            heapTrimmer.close();
            status.close();
            config.pidFile().ifPresent(PidFile::remove);
            systemd.close();
            if (metrics != null) {
                metrics.close();
            }
            bell.close();
            runDir.close();
        }
        Logger.info("stopped");
        return exitStatus.get();
    }

    /** Off the main thread, which waits for the signal to stop: starting workers takes seconds. */
    private static void announceWhenServing(Dispatcher dispatcher, int workers, Runnable serving) {
        Thread thread = new Thread(() -> {
            long giveUp = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
            try {
                while (dispatcher.readyWorkers() < workers && System.nanoTime() - giveUp < 0) {
                    Thread.sleep(50);
                }
            } catch (InterruptedException e) {
                return;
            }
            serving.run();
        }, "spoa-serving");
        thread.setDaemon(true);
        thread.start();
    }

    /** For stop, reload and status; after the drop, so the user can remove it at exit (its directory must let it write). */
    private static void writePidFile(AgentConfig config) {
        config.pidFile().ifPresent(file -> {
            try {
                PidFile.write(file);
            } catch (IOException e) {
                Logger.error("cannot write the pid file {}: {}; stop, reload and status will not find the agent", file, e.getMessage());
            }
        });
    }

    /** Made after the drop: the user must be able to write in its parent (and so to remove it at exit). */
    private static RunDir createRunDir(AgentConfig config, Privileges privileges) throws StartupException {
        try {
            return RunDir.createFresh(config.runDir().orElse(null));
        } catch (UncheckedIOException e) {
            String as = privileges.runAs().map(runAs -> " (as user " + runAs.user() + ", who must be able to write there)").orElse("");
            throw new StartupException("cannot make the run dir: " + e.getMessage() + as, e);
        }
    }
}
