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
import dev.spoa.testkit.Wait;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --user: the front binds as root (a port below 1024, a Unix socket with the mode and group asked
 * for), then every thread of every spoa process runs as the user, and the run dir is the user's.
 * The user is {@code nobody}, which Debian and most systems have; the tests that need root skip
 * themselves, saying so, when not run as root.
 */
class PrivilegeDropTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String USER = "nobody";

    private record Outcome(int status, String output) {
        String onlyLine() {
            List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
            assertEquals(1, lines.size(), "one line, not:\n" + output);
            assertFalse(output.contains("\tat "), "no stack trace:\n" + output);
            return lines.get(0);
        }
    }

    @Test
    void bindsAsRootThenEverySpoaProcessRunsAsTheUser(@TempDir Path dir) throws Exception {
        assumeRootAndUser();
        int uid = id("-u", USER);
        int gid = id("-g", USER);
        String socketGroup = groupExists("daemon") ? "daemon" : groupName(USER);
        // The user must reach what it is given: the run dir's parent and the socket's folder are its own.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        Path runParent = ownedBy(Files.createDirectories(dir.resolve("run")));
        Path socketDir = ownedBy(Files.createDirectories(dir.resolve("sock")));
        Path socket = socketDir.resolve("spoa.sock");
        int port = freePortBelow1024();

        try (AgentProcess agent = AgentProcess.launch(List.of("start", "-f", TestAgent.script("e2e.lua"), "-p", Integer.toString(port),
                "--unix", socket.toString(), "--unix-mode", "660", "--unix-group", socketGroup, "--user", USER, "-n", "2",
                "--run-dir", runParent.toString()))) {
            agent.awaitReady(2, WAIT);
            assertTrue(agent.log().contains("running as user " + USER), agent.log());
            assertFalse(agent.log().contains("running as root"), "no warning about root: it was dropped\n" + agent.log());

            // Served on both, the port below 1024 included.
            for (SocketAddress address : List.of(SpopClient.tcp(port), UnixDomainSocketAddress.of(socket))) {
                try (SpopClient client = SpopClient.connect(address, WAIT)) {
                    client.notify(1, 1, List.of(new Message("count", List.of(new Argument("n", new TypedData.Int64(41))))));
                    Ack ack = assertInstanceOf(Ack.class, client.receive(WAIT));
                    assertEquals(new TypedData.Int64(42), AgentProtocolTest.vars(ack).get("next"), "served on " + address);
                }
            }

            // Every thread of the front and of every process under it: the user's ids, all four, and no root group.
            List<ProcessHandle> processes = new ArrayList<>(List.of(agent.process().toHandle()));
            processes.addAll(agent.process().descendants().toList());
            assertTrue(agent.workers().size() == 2, "both workers are there: " + processes);
            for (ProcessHandle process : processes) {
                assertThreadsRunAs(process.pid(), uid, gid);
            }
            // Marked dumpable again after the switch: the user owns the front's /proc files (jcmd and jstack work).
            assertEquals(USER, Files.getOwner(Path.of("/proc/" + agent.process().pid())).getName());

            // The run dir and everything in it.
            List<Path> runDirs;
            try (Stream<Path> list = Files.list(runParent)) {
                runDirs = list.toList();
            }
            assertEquals(1, runDirs.size(), runDirs.toString());
            try (Stream<Path> files = Files.walk(runDirs.get(0))) {
                for (Path file : files.toList()) {
                    assertEquals(USER, Files.getOwner(file, LinkOption.NOFOLLOW_LINKS).getName(), file + " belongs to " + USER);
                }
            }

            // The Unix socket: the user's, the group and the mode asked for.
            PosixFileAttributes socketAttributes = Files.readAttributes(socket, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            assertEquals(USER, socketAttributes.owner().getName());
            assertEquals(socketGroup, socketAttributes.group().getName());
            assertEquals("rw-rw----", PosixFilePermissions.toString(socketAttributes.permissions()));

            // Workers set PR_SET_PDEATHSIG themselves after they start, which is after the drop: they still die with the front.
            List<ProcessHandle> workers = agent.workers();
            agent.signal("KILL");
            assertTrue(Wait.until(WAIT, () -> workers.stream().noneMatch(ProcessHandle::isAlive)),
                    "the workers die with a killed front");
        }
    }

    @Test
    void rootWithoutUserIsOneWarning() throws Exception {
        Assumptions.assumeTrue(isRoot(), "not root: the warning about running as root cannot be seen");
        try (AgentProcess agent = TestAgent.start(AgentProcess.freePort(), 1)) {
            List<String> warnings = agent.log().lines().filter(line -> line.contains("running as root")).toList();
            assertEquals(1, warnings.size(), agent.log());
            assertTrue(warnings.get(0).contains("WARN") && warnings.get(0).contains("--user"), warnings.get(0));
        }
    }

    /**
     * Not root: --user for another user is one line and status 1; --user for the user it is already
     * (the same flags under systemd's User=, say) drops nothing and starts.
     */
    @Test
    void userWhileNotRoot(@TempDir Path dir) throws Exception {
        assumeRootAndUser(); // to become someone else for the test
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path script = dir.resolve("handler.lua");
        Files.copy(Path.of(TestAgent.script("e2e.lua")), script);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));

        Outcome other = runAs(USER, "start", "-f", script.toString(), "-p", Integer.toString(AgentProcess.freePort()), "--user", "daemon");
        assertEquals(1, other.status(), other.output());
        assertTrue(other.onlyLine().contains("--user daemon: only root can switch to another user"), other.output());

        Process same = new ProcessBuilder("runuser", "-u", USER, "--", AgentProcess.root().resolve("bin/spoa-supervisor").toString(),
                "start", "-f", script.toString(), "-p", Integer.toString(AgentProcess.freePort()), "-n", "1", "--user", USER)
                .redirectErrorStream(true).redirectOutput(dir.resolve("same.log").toFile()).start();
        try {
            assertTrue(Wait.until(WAIT, () -> read(dir.resolve("same.log")).contains("(generation 0) ready") || !same.isAlive()),
                    read(dir.resolve("same.log")));
            assertTrue(same.isAlive(), "started as " + USER + " with --user " + USER + ":\n" + read(dir.resolve("same.log")));
        } finally {
            List<ProcessHandle> descendants = same.descendants().toList();
            descendants.forEach(ProcessHandle::destroy); // runuser's child, the front: SIGTERM, a clean stop
            same.waitFor(30, TimeUnit.SECONDS);
            same.destroyForcibly();
            descendants.forEach(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void badPrivilegeFlagsAreOneLineAndStatus2() throws Exception {
        String script = TestAgent.script("e2e.lua");
        String unix = "/tmp/spoa-never-bound.sock";
        assertBadFlag("no such user: no-such-user-spoa", "start", "-f", script, "--user", "no-such-user-spoa");
        assertBadFlag("--group needs --user", "start", "-f", script, "--group", "daemon");
        assertBadFlag("no such group: no-such-group-spoa", "start", "-f", script, "--user", USER, "--group", "no-such-group-spoa");
        assertBadFlag("--unix-mode takes octal", "start", "-f", script, "--unix", unix, "--unix-mode", "999");
        assertBadFlag("give --unix PATH too", "start", "-f", script, "--unix-mode", "660");
        assertBadFlag("--unix-group: no such group", "start", "-f", script, "--unix", unix, "--unix-group", "no-such-group-spoa");
        assertBadFlag("is root", "start", "-f", script, "--user", "root");
    }

    private static void assertBadFlag(String expected, String... arguments) throws Exception {
        AgentProcess agent = AgentProcess.launch(List.of(arguments));
        try {
            assertTrue(agent.process().waitFor(60, TimeUnit.SECONDS), "exits by itself:\n" + agent.log());
            Outcome outcome = new Outcome(agent.process().exitValue(), agent.log());
            assertEquals(2, outcome.status(), outcome.output());
            assertTrue(outcome.onlyLine().contains(expected), "expected '" + expected + "' in: " + outcome.output());
        } finally {
            agent.close();
        }
    }

    /** Uid:, Gid: (real, effective, saved, filesystem) and Groups: of every thread of the process, from the kernel. */
    private static void assertThreadsRunAs(long pid, int uid, int gid) throws IOException {
        List<Path> tasks;
        try (Stream<Path> list = Files.list(Path.of("/proc/" + pid + "/task"))) {
            tasks = list.toList();
        }
        assertFalse(tasks.isEmpty());
        String expectedUid = "Uid:\t" + uid + "\t" + uid + "\t" + uid + "\t" + uid;
        String expectedGid = "Gid:\t" + gid + "\t" + gid + "\t" + gid + "\t" + gid;
        for (Path task : tasks) {
            List<String> status;
            try {
                status = Files.readAllLines(task.resolve("status"));
            } catch (IOException ended) {
                continue; // a thread that ended meanwhile
            }
            String where = "process " + pid + " thread " + task.getFileName() + " (" + line(status, "Name:") + ")";
            assertEquals(expectedUid, line(status, "Uid:"), where);
            assertEquals(expectedGid, line(status, "Gid:"), where);
            List<String> groups = List.of(line(status, "Groups:").substring("Groups:".length()).strip().split("\\s+"));
            assertFalse(groups.contains("0"), where + " is in group root: " + groups);
        }
    }

    private static String line(List<String> status, String prefix) {
        return status.stream().filter(line -> line.startsWith(prefix)).findFirst().orElseThrow().stripTrailing();
    }

    private static void assumeRootAndUser() throws Exception {
        Assumptions.assumeTrue(isRoot(), "not root: the privilege drop needs a test run as root (CI runs as root)");
        Assumptions.assumeTrue(run("id", "-u", USER).status() == 0, "no user " + USER + " on this host to drop to");
        Assumptions.assumeTrue(run("runuser", "--help").status() == 0, "runuser (util-linux) is not installed");
        // Workers are started as the user from the checkout's jars: they must be readable by it.
        Path jar = AgentProcess.root().resolve("supervisor/target/spoa-supervisor.jar");
        Assumptions.assumeTrue(run("runuser", "-u", USER, "--", "test", "-r", jar.toString()).status() == 0,
                USER + " cannot read " + jar + ": the checkout must be readable by other users for this test");
    }

    private static boolean isRoot() throws IOException {
        // "Uid:\treal\teffective\t...": the effective one decides.
        String uid = line(Files.readAllLines(Path.of("/proc/self/status")), "Uid:");
        return uid.split("\\s+")[2].equals("0");
    }

    private static int id(String option, String user) throws Exception {
        return Integer.parseInt(run("id", option, user).output().strip());
    }

    private static String groupName(String user) throws Exception {
        return run("id", "-gn", user).output().strip();
    }

    private static boolean groupExists(String group) throws Exception {
        return run("getent", "group", group).status() == 0;
    }

    /** {@code dir}, now owned by the user and its group. */
    private static Path ownedBy(Path dir) throws Exception {
        assertEquals(0, run("chown", USER + ":" + groupName(USER), dir.toString()).status());
        return dir;
    }

    private static Outcome runAs(String user, String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("runuser", "-u", user, "--", AgentProcess.root().resolve("bin/spoa-supervisor").toString()));
        command.addAll(List.of(arguments));
        return run(command.toArray(String[]::new));
    }

    private static Outcome run(String... command) throws Exception {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return new Outcome(127, notInstalled.getMessage());
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not end:\n" + output);
        }
        return new Outcome(process.exitValue(), output);
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "";
        }
    }

    /** A port below 1024 nobody listens on, from a random start, so that two runs rarely pick the same. */
    private static int freePortBelow1024() {
        int start = 600 + ThreadLocalRandom.current().nextInt(400);
        for (int i = 0; i < 400; i++) {
            int port = 600 + (start - 600 + i) % 400;
            try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // the next one
            }
        }
        throw new IllegalStateException("no free port between 600 and 999");
    }
}
