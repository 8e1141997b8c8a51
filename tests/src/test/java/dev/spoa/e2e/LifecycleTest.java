package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.AgentDisconnect;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.Status;
import dev.spoa.protocol.TypedData;
import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.SpopClient;
import dev.spoa.testkit.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starting on a Unix socket, a worker dying under the agent, stopping with SIGTERM, the front dying,
 * and starting again after that.
 */
class LifecycleTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private static Ack count(SpopClient client, long streamId, long n) throws Exception {
        client.notify(streamId, 1, List.of(new Message("count", List.of(new Argument("n", new TypedData.Int64(n))))));
        return assertInstanceOf(Ack.class, client.receive(WAIT));
    }

    @Test
    void unixSocketServesAndSigtermStopsCleanly(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("spoa.sock");
        Path runParent = Files.createDirectories(dir.resolve("run"));
        try (AgentProcess agent = AgentProcess.start(List.of("-f", TestAgent.script("e2e.lua"), "--unix", socket.toString(),
                "-n", "2", "--run-dir", runParent.toString()), 2)) {
            SocketAddress address = UnixDomainSocketAddress.of(socket);
            try (SpopClient client = SpopClient.connect(address, WAIT)) {
                assertEquals(new TypedData.Int64(8), AgentProtocolTest.vars(count(client, 1, 7)).get("next"));
                try (var runDirs = Files.list(runParent)) {
                    assertEquals(1, runDirs.count(), "one fresh run dir while running");
                }
                assertEquals(0, agent.stop(WAIT), "SIGTERM is a clean stop:\n" + agent.log());
                assertEquals(AgentDisconnect.of(Status.NORMAL), client.receive(WAIT), "connections are told goodbye");
            }
            assertFalse(Files.exists(socket), "the socket file is removed");
            try (var runDirs = Files.list(runParent)) {
                assertEquals(0, runDirs.count(), "the run dir is removed");
            }
        }
    }

    @Test
    void aKilledWorkerIsReplacedAndTheAgentServesOn() throws Exception {
        int port = AgentProcess.freePort();
        try (AgentProcess agent = TestAgent.start(port, 2)) {
            List<ProcessHandle> before = agent.workers();
            assertEquals(2, before.size());
            before.get(0).destroyForcibly();
            assertTrue(Wait.until(WAIT, () -> agent.log().contains("generation 1) ready")), agent.log());
            assertEquals(2, agent.workers().size());
            try (SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
                for (int i = 0; i < 20; i++) {
                    assertEquals(new TypedData.Int64(i + 1), AgentProtocolTest.vars(count(client, 2L * i + 1, i)).get("next"));
                }
            }
        }
    }

    @Test
    void aRunawayHandlerGetsTimeoutAndItsWorkerIsKilledWhileTheOtherServes() throws Exception {
        int port = AgentProcess.freePort();
        try (AgentProcess agent = TestAgent.start(port, 2, "--timeout", "300");
                SpopClient spinner = SpopClient.connect(SpopClient.tcp(port), WAIT);
                SpopClient other = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
            spinner.notify(1, 1, List.of(new Message("spin", List.of())));
            for (int i = 0; i < 10; i++) {
                assertEquals(new TypedData.Int64(i + 1), AgentProtocolTest.vars(count(other, 2L * i + 1, i)).get("next"),
                        "the other worker serves on");
            }
            Ack timedOut = assertInstanceOf(Ack.class, spinner.receive(WAIT));
            assertEquals(TypedData.Text.of("timeout"), AgentProtocolTest.vars(timedOut).get("error"));
            assertTrue(Wait.until(WAIT, () -> agent.log().contains("generation 1) ready")),
                    "the stuck worker was replaced:\n" + agent.log());
            assertTrue(agent.log().contains("killing it"), agent.log());
            assertEquals(new TypedData.Int64(8), AgentProtocolTest.vars(count(spinner, 3, 7)).get("next"));
        }
    }

    @Test
    void theFrontGoesIdleAfterAClientThatReadLate() throws Exception {
        int port = AgentProcess.freePort();
        try (AgentProcess agent = TestAgent.start(port, 2, "--max-in-flight", "100000");
                SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
            // Far more ACKs than the sockets' buffers hold, while the reader sleeps: the agent's writes
            // go partial and it must wait for the socket to drain; once everything is read, the front
            // has nothing left to do and must not keep polling for writability.
            int count = 300_000;
            Thread sender = new Thread(() -> {
                try {
                    List<dev.spoa.protocol.Notify> batch = new java.util.ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        batch.add(new dev.spoa.protocol.Notify(2L * i + 1, 1, List.of(new Message("count",
                                List.of(new Argument("n", new TypedData.Int64(i)))))));
                        if (batch.size() == 500) {
                            client.sendAll(batch);
                            batch.clear();
                        }
                    }
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            sender.start();
            Thread.sleep(3000);
            for (int i = 0; i < count; i++) {
                assertInstanceOf(Ack.class, client.receive(WAIT));
            }
            sender.join();
            long before = frontThreadTicks(agent.process().pid());
            Thread.sleep(3000);
            long used = frontThreadTicks(agent.process().pid()) - before;
            assertTrue(used < 150, "the idle front thread used " + used + " of 300 CPU ticks in 3 s (spinning, it uses about 300)");
        }
    }

    /**
     * utime + stime of the agent's spoa-front thread, in clock ticks (100 a second on Linux): only
     * the loop itself, not the JIT or the collector, which may still be busy after the load.
     */
    private static long frontThreadTicks(long pid) throws Exception {
        try (var tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path task : tasks.toList()) {
                if (Files.readString(task.resolve("comm")).strip().equals("spoa-front")) {
                    String stat = Files.readString(task.resolve("stat"));
                    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                }
            }
        }
        throw new IllegalStateException("no spoa-front thread in process " + pid);
    }

    @Test
    void noWorkerOutlivesAKilledFront() throws Exception {
        int port = AgentProcess.freePort();
        try (AgentProcess agent = TestAgent.start(port, 2)) {
            List<ProcessHandle> workers = agent.workers();
            assertEquals(2, workers.size());
            agent.process().destroyForcibly();
            assertTrue(Wait.until(WAIT, () -> workers.stream().noneMatch(ProcessHandle::isAlive)), "workers die with the front");
        }
    }

    /**
     * A front killed with SIGKILL cannot remove its run dir, and there its worker's job queue still
     * holds jobs no handler ran. The next start under the same parent removes that dir, serves, and
     * never runs those jobs. The {@code record} handler appends each id it runs to a file.
     */
    @Test
    void aKilledFrontsRunDirIsRemovedAtTheNextStartAndNothingInItRuns(@TempDir Path dir) throws Exception {
        Path runParent = Files.createDirectories(dir.resolve("run"));
        Path recordFile = dir.resolve("recorded.txt");
        Map<String, String> environment = Map.of("SPOA_E2E_RECORD", recordFile.toString());
        Path stale;
        int firstPort = AgentProcess.freePort();
        // One worker and a timeout of a minute: the jobs queued behind the runaway handler stay in
        // that worker's queue, neither answered by timeout nor moved elsewhere.
        try (AgentProcess first = AgentProcess.start(agentFlags(firstPort, runParent), 1, environment);
                SpopClient client = SpopClient.connect(SpopClient.tcp(firstPort), WAIT)) {
            stale = onlyRunDir(runParent);
            assertEquals(TypedData.Text.of("before"), AgentProtocolTest.vars(record(client, 1, "before")).get("recorded"));
            client.notify(2, 1, List.of(new Message("spin", List.of())));
            for (int i = 0; i < 5; i++) {
                client.notify(3 + i, 1, List.of(recordMessage("queued-" + i)));
            }
            // Jobs go to the worker through a memory-mapped queue file in the run dir: once the last
            // id's bytes are in it, every one of them is queued there.
            assertTrue(Wait.until(WAIT, () -> anyFileContains(stale, "queued-4")), "the jobs reach the worker's queue:\n" + first.log());
            List<ProcessHandle> workers = first.workers();
            assertEquals(1, workers.size());
            first.signal("KILL");
            first.awaitExit(WAIT);
            assertTrue(Wait.until(WAIT, () -> workers.stream().noneMatch(ProcessHandle::isAlive)), "the worker dies with the front");
        }
        assertTrue(Files.isDirectory(stale), "a killed front leaves its run dir behind");
        assertEquals(List.of("before"), Files.readAllLines(recordFile));

        int secondPort = AgentProcess.freePort();
        try (AgentProcess second = AgentProcess.start(agentFlags(secondPort, runParent), 1, environment);
                SpopClient client = SpopClient.connect(SpopClient.tcp(secondPort), WAIT)) {
            assertFalse(Files.exists(stale), "the next start removes the stale run dir:\n" + second.log());
            assertTrue(second.log().contains("removing run dir " + stale), second.log());
            Path fresh = onlyRunDir(runParent);
            for (int i = 0; i < 5; i++) {
                Ack ack = record(client, 10 + i, "after-" + i);
                assertEquals(TypedData.Text.of("after-" + i), AgentProtocolTest.vars(ack).get("recorded"), "the new agent serves");
            }
            // One worker runs its jobs in order: a job replayed from the old queue would have run before these.
            assertEquals(List.of("before", "after-0", "after-1", "after-2", "after-3", "after-4"), Files.readAllLines(recordFile),
                    "no job of the killed front ran");
            System.out.printf("stale run dir %s removed; the new agent (run dir %s) ran only its own jobs%n",
                    stale.getFileName(), fresh.getFileName());
        }
    }

    private static List<String> agentFlags(int port, Path runParent) {
        return List.of("-f", TestAgent.script("e2e.lua"), "-p", Integer.toString(port), "-n", "1", "--timeout", "60000",
                "--run-dir", runParent.toString());
    }

    private static Message recordMessage(String id) {
        return new Message("record", List.of(new Argument("id", TypedData.Text.of(id))));
    }

    private static Ack record(SpopClient client, long streamId, String id) throws Exception {
        client.notify(streamId, 1, List.of(recordMessage(id)));
        return assertInstanceOf(Ack.class, client.receive(WAIT));
    }

    /** The one spoa-* run dir under {@code parent}. */
    private static Path onlyRunDir(Path parent) throws IOException {
        try (var dirs = Files.list(parent)) {
            List<Path> runDirs = dirs.filter(path -> path.getFileName().toString().startsWith("spoa-")).toList();
            assertEquals(1, runDirs.size(), "run dirs under " + parent + ": " + runDirs);
            return runDirs.get(0);
        }
    }

    /** Whether a file under {@code dir} holds these ASCII bytes. */
    private static boolean anyFileContains(Path dir, String text) {
        byte[] wanted = text.getBytes(StandardCharsets.US_ASCII);
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).anyMatch(file -> contains(file, wanted));
        } catch (IOException | UncheckedIOException e) {
            return false; // a queue file rolled away while we looked: look again
        }
    }

    private static boolean contains(Path file, byte[] wanted) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return false; // a file the agent is replacing right now
        }
        for (int i = 0; i + wanted.length <= bytes.length; i++) {
            if (bytes[i] == wanted[0] && Arrays.equals(bytes, i, i + wanted.length, wanted, 0, wanted.length)) {
                return true;
            }
        }
        return false;
    }
}
