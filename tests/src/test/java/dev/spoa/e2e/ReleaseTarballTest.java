package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release as an operator installs it: dist/target/spoa-<version>.tar.gz unpacked in a folder of
 * its own and started exactly as the README says, with a PATH that has java and the few tools the
 * script uses but no Maven, so nothing can be built on the way.
 */
class ReleaseTarballTest {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void theUnpackedTarballRunsTheExampleWithOnlyAJdk(@TempDir Path dir) throws Exception {
        Path tarball = tarball();
        Path unpacked = dir.resolve("opt");
        Files.createDirectories(unpacked);
        run(List.of("tar", "xzf", tarball.toString(), "-C", unpacked.toString()));
        Path home;
        try (Stream<Path> entries = Files.list(unpacked)) {
            home = entries.filter(entry -> entry.getFileName().toString().startsWith("spoa-")).findFirst().orElseThrow();
        }
        for (String expected : List.of("bin/spoa-supervisor", "conf/examples/ip_reputation.lua", "README.md")) {
            assertTrue(Files.exists(home.resolve(expected)), expected + " in " + tarball);
        }
        assertTrue(Files.isExecutable(home.resolve("bin/spoa-supervisor")));
        try (Stream<Path> jars = Files.list(home.resolve("lib"))) {
            List<String> names = jars.map(jar -> jar.getFileName().toString()).toList();
            assertTrue(names.stream().allMatch(name -> name.endsWith(".jar")), "lib/ holds jars only: " + names);
            assertTrue(names.stream().anyMatch(name -> name.startsWith("spoa-supervisor")), names.toString());
            assertTrue(names.stream().anyMatch(name -> name.startsWith("spoa-worker")), names.toString());
        }

        Path path = dir.resolve("path");
        Files.createDirectories(path);
        Files.createSymbolicLink(path.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
        for (String tool : List.of("bash", "dirname", "sed")) {
            Files.createSymbolicLink(path.resolve(tool), which(tool));
        }

        int port = AgentProcess.freePort();
        AgentProcess agent = AgentProcess.launch(home, List.of("start", "-f", "conf/examples/ip_reputation.lua", "-p",
                Integer.toString(port)), Map.of("PATH", path.toString()));
        try {
            agent.awaitReady(5, WAIT); // the default: 5 workers
            try (SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
                client.notify(1, 1, List.of(checkClientIp("127.0.0.1")));
                assertEquals(new TypedData.Int32(100), scoreIn(client.receive(WAIT)), "loopback is trusted");
                client.notify(2, 1, List.of(checkClientIp("192.0.2.7")));
                assertEquals(new TypedData.Int32(checksumScore("192.0.2.7")), scoreIn(client.receive(WAIT)));
            }
            assertEquals(0, agent.stop(WAIT), agent.log());
        } finally {
            agent.close();
        }
        assertFalse(agent.log().contains("building the jars"), agent.log());
        try (Stream<Path> everything = Files.walk(home)) {
            assertTrue(everything.noneMatch(file -> file.getFileName().toString().equals("target")), "nothing was built");
        }
    }

    /** dist/target/spoa-<version>.tar.gz, as `mvn package` leaves it. */
    private static Path tarball() throws IOException {
        Path target = AgentProcess.root().resolve("dist/target");
        try (Stream<Path> files = Files.exists(target) ? Files.list(target) : Stream.empty()) {
            return files.filter(file -> file.getFileName().toString().matches("spoa-.+\\.tar\\.gz")).findFirst()
                    .orElseThrow(() -> new AssertionError("no spoa-<version>.tar.gz in " + target + ": run mvn package first"));
        }
    }

    private static Path which(String tool) {
        for (String dir : List.of("/usr/bin", "/bin", "/usr/local/bin")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new AssertionError(tool + " not found");
    }

    private static void run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), String.join(" ", command));
        assertEquals(0, process.exitValue(), String.join(" ", command) + ": " + output);
    }

    private static Message checkClientIp(String ip) {
        return new Message("check-client-ip", List.of(new Argument("ip", TypedData.Ipv4.parse(ip))));
    }

    private static TypedData scoreIn(Object frame) {
        Ack ack = assertInstanceOf(Ack.class, frame);
        Map<String, TypedData> vars = new HashMap<>(AgentProtocolTest.vars(ack));
        assertEquals(1, vars.size(), "only ip_score: " + vars);
        return vars.get("ip_score");
    }

    /** conf/examples/ip_reputation.lua's score of an address other than loopback. */
    private static int checksumScore(String ip) {
        int sum = 0;
        for (int i = 0; i < ip.length(); i++) {
            sum += ip.charAt(i) * (i + 1);
        }
        return sum % 101;
    }
}
