package dev.spoa.supervisor;

import dev.spoa.ipc.Doorbell;
import dev.spoa.ipc.RunDir;
import dev.spoa.supervisor.dispatch.Dispatcher;
import dev.spoa.supervisor.dispatch.ResultLoop;
import dev.spoa.supervisor.front.Front;
import dev.spoa.supervisor.workers.ScriptVersions;
import dev.spoa.supervisor.workers.WorkerPool;
import dev.spoa.worker.lua.ScriptLoadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.tinylog.Logger;
import sun.misc.Signal;

/**
 * The agent's life: check the script, make the run dir, bind the sockets (all before any worker
 * starts), then run the front, the result thread and the workers until SIGTERM or SIGINT, and
 * stop in order: drain the front, stop the workers, remove the run dir. SIGHUP reloads the script.
 */
final class Agent {
    private Agent() {
    }

    static int run(AgentConfig config) throws StartupException {
        RunDir runDir;
        try {
            runDir = RunDir.createFresh(config.runDir().orElse(null));
        } catch (UncheckedIOException e) {
            throw new StartupException("cannot make the run dir: " + e.getMessage(), e);
        }
        ScriptVersions scripts = new ScriptVersions(config.script(), runDir.path());
        ScriptVersions.Version script;
        try {
            script = scripts.snapshot();
        } catch (ScriptLoadException e) {
            runDir.close();
            throw new StartupException(e.getMessage(), e);
        }
        Dispatcher dispatcher = new Dispatcher(config);
        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger exitStatus = new AtomicInteger();
        Runnable fatal = () -> {
            exitStatus.set(1);
            stop.countDown();
        };
        Front front;
        try {
            front = Front.bind(config, dispatcher, fatal);
        } catch (IOException e) {
            runDir.close();
            throw new StartupException(e.getMessage(), e);
        }

        Signal.handle(new Signal("TERM"), signal -> stop.countDown());
        Signal.handle(new Signal("INT"), signal -> stop.countDown());

        Doorbell doorbell = Doorbell.open(runDir.frontDoorbellFile());
        ResultLoop results = new ResultLoop(dispatcher, doorbell, front::wakeup, fatal);
        Thread resultThread = new Thread(results, "spoa-results");
        WorkerPool workers = new WorkerPool(config, runDir.path(), scripts, script.copy(), dispatcher, results::wake);
        Signal.handle(new Signal("HUP"), signal -> workers.reload());
        resultThread.start();
        front.start();
        workers.start();
        Logger.info("spoa started: {} workers, script {} (messages {}), run dir {}", config.workers(), config.script(), script.messages(),
                runDir.path());

        try {
            stop.await();
            Logger.info("stopping: answering what is in flight");
            front.stop(config.jobTimeout().plusSeconds(1));
            workers.stop(Duration.ofSeconds(5));
            results.stop();
            resultThread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            doorbell.close();
            runDir.close();
        }
        Logger.info("stopped");
        return exitStatus.get();
    }
}
