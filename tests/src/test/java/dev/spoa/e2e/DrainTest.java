package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.AgentDisconnect;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.Frame;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.Notify;
import dev.spoa.protocol.Status;
import dev.spoa.protocol.TypedData;
import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.SpopClient;
import dev.spoa.testkit.Wait;
import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM under load. Eight connections pipeline {@code count} NOTIFYs without pause, each keeping
 * many more unanswered than the agent's in-flight cap, so that when the signal comes hundreds of
 * NOTIFYs per connection sit unread in the agent's socket buffers. Every NOTIFY whose write had
 * returned before the signal must get exactly one ACK with the handler's answer; every connection
 * must be told AGENT-DISCONNECT with status 0; the agent must exit 0. The senders go on sending
 * after the signal until they are told goodbye: nothing is asked of what they sent then, but that
 * it gets at most one ACK.
 */
class DrainTest {
    private static final int CONNECTIONS = 8;
    private static final int WORKERS = 3;
    /**
     * NOTIFYs each connection keeps unanswered: far above the agent's --max-in-flight (64 by
     * default), so the agent keeps pausing its reads and hundreds wait in its socket buffer; at
     * about 30 bytes each (15 KB) still well within a loopback receive window, so a write that
     * returned has landed in that buffer, as HAProxy's would when the agent is not far behind.
     */
    private static final int WINDOW = 500;
    private static final int BATCH = 50;
    /** ACKs every connection must have had before the signal: the load is steady by then. */
    private static final int WARM_UP = 1000;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void sigtermUnderLoadAnswersEveryNotifySentBeforeIt() throws Exception {
        int port = AgentProcess.freePort();
        // The drain may last the job timeout plus 1 s: 5 s leaves room for a machine that freezes.
        try (AgentProcess agent = TestAgent.start(port, WORKERS, "--timeout", "5000")) {
            List<Sender> senders = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                senders.add(new Sender(c, SpopClient.tcp(port)));
            }
            ExecutorService pool = Executors.newFixedThreadPool(CONNECTIONS);
            try {
                List<Future<Void>> running = new ArrayList<>();
                for (Sender sender : senders) {
                    running.add(pool.submit(sender));
                }
                assertTrue(Wait.until(WAIT, () -> running.stream().anyMatch(Future::isDone)
                        || senders.stream().allMatch(sender -> sender.acked.get() >= WARM_UP)), "no steady load:\n" + agent.log());
                assertTrue(running.stream().noneMatch(Future::isDone), "a sender stopped before the signal:\n" + agent.log());

                long[] ackedAtSignal = new long[CONNECTIONS];
                long[] writtenBeforeSignal = new long[CONNECTIONS];
                for (int c = 0; c < CONNECTIONS; c++) {
                    ackedAtSignal[c] = senders.get(c).acked.get();
                    // Each sender publishes its count (a volatile write) after its write call returned, and
                    // it is read here before the signal: every NOTIFY below it was completely written before.
                    writtenBeforeSignal[c] = senders.get(c).written.get();
                }
                long signalled = System.nanoTime();
                agent.signal("TERM");
                int status = agent.awaitExit(WAIT);
                long exitMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - signalled);
                for (Future<Void> sender : running) {
                    sender.get(WAIT.toSeconds(), TimeUnit.SECONDS); // also makes the senders' records visible here
                }

                List<String> failures = new ArrayList<>();
                long before = 0;
                long unansweredAtSignal = 0;
                long after = 0;
                long afterAcked = 0;
                for (int c = 0; c < CONNECTIONS; c++) {
                    Sender sender = senders.get(c);
                    failures.addAll(sender.problems);
                    before += writtenBeforeSignal[c];
                    unansweredAtSignal += writtenBeforeSignal[c] - ackedAtSignal[c];
                    after += sender.next - writtenBeforeSignal[c];
                    List<Long> missing = new ArrayList<>();
                    Map<Long, String> errors = new TreeMap<>();
                    for (long i = 0; i < writtenBeforeSignal[c]; i++) {
                        if (sender.errors.containsKey(i)) {
                            errors.put(i, sender.errors.get(i));
                        } else if (!sender.answered.contains(i)) {
                            missing.add(i);
                        }
                    }
                    for (long i = writtenBeforeSignal[c]; i < sender.next; i++) {
                        if (sender.answered.contains(i) || sender.errors.containsKey(i)) {
                            afterAcked++;
                        }
                    }
                    if (!missing.isEmpty()) {
                        failures.add("connection " + c + ": " + missing.size() + " of the " + writtenBeforeSignal[c]
                                + " NOTIFYs written before the signal got no ACK, the first " + missing.subList(0, Math.min(5, missing.size())));
                    }
                    if (!errors.isEmpty()) {
                        failures.add("connection " + c + ": " + errors.size() + " NOTIFYs written before the signal got the error variable: "
                                + errors.values().stream().distinct().toList());
                    }
                    if (!AgentDisconnect.of(Status.NORMAL).equals(sender.goodbye)) {
                        failures.add("connection " + c + ": no AGENT-DISCONNECT with status 0 but " + sender.goodbye);
                    }
                }
                System.out.printf("drain: %,d NOTIFYs written before SIGTERM on %d connections (%,d of them not yet answered at the signal),"
                        + " %,d sent after it (%,d of those answered); exit status %d %,d ms after the signal; %d failures%n",
                        before, CONNECTIONS, unansweredAtSignal, after, afterAcked, status, exitMillis, failures.size());
                assertTrue(failures.isEmpty(), String.join("\n", failures) + "\n" + agent.log());
                assertEquals(0, status, "SIGTERM is a clean stop:\n" + agent.log());
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * One connection, on its own thread: keeps WINDOW NOTIFYs unanswered, in batches, until the
     * agent says goodbye or closes the connection. NOTIFY {@code i} has stream-id {@code i} and asks
     * for {@code n = connection * 10^9 + i}.
     */
    private static final class Sender implements Callable<Void> {
        /** NOTIFYs 0 to written - 1 have been completely written: their write call returned. */
        final AtomicLong written = new AtomicLong();
        /** ACKs received so far, for the warm-up. */
        final AtomicLong acked = new AtomicLong();
        // The rest is the sender thread's alone until its future completes.
        final Set<Long> outstanding = new HashSet<>();
        final Set<Long> answered = new HashSet<>();
        final Map<Long, String> errors = new TreeMap<>();
        final List<String> problems = new ArrayList<>();
        Frame goodbye;
        long next;

        private final int connection;
        private final SocketAddress address;

        Sender(int connection, SocketAddress address) {
            this.connection = connection;
            this.address = address;
        }

        private long asked(long i) {
            return connection * 1_000_000_000L + i;
        }

        @Override
        public Void call() throws Exception {
            try (SpopClient client = SpopClient.connect(address, WAIT)) {
                boolean sending = true;
                while (true) {
                    if (sending && outstanding.size() < WINDOW) {
                        List<Notify> batch = new ArrayList<>();
                        while (batch.size() < BATCH && outstanding.size() < WINDOW) {
                            outstanding.add(next);
                            batch.add(new Notify(next, 1, List.of(new Message("count", List.of(new Argument("n", new TypedData.Int64(asked(next))))))));
                            next++;
                        }
                        try {
                            client.sendAll(batch);
                            written.set(next);
                        } catch (IOException closing) {
                            sending = false; // the agent closed; its goodbye may still be waiting to be read
                        }
                    }
                    Frame frame = client.receive(WAIT);
                    if (frame instanceof Ack ack) {
                        onAck(ack);
                    } else if (frame instanceof AgentDisconnect) {
                        goodbye = frame;
                        if (!client.closedByAgent(WAIT)) {
                            problems.add("connection " + connection + ": a frame after AGENT-DISCONNECT");
                        }
                        return null;
                    } else if (frame == null) {
                        return null; // closed without a goodbye
                    } else {
                        problems.add("connection " + connection + ": unexpected " + frame);
                    }
                }
            }
        }

        private void onAck(Ack ack) {
            long i = ack.streamId();
            if (ack.frameId() != 1 || !outstanding.remove(i)) {
                problems.add("connection " + connection + ": ACK for stream " + i + " frame " + ack.frameId() + ", which is not outstanding");
                return;
            }
            acked.incrementAndGet();
            Map<String, TypedData> vars = AgentProtocolTest.vars(ack);
            if (vars.get("error") instanceof TypedData.Text reason) {
                errors.put(i, reason.asString());
            } else if (new TypedData.Int64(asked(i) + 1).equals(vars.get("next"))) {
                answered.add(i);
            } else {
                problems.add("connection " + connection + ": stream " + i + " answered " + vars);
            }
        }
    }
}
