package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.Action;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.TypedData;
import dev.spoa.testkit.AgentProcess;
import dev.spoa.protocol.Json;
import dev.spoa.testkit.SpopClient;
import dev.spoa.testkit.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the log goes (--log-file with rotation, --syslog, --log-format json) and that the workers'
 * lines, from their Lua handlers' spoa.log and from their JVM itself, reach it tagged with the worker.
 */
class LoggingTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** What a handler may well log: quotes, a backslash, a newline, a tab, a control character, accents, braces. */
    private static final String TRICKY = "say \"hi\" \\ back\nnew line\ttab \u0007 bell é ✓ {} {0}";

    private static List<String> arguments(int port, int workers, String... flags) {
        List<String> arguments = new ArrayList<>(List.of("start", "-f", TestAgent.script("logging.lua"), "-p", Integer.toString(port),
                "-n", Integer.toString(workers)));
        arguments.addAll(List.of(flags));
        return arguments;
    }

    /** Sends the "log" message and checks its ACK. */
    private static void logThroughAHandler(int port) throws Exception {
        try (SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
            client.notify(1, 1, List.of(new Message("log", List.of(new Argument("text", TypedData.Text.of(TRICKY))))));
            Ack ack = assertInstanceOf(Ack.class, client.receive(WAIT));
            Action.SetVar logged = assertInstanceOf(Action.SetVar.class, ack.actions().get(0));
            assertEquals(TypedData.Text.of("yes"), logged.value());
        }
    }

    /** Every file in the folder (the current log and the rotated ones), in name order; "" before the agent made it. */
    private static String allFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return "";
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.sorted().map(file -> {
                try {
                    return Files.readString(file);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).collect(Collectors.joining());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void logFileGetsTheFrontsAndTheWorkersLinesAndRotates(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("logs/spoa.log");
        int port = AgentProcess.freePort();
        AgentProcess agent = AgentProcess.launch(arguments(port, 2, "--log-file", file.toString(), "--log-file-size", "500",
                "--log-files-kept", "1000"));
        try {
            assertTrue(Wait.until(WAIT, () -> AgentProcess.readyWorkers(allFiles(file.getParent())) == 2),
                    "workers ready, said in the log file:\n" + allFiles(file.getParent()) + "\nconsole:\n" + agent.log());
            logThroughAHandler(port);
            assertTrue(Wait.until(WAIT, () -> allFiles(file.getParent()).contains("] tricky: " + TRICKY)),
                    "the handler's line:\n" + allFiles(file.getParent()));
            String log = allFiles(file.getParent());
            assertTrue(log.matches("(?s).*\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  \\[worker-[01]\\] tricky: say.*"), "time, level and worker:\n" + log);
            assertTrue(log.matches("(?s).*INFO  \\[worker-[01]\\] plain 1 true nil\n.*"), log);
            assertTrue(log.contains("listening on 127.0.0.1:" + port), "the front's lines too:\n" + log);
            assertFalse(agent.log().contains("listening on"), "nothing on the console:\n" + agent.log());
            try (Stream<Path> files = Files.list(file.getParent())) {
                List<String> names = files.map(path -> path.getFileName().toString()).sorted().toList();
                assertTrue(names.contains("spoa.log"), "the current file: " + names);
                assertTrue(names.stream().filter(name -> name.matches("spoa\\.log\\.\\d+")).count() >= 2, "rotated past 500 bytes: " + names);
            }
            assertEquals(0, agent.stop(WAIT));
            assertTrue(Files.readString(file).contains("stopped"), "the last line is in the current file");
        } finally {
            agent.close();
        }
    }

    @Test
    void jsonLinesParseAndCarryTheWorkerTheFrameAndTheWorkersLastWords() throws Exception {
        int port = AgentProcess.freePort();
        // A long timeout: the job that kills its worker is retried on the other worker, and is poison when that dies too.
        Map<String, String> environment = new HashMap<>();
        for (String variable : List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS")) {
            environment.put(variable, null); // the front's JVM would announce them on stderr, outside the log
        }
        AgentProcess agent = AgentProcess.launch(AgentProcess.root(), arguments(port, 2, "--log-format", "json", "--timeout", "30000"),
                environment);
        try {
            agent.awaitReady(2, WAIT);
            logThroughAHandler(port);
            try (SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
                client.notify(5, 2, List.of(new Message("oom", List.of())));
                Ack ack = assertInstanceOf(Ack.class, client.receive(Duration.ofSeconds(90)));
                assertEquals(5, ack.streamId());
                assertTrue(Wait.until(WAIT, () -> agent.log().contains("(generation 1) ready")), agent.log());
                client.notify(7, 3, List.of(new Message("die", List.of())));
                ack = assertInstanceOf(Ack.class, client.receive(Duration.ofSeconds(90)));
                assertEquals(7, ack.streamId());
            }
            assertTrue(Wait.until(WAIT, () -> agent.log().contains("was running in two workers that both died")), agent.log());

            List<Map<String, Object>> lines = new ArrayList<>();
            for (String line : agent.log().split("\n")) {
                if (!line.isEmpty()) {
                    lines.add(Json.object(line)); // every line is one JSON object: nothing unescaped broke one
                }
            }
            for (Map<String, Object> line : lines) {
                assertTrue(line.get("time") instanceof String && line.get("level") instanceof String && line.get("thread") instanceof String
                        && line.get("message") instanceof String, line.toString());
            }
            Map<String, Object> handlerLine = lines.stream().filter(line -> ("tricky: " + TRICKY).equals(line.get("message")))
                    .findFirst().orElseThrow(() -> new AssertionError("the handler's line, exactly:\n" + agent.log()));
            assertEquals("WARN", handlerLine.get("level"));
            assertTrue(handlerLine.get("worker") instanceof BigDecimal, handlerLine.toString());
            assertEquals("worker-" + handlerLine.get("worker"), handlerLine.get("thread"));

            Map<String, Object> memoryLine = lines.stream().filter(line -> line.containsKey("worker")
                    && ((String) line.get("message")).contains("the handler ran out of memory")).findFirst()
                    .orElseThrow(() -> new AssertionError("the worker's last line:\n" + agent.log()));
            assertEquals("ERROR", memoryLine.get("level"), memoryLine.toString());

            Map<String, Object> poison = lines.stream().filter(line -> ((String) line.get("message")).contains("two workers that both died"))
                    .findFirst().orElseThrow();
            assertEquals(new BigDecimal(7), poison.get("stream"), poison.toString());
            assertEquals(new BigDecimal(3), poison.get("frame"), poison.toString());
            assertTrue(poison.get("connection") instanceof BigDecimal, poison.toString());
            assertEquals(0, agent.stop(WAIT));
        } finally {
            agent.close();
        }
    }

    @Test
    void syslogGetsTheFrontsAndTheWorkersLines() throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        try (DatagramSocket syslog = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Thread receiver = new Thread(() -> {
                DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
                while (!syslog.isClosed()) {
                    try {
                        syslog.receive(packet);
                        received.add(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
                    } catch (IOException e) {
                        return; // closed
                    }
                }
            });
            receiver.start();
            int port = AgentProcess.freePort();
            AgentProcess agent = AgentProcess.launch(arguments(port, 1, "--syslog-address", "127.0.0.1:" + syslog.getLocalPort()));
            try {
                assertTrue(Wait.until(WAIT, () -> AgentProcess.readyWorkers(String.join("\n", received)) == 1),
                        "ready, said over syslog: " + received + "\nconsole:\n" + agent.log());
                logThroughAHandler(port);
                assertTrue(Wait.until(WAIT, () -> received.stream().anyMatch(message -> message.startsWith("<28>")
                        && message.contains(" spoa[" + agent.process().pid() + "]: WARN  [worker-0] tricky: " + TRICKY))),
                        "daemon.warning, the tag with the front's pid, the worker: " + received);
                assertTrue(received.stream().anyMatch(message -> message.startsWith("<30>") && message.contains("listening on")), received.toString());
                assertEquals(0, agent.stop(WAIT));
            } finally {
                agent.close();
                syslog.close();
                receiver.join(TimeUnit.SECONDS.toMillis(10));
            }
        }
    }

    @Test
    void aDestinationThatCannotBeWrittenIsOneLineBeforeAnythingStarts(@TempDir Path dir) throws Exception {
        AgentProcess agent = AgentProcess.launch(arguments(AgentProcess.freePort(), 1, "--syslog-address",
                dir.resolve("no-daemon-here").toString()));
        try {
            assertEquals(1, agent.awaitExit(WAIT));
            assertTrue(agent.log().strip().matches("spoa-supervisor: cannot send to syslog at \\S+no-daemon-here: [^\n]+"), agent.log());
        } finally {
            agent.close();
        }
        Files.writeString(dir.resolve("file"), "");
        agent = AgentProcess.launch(arguments(AgentProcess.freePort(), 1, "--log-file", dir.resolve("file/spoa.log").toString()));
        try {
            assertEquals(1, agent.awaitExit(WAIT));
            assertTrue(agent.log().strip().matches("spoa-supervisor: --log-file: cannot make the folder [^\n]+"), agent.log());
        } finally {
            agent.close();
        }
        agent = AgentProcess.launch(arguments(AgentProcess.freePort(), 1, "--log-format", "xml"));
        try {
            assertEquals(2, agent.awaitExit(WAIT));
            assertTrue(agent.log().strip().startsWith("spoa-supervisor: --log-format takes text or json: xml"), agent.log());
        } finally {
            agent.close();
        }
    }
}
