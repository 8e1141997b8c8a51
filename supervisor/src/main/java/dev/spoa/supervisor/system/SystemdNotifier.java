package dev.spoa.supervisor.system;

import com.sun.jna.LastErrorException;
import dev.spoa.supervisor.dispatch.Dispatcher;
import dev.spoa.supervisor.metrics.MetricsSnapshot;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * Tells systemd how the agent is doing, for a {@code Type=notify} unit (sd_notify(3)'s protocol,
 * without libsystemd): {@code READY=1} once every worker has said it is ready the first time,
 * {@code RELOADING=1} (with {@code MONOTONIC_USEC=}, which systemd 253 and later want) when SIGHUP
 * starts a reload and {@code READY=1} when it is over, {@code STOPPING=1} when the SIGTERM drain
 * starts, and a {@code STATUS=} line every few seconds (workers ready, NOTIFYs answered, in flight: the metrics' counters),
 * which {@code systemctl status} shows.
 *
 * <p>Without $NOTIFY_SOCKET (not started by systemd) it does nothing and starts no thread. A message
 * that cannot be sent is a WARN line the first time and a debug line after that: systemd going away
 * must not fill the log, nor stop the agent.
 */
public final class SystemdNotifier implements AutoCloseable {
    static final String VARIABLE = "NOTIFY_SOCKET";
    /** Until every worker is ready: starting takes seconds, and READY=1 should follow closely. */
    private static final long STARTING_POLL_MILLIS = 100;
    private static final long STATUS_PERIOD_MILLIS = 5_000;

    /** Null when there is no systemd to tell. */
    private final NotifySocket socket;
    private final Dispatcher dispatcher;
    private final int workers;
    private final ScheduledExecutorService timer;
    private final AtomicInteger reloadsRunning = new AtomicInteger();
    private final AtomicBoolean sendFailedBefore = new AtomicBoolean();
    private volatile boolean ready;
    private volatile boolean stopping;
    /** The last STATUS= sent while starting; the timer's thread only. */
    private String lastStartingStatus;

    private SystemdNotifier(NotifySocket socket, Dispatcher dispatcher, int workers) {
        this.socket = socket;
        this.dispatcher = dispatcher;
        this.workers = workers;
        this.timer = socket == null ? null : Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "spoa-systemd");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Reads $NOTIFY_SOCKET and, when it is set, starts watching the workers to send READY=1 and the
     * STATUS= lines.
     *
     * @param workers how many workers must be ready before the agent is
     */
    public static SystemdNotifier start(Dispatcher dispatcher, int workers) {
        String name = System.getenv(VARIABLE);
        if (name == null || name.isEmpty()) {
            return new SystemdNotifier(null, dispatcher, workers);
        }
        NotifySocket socket;
        try {
            socket = NotifySocket.named(name);
        } catch (IllegalArgumentException e) {
            Logger.warn("{}: systemd is not told when the agent is ready", e.getMessage());
            return new SystemdNotifier(null, dispatcher, workers);
        }
        SystemdNotifier notifier = new SystemdNotifier(socket, dispatcher, workers);
        notifier.timer.execute(notifier::watchStart);
        Logger.debug("telling systemd through {}", socket);
        return notifier;
    }

    /** Timer thread: READY=1 as soon as every worker is ready, then STATUS= lines every few seconds. */
    private void watchStart() {
        if (stopping) {
            return;
        }
        if (dispatcher.readyWorkers() >= workers) {
            ready = true;
            send("READY=1\nSTATUS=" + status());
            timer.scheduleWithFixedDelay(this::sendStatus, STATUS_PERIOD_MILLIS, STATUS_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
            return;
        }
        String starting = "starting: " + dispatcher.readyWorkers() + "/" + workers + " workers ready";
        if (!starting.equals(lastStartingStatus)) {
            lastStartingStatus = starting;
            send("STATUS=" + starting);
        }
        timer.schedule(this::watchStart, STARTING_POLL_MILLIS, TimeUnit.MILLISECONDS);
    }

    private void sendStatus() {
        if (!stopping && reloadsRunning.get() == 0) {
            send("STATUS=" + status());
        }
    }

    /**
     * Runs a reload between RELOADING=1 and READY=1 (on SIGHUP). Before the agent was first ready
     * there is nothing to say: the first READY=1 comes when every worker is.
     *
     * @param reload starts the reload; completes with whether the new script runs everywhere
     */
    public void aroundReload(Supplier<CompletableFuture<Boolean>> reload) {
        boolean told = socket != null && ready && !stopping;
        if (told) {
            reloadsRunning.incrementAndGet();
            // First, and from this thread: the READY=1 that ends it cannot overtake it.
            send("RELOADING=1\nMONOTONIC_USEC=" + socket.monotonicMicros() + "\nSTATUS=reloading the script");
        }
        reload.get().whenComplete((done, error) -> {
            if (error != null) {
                // A refused reload is logged where it is refused; this is the unforeseen kind.
                Logger.error(error, "the reload failed; the workers keep the script they run");
            }
            if (told && reloadsRunning.decrementAndGet() == 0 && !stopping) {
                String outcome = Boolean.TRUE.equals(done) ? "" : "last reload refused (see the log); ";
                send("READY=1\nSTATUS=" + outcome + status());
            }
        });
    }

    /** The SIGTERM drain starts. */
    public void stopping() {
        stopping = true;
        if (socket != null) {
            send("STOPPING=1\nSTATUS=stopping: answering " + dispatcher.pendingJobs() + " NOTIFYs in flight");
        }
    }

    /** What {@code systemctl status} shows as the agent's status line. */
    private String status() {
        MetricsSnapshot counts = dispatcher.metrics().snapshot();
        return dispatcher.readyWorkers() + "/" + workers + " workers ready, " + counts.acks() + " NOTIFYs answered (" + counts.errors()
                + " with the error variable), " + counts.jobsInFlight() + " in flight";
    }

    /** Worker slots with a ready incarnation: during a reload, a slot's old and new one count once. */
    private void send(String message) {
        try {
            socket.send(message);
            Logger.debug("told systemd: {}", message.replace('\n', ' '));
        } catch (LastErrorException e) {
            if (sendFailedBefore.compareAndSet(false, true)) {
                Logger.warn("cannot tell systemd through {}: {}", socket, Privileges.reason(e));
            } else {
                Logger.debug("cannot tell systemd through {}: {}", socket, Privileges.reason(e));
            }
        }
    }

    @Override
    public void close() {
        stopping = true;
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
