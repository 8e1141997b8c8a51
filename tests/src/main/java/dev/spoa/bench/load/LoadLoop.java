package dev.spoa.bench.load;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One generator thread: its share of the connections on one selector. Per turn and connection:
 * one read, the ACKs scanned in place, their NOTIFYs' latencies recorded, new NOTIFYs written
 * into the connection's output array, one write. One clock read per readiness event serves as
 * the receive time of the ACKs read and the send time of the NOTIFYs that replace them. Nothing
 * is allocated per frame; the histogram and counters are the thread's own, merged at the end.
 */
final class LoadLoop implements Runnable {
    /**
     * Open loop: when the next NOTIFY is due sooner than this, poll (selectNow) instead of sleeping,
     * since select's timeout is in milliseconds and a sleep overshoots by about as much. The
     * generator has a core of its own (the bench pins it), so spinning there takes nothing from the agent.
     */
    private static final long SPIN_BELOW_NANOS = 2_000_000;

    /**
     * An array, not a list: the open loop goes over it millions of times a second while it spins,
     * and a list's iterator there was garbage the JIT did not remove (80 MB/s at 5,000 NOTIFY/s,
     * hence a young collection every second that held every send back 3 to 6 ms).
     */
    private final Connection[] connections;
    private final Schedule schedule;
    /** Open loop: nanoseconds between two NOTIFYs of one connection; 0 in a closed loop. */
    private final long interval;
    private final FrameScanner scanner;
    private final LatencyHistogram latency = new LatencyHistogram();
    private final Consumer<SelectionKey> onReady = this::onReady;
    private final List<String> failures = new ArrayList<>();
    private Selector selector;

    private long addresses;
    private long outstanding;
    private long acks;
    private long errors;
    private long empty;
    private long missing;
    private long mismatched;
    private long unanswered;
    private long backlog;

    LoadLoop(List<Connection> connections, Schedule schedule, Pacing pacing, int totalConnections, AckCheck check,
            int maxFrameSize) {
        this.connections = connections.toArray(Connection[]::new);
        this.schedule = schedule;
        this.interval = pacing instanceof Pacing.FixedRate rate ? Math.max(1, totalConnections * 1_000_000_000L / rate.perSecond()) : 0;
        this.scanner = new FrameScanner(check, maxFrameSize);
    }

    @Override
    public void run() {
        try (Selector opened = Selector.open()) {
            selector = opened;
            for (Connection connection : connections) {
                connection.key = connection.channel.register(selector, SelectionKey.OP_READ, connection);
            }
            Schedule.sleepUntil(schedule.start());
            if (interval == 0) {
                closedLoop();
            } else {
                openLoop();
            }
            drain();
        } catch (LoadFailure e) {
            failures.add(e.getMessage());
        } catch (IOException e) {
            failures.add("generator: " + e.getMessage());
        } finally {
            finish();
        }
    }

    private void closedLoop() throws IOException {
        long now = System.nanoTime();
        for (Connection connection : connections) {
            fill(connection, now);
            flush(connection);
        }
        for (now = System.nanoTime(); now < schedule.windowEnd(); now = System.nanoTime()) {
            selector.select(onReady, millisUntil(schedule.windowEnd(), now));
        }
    }

    private void openLoop() throws IOException {
        int stagger = 0;
        for (Connection connection : connections) {
            // Spread the connections' schedules over one interval, so the NOTIFYs come evenly.
            connection.nextDue = schedule.start() + interval * stagger++ / connections.length;
        }
        for (long now = System.nanoTime(); now < schedule.windowEnd(); now = System.nanoTime()) {
            long soonest = schedule.windowEnd();
            for (Connection connection : connections) {
                while (connection.nextDue <= now && connection.hasFreeSlot()) {
                    send(connection, connection.nextDue);
                    connection.nextDue += interval;
                }
                if (connection.hasOutput()) {
                    flush(connection);
                }
                if (connection.hasFreeSlot()) {
                    soonest = Math.min(soonest, connection.nextDue);
                } // else its next NOTIFY waits for an ACK, which wakes the selector
            }
            long wait = soonest - System.nanoTime();
            if (wait < SPIN_BELOW_NANOS) {
                selector.selectNow(onReady);
            } else {
                selector.select(onReady, wait / 1_000_000 - 1);
            }
        }
    }

    /** No more NOTIFYs: wait for the outstanding ACKs until the drain deadline. */
    private void drain() throws IOException {
        for (long now = System.nanoTime(); outstanding > 0 && now < schedule.drainDeadline(); now = System.nanoTime()) {
            selector.select(onReady, millisUntil(schedule.drainDeadline(), now));
        }
    }

    private static long millisUntil(long instant, long now) {
        return Math.max(1, (instant - now + 999_999) / 1_000_000); // 0 would mean "forever"
    }

    private void onReady(SelectionKey key) {
        Connection connection = (Connection) key.attachment();
        try {
            if (key.isWritable()) {
                connection.flush();
            }
            if (key.isReadable()) {
                if (connection.read() < 0) {
                    throw new LoadFailure("the agent closed the connection");
                }
                long now = System.nanoTime();
                scan(connection, now);
                if (interval == 0 && now < schedule.windowEnd()) {
                    fill(connection, now);
                }
                if (connection.hasOutput()) {
                    connection.flush();
                }
            }
        } catch (LoadFailure e) {
            throw new LoadFailure("connection " + connection.number + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new LoadFailure("connection " + connection.number + ": " + e.getMessage(), e);
        }
    }

    private void scan(Connection connection, long now) {
        byte[] in = connection.in;
        int end = connection.inEnd;
        int pos = 0;
        while (scanner.scan(in, pos, end)) {
            switch (scanner.type) {
                case FrameScanner.ACK -> answered(connection, now);
                case FrameScanner.AGENT_DISCONNECT -> throw Disconnects.failure(in, pos, scanner.frameEnd, connection.maxFrameSize);
                case FrameScanner.AGENT_HELLO -> throw new LoadFailure("the agent sent a second AGENT-HELLO");
                case 1, 2, 3 -> throw new LoadFailure("the agent sent frame type " + scanner.type + ", one HAProxy sends");
                default -> { } // unknown frame types are skipped, as HAProxy does
            }
            pos = scanner.frameEnd;
        }
        connection.consumed(pos);
    }

    private void answered(Connection connection, long now) {
        long sentAt = scanner.frameId == 1 ? connection.answered(scanner.streamId) : Connection.NOT_WAITING;
        if (sentAt == Connection.NOT_WAITING) {
            mismatched++;
            return;
        }
        outstanding--;
        if (!schedule.inWindow(sentAt)) {
            return; // a warm-up frame
        }
        acks++;
        latency.record(now - sentAt);
        if (scanner.setsError) {
            errors++;
        } else if (scanner.actions == 0) {
            empty++;
        } else if (!scanner.setsExpected) {
            missing++;
        }
    }

    /** Closed loop: a NOTIFY in every free slot. */
    private void fill(Connection connection, long now) {
        while (connection.hasFreeSlot()) {
            send(connection, now);
        }
    }

    private void send(Connection connection, long sentAt) {
        connection.queueNotify(sentAt, NotifyFrames.address(addresses++));
        outstanding++;
    }

    private void flush(Connection connection) {
        try {
            connection.flush();
        } catch (IOException e) {
            throw new LoadFailure("connection " + connection.number + ": " + e.getMessage(), e);
        }
    }

    private void finish() {
        for (Connection connection : connections) {
            unanswered += connection.waiting();
            if (interval > 0 && connection.nextDue < schedule.windowEnd()) {
                backlog += (schedule.windowEnd() - connection.nextDue + interval - 1) / interval;
            }
            connection.close();
        }
    }

    /** This thread's figures; call once the thread has ended. */
    LoadResult result() {
        return new LoadResult(schedule.window(), acks, latency, errors, empty, missing, mismatched, unanswered, backlog,
                failures);
    }
}
