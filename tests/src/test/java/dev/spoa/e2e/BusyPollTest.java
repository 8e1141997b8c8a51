package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.TypedData;
import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.SpopClient;
import dev.spoa.testkit.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * --busy-poll: after a request the front's thread keeps running (polling) for the window instead of
 * sleeping, then sleeps again; without it, it sleeps as soon as the ACK is written. Told by the
 * thread's state in /proc: R while it polls (running or waiting for the core), S asleep in select.
 */
class BusyPollTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void theFrontPollsForTheWindowAfterARequestThenSleeps() throws Exception {
        int port = AgentProcess.freePort();
        try (AgentProcess agent = TestAgent.start(port, 1, "--busy-poll", "1000000");
             SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
            Path front = frontThread(agent);
            // A second of polling after each ACK: most looks within it find the thread running. Up
            // to three tries, as a machine that stalls for the whole second would see it asleep.
            int running = 0;
            for (int attempt = 1; attempt <= 3 && running < 5; attempt++) {
                answer(client, attempt);
                running = runningLooks(front);
            }
            assertTrue(running >= 5, running + " of 10 looks in the window found the front running\n" + agent.log());
            // With no request for longer than the window, it sleeps again: an idle agent costs nothing.
            assertTrue(Wait.until(WAIT, () -> runningLooks(front) == 0), "the front still polls long after the last request");
        }
    }

    @Test
    void withoutItTheFrontSleepsOnceItHasAnswered() throws Exception {
        int port = AgentProcess.freePort();
        try (AgentProcess agent = TestAgent.start(port, 1);
             SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
            Path front = frontThread(agent);
            answer(client, 1);
            assertTrue(runningLooks(front) <= 2, "the front ran in the 100-370 ms after an ACK, with nothing to do");
        }
    }

    private static void answer(SpopClient client, long stream) throws Exception {
        client.notify(stream, 1, List.of(new Message("count", List.of(new Argument("n", new TypedData.Int64(stream))))));
        assertInstanceOf(Ack.class, client.receive(WAIT));
    }

    /** Ten looks at the thread's state, 100 to 370 ms after the ACK: how many found it running. */
    private static int runningLooks(Path thread) {
        int running = 0;
        try {
            Thread.sleep(100);
            for (int look = 0; look < 10; look++) {
                if (state(thread) == 'R') {
                    running++;
                }
                Thread.sleep(30);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        return running;
    }

    private static char state(Path thread) {
        try {
            String stat = Files.readString(thread.resolve("stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path frontThread(AgentProcess agent) throws IOException {
        try (Stream<Path> threads = Files.list(Path.of("/proc", Long.toString(agent.process().pid()), "task"))) {
            return threads.filter(thread -> {
                try {
                    return Files.readString(thread.resolve("comm")).strip().equals("spoa-front");
                } catch (IOException e) {
                    return false; // a thread that ended meanwhile
                }
            }).findFirst().orElseThrow(() -> new AssertionError("no spoa-front thread in the agent"));
        }
    }
}
