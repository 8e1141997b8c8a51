package dev.spoa.bench.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The SPOP load generator: plays HAProxy's side against an agent. Opens the plan's connections
 * (each with its HELLO), splits them over the plan's threads (one selector each), and runs warm-up,
 * measured window and drain on one schedule shared by every thread.
 */
public final class LoadGenerator {
    /** How long the end of a run waits for the ACKs still outstanding. */
    static final Duration DRAIN = Duration.ofSeconds(2);
    private static final Duration HELLO_TIMEOUT = Duration.ofSeconds(10);
    /** Lets every thread register its connections before the load starts. */
    private static final Duration START_DELAY = Duration.ofMillis(50);

    private LoadGenerator() {
    }

    /**
     * Connects and starts the load; returns at once with the run, whose schedule says when its
     * window opens and closes.
     *
     * @throws LoadFailure when a connection or its HELLO fails (nothing is left open)
     */
    public static LoadRun start(LoadPlan plan) {
        List<Connection> connections = new ArrayList<>();
        int maxFrameSize = HelloExchange.OFFERED_MAX_FRAME_SIZE;
        try {
            for (int number = 0; number < plan.connections(); number++) {
                HelloExchange.Opened opened = HelloExchange.open(plan.endpoint(), HELLO_TIMEOUT);
                connections.add(new Connection(number, opened.channel(), plan.inFlight(), opened.maxFrameSize()));
                maxFrameSize = Math.min(maxFrameSize, opened.maxFrameSize());
            }
        } catch (LoadFailure e) {
            connections.forEach(Connection::close);
            throw new LoadFailure("connection " + connections.size() + ": " + e.getMessage(), e);
        }
        int threads = Math.min(plan.threads(), plan.connections());
        Schedule schedule = Schedule.startingAt(System.nanoTime() + START_DELAY.toNanos(), plan.warmup(), plan.duration(), DRAIN);
        List<LoadLoop> loops = new ArrayList<>();
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            List<Connection> share = new ArrayList<>();
            for (int c = t; c < connections.size(); c += threads) {
                share.add(connections.get(c));
            }
            LoadLoop loop = new LoadLoop(share, schedule, plan.pacing(), plan.connections(), plan.check(), maxFrameSize);
            Thread thread = new Thread(loop, "spop-load-" + t);
            thread.setDaemon(true);
            loops.add(loop);
            running.add(thread);
        }
        running.forEach(Thread::start);
        return new LoadRun(schedule, running, loops);
    }
}
