package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.TypedData;
import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.SpopClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent under systemd: what it tells the service manager through $NOTIFY_SOCKET (here a socket
 * the test owns, as systemd would), and the shipped unit passing {@code systemd-analyze verify}.
 */
class SystemdTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void tellsSystemdWhenReadyAroundAReloadAndWhenStopping(@TempDir Path dir) throws Exception {
        String socket = dir.resolve("notify.sock").toString();
        int port = AgentProcess.freePort();
        try (NotifyReceiver systemd = NotifyReceiver.bind(socket);
                AgentProcess agent = AgentProcess.launch(List.of("start", "-f", TestAgent.script("e2e.lua"), "-p",
                        Integer.toString(port), "-n", "2"), Map.of("NOTIFY_SOCKET", socket))) {
            String ready = systemd.await(message -> message.contains("READY=1"), WAIT, "READY=1", agent::log);
            assertEquals(2, agent.readyWorkers(), "READY=1 comes once every worker is ready, not before:\n" + agent.log());
            assertTrue(ready.contains("STATUS=2/2 workers ready"), ready);
            assertTrue(systemd.received().stream().anyMatch(message -> message.startsWith("STATUS=starting")),
                    "a status while the workers start: " + systemd.received());

            try (SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
                for (int i = 0; i < 3; i++) {
                    client.notify(2L * i + 1, 1, List.of(new Message("count", List.of(new Argument("n", new TypedData.Int64(i))))));
                    assertInstanceOf(Ack.class, client.receive(WAIT));
                }
            }

            agent.signal("HUP");
            String reloading = systemd.await(message -> message.contains("RELOADING=1"), WAIT, "RELOADING=1", agent::log);
            assertTrue(reloading.matches("(?s).*\\bMONOTONIC_USEC=[1-9][0-9]*\\b.*"),
                    "RELOADING=1 comes with the monotonic clock, in the same message (systemd 253+): " + reloading);
            String reloaded = systemd.await(message -> message.contains("READY=1"), WAIT, "READY=1 after the reload", agent::log);
            assertTrue(agent.log().contains("reload done"), "READY=1 once the reload is over: " + systemd.received() + "\n" + agent.log());
            assertTrue(reloaded.contains("STATUS=2/2 workers ready, 3 NOTIFYs answered"), reloaded);

            agent.process().destroy(); // SIGTERM
            String stopping = systemd.await(message -> message.contains("STOPPING=1"), WAIT, "STOPPING=1", agent::log);
            assertTrue(stopping.contains("STATUS=stopping"), stopping);
            assertEquals(0, agent.awaitExit(WAIT), agent.log());
        }
    }

    /** systemd may name its socket in the abstract namespace: '@', then the name. */
    @Test
    void reachesAnAbstractSocketToo() throws Exception {
        String socket = "@spoa-test-" + ProcessHandle.current().pid() + "-" + ThreadLocalRandom.current().nextInt(1_000_000);
        try (NotifyReceiver systemd = NotifyReceiver.bind(socket);
                AgentProcess agent = AgentProcess.launch(List.of("start", "-f", TestAgent.script("e2e.lua"), "-p",
                        Integer.toString(AgentProcess.freePort()), "-n", "1"), Map.of("NOTIFY_SOCKET", socket))) {
            String ready = systemd.await(message -> message.contains("READY=1"), WAIT, "READY=1", agent::log);
            assertTrue(ready.contains("STATUS=1/1 workers ready"), ready);
        }
    }

    /**
     * The shipped unit and its drop-in, with the install path replaced by this checkout (verify checks
     * that ExecStart= exists): {@code systemd-analyze verify} reports nothing about them. It prints
     * unknown keys and bad values as warnings with a zero exit status, so its output is read too.
     */
    @Test
    void systemdAnalyzeVerifyAcceptsTheUnit(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(onPath("systemd-analyze"), "systemd-analyze is not installed (apt-get install systemd): "
                + "the unit is not verified");
        Path shipped = AgentProcess.root().resolve("conf/systemd");
        String root = AgentProcess.root().toString();
        Path unit = dir.resolve("spoa.service");
        Files.writeString(unit, Files.readString(shipped.resolve("spoa.service")).replace("/opt/spoa", root));
        assertVerifies(unit, "the unit as shipped (User=spoa)");

        // The drop-in for the other way (root, then --user), which systemd-analyze reads from beside the unit.
        Path dropIns = Files.createDirectories(dir.resolve("spoa.service.d"));
        Path dropIn = shipped.resolve("spoa.service.d/run-as-root-then-drop.conf");
        Files.writeString(dropIns.resolve(dropIn.getFileName()), Files.readString(dropIn).replace("/opt/spoa", root));
        assertVerifies(unit, "the unit with its drop-in (root, then --user)");
    }

    private static void assertVerifies(Path unit, String what) throws IOException, InterruptedException {
        Process verify = new ProcessBuilder("systemd-analyze", "verify", unit.toString()).redirectErrorStream(true).start();
        String output = new String(verify.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(verify.waitFor(60, TimeUnit.SECONDS), "systemd-analyze verify did not end");
        assertEquals(0, verify.exitValue(), what + ":\n" + output);
        List<String> aboutUs = new ArrayList<>();
        for (String line : output.lines().toList()) {
            // Other units of the host may have their own complaints; ours are named by file or unit name.
            if (line.contains("spoa") || line.contains(unit.getParent().toString())) {
                aboutUs.add(line);
            }
        }
        assertEquals(List.of(), aboutUs, what + ": systemd-analyze verify has something to say:\n" + output);
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}
