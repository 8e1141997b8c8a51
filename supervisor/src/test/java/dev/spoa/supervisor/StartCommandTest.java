package dev.spoa.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StartCommandTest {

    private static AgentConfig parse(String... args) {
        StartCommand start = new StartCommand();
        JCommander.newBuilder().addObject(start).build().parse(args);
        return start.toConfig();
    }

    private static AgentConfig parse(Map<String, String> environment, String... args) {
        StartCommand start = new StartCommand();
        start.environment = environment::get;
        JCommander.newBuilder().addObject(start).build().parse(args);
        return start.toConfig();
    }

    @Test
    void theCacheDirIsSystemdsThenTheUsersCache() {
        assertEquals(Optional.of(Path.of("/var/cache/spoa")),
                parse(Map.of("CACHE_DIRECTORY", "/var/cache/spoa:/var/cache/other", "XDG_CACHE_HOME", "/x", "HOME", "/home/u"),
                        "-f", "x.lua").cacheDir());
        assertEquals(Optional.of(Path.of("/x/spoa")), parse(Map.of("XDG_CACHE_HOME", "/x", "HOME", "/home/u"), "-f", "x.lua").cacheDir());
        assertEquals(Optional.of(Path.of("/home/u/.cache/spoa")),
                parse(Map.of("XDG_CACHE_HOME", "relative", "HOME", "/home/u"), "-f", "x.lua").cacheDir());
        assertEquals(Optional.empty(), parse(Map.of(), "-f", "x.lua").cacheDir());
        // Root's home is not the user's it becomes; systemd's folder is made for that user.
        assertEquals(Optional.empty(), parse(Map.of("HOME", "/root"), "-f", "x.lua", "--user", "nobody").cacheDir());
        assertEquals(Optional.of(Path.of("/var/cache/spoa")),
                parse(Map.of("CACHE_DIRECTORY", "/var/cache/spoa"), "-f", "x.lua", "--user", "nobody").cacheDir());
    }

    @Test
    void theCacheDirFlagComesFirst() {
        Map<String, String> systemd = Map.of("CACHE_DIRECTORY", "/var/cache/spoa");
        assertEquals(Optional.of(Path.of("/srv/cache")), parse(systemd, "-f", "x.lua", "--cache-dir", "/srv/cache/").cacheDir());
        assertEquals(Optional.of(Path.of("").toAbsolutePath().resolve("c")), parse(systemd, "-f", "x.lua", "--cache-dir", "c").cacheDir());
        assertEquals(Optional.empty(), parse(systemd, "-f", "x.lua", "--cache-dir", "none").cacheDir());
        assertThrows(ParameterException.class, () -> parse(systemd, "-f", "x.lua", "--cache-dir", " "));
    }

    @Test
    void defaultsAreTheOriginalAgents() {
        AgentConfig config = parse("-f", "x.lua");
        assertEquals(Optional.of(new InetSocketAddress("127.0.0.1", 12345)), config.tcp());
        assertEquals(Optional.empty(), config.unixSocket());
        assertEquals(5, config.workers());
        assertEquals(Path.of("x.lua"), config.script());
        assertEquals("error", config.errorVariable().name());
        assertEquals(AgentConfig.LARGEST_FRAME_SIZE, config.maxFrameSize());
        assertEquals(Duration.ZERO, config.busyPoll(), "the front sleeps as soon as it has nothing to do");
    }

    @Test
    void busyPollIsInMicroseconds() {
        assertEquals(Duration.ofNanos(500_000), parse("-f", "x.lua", "--busy-poll", "500").busyPoll());
        assertEquals(AgentConfig.MAX_BUSY_POLL, parse("-f", "x.lua", "--busy-poll", "1000000").busyPoll());
    }

    @Test
    void unixSocketAloneOrWithTcp() {
        AgentConfig unixOnly = parse("-f", "x.lua", "--unix", "/run/spoa.sock");
        assertTrue(unixOnly.tcp().isEmpty());
        assertEquals(Optional.of(Path.of("/run/spoa.sock")), unixOnly.unixSocket());
        AgentConfig both = parse("-f", "x.lua", "--unix", "/run/spoa.sock", "-p", "9000");
        assertEquals(9000, both.tcp().orElseThrow().getPort());
        AgentConfig ipv6 = parse("-f", "x.lua", "--bind", "::1", "--unix", "/run/spoa.sock");
        assertEquals("0:0:0:0:0:0:0:1", ipv6.tcp().orElseThrow().getAddress().getHostAddress());
    }

    @Test
    void badValuesAreOneClearLine() {
        assertThrows(ParameterException.class, () -> parse("-p", "1"));
        assertThrows(ParameterException.class, () -> parse("-f", "x.lua", "-p", "70000"));
        assertThrows(ParameterException.class, () -> parse("-f", "x.lua", "--bind", "example.com"));
        assertThrows(ParameterException.class, () -> parse("-f", "x.lua", "-n", "0"));
        assertThrows(ParameterException.class, () -> parse("-f", "x.lua", "--timeout", "0"));
        assertThrows(ParameterException.class, () -> parse("-f", "x.lua", "--error-var", "bad name"));
        ParameterException busyPoll = assertThrows(ParameterException.class, () -> parse("-f", "x.lua", "--busy-poll", "-1"));
        assertEquals("--busy-poll must be between 0 and 1000000 microseconds: -1", busyPoll.getMessage());
        assertThrows(ParameterException.class, () -> parse("-f", "x.lua", "--busy-poll", "1000001"));
        assertThrows(ParameterException.class, () -> parse("-f", "x.lua", "--busy-poll", "9223372036854775807"));
        ParameterException tooBig = assertThrows(ParameterException.class,
                () -> parse("-f", "x.lua", "--max-frame-size", Integer.toString(AgentConfig.LARGEST_FRAME_SIZE + 1)));
        assertTrue(tooBig.getMessage().startsWith("max-frame-size must be between 256"), tooBig.getMessage());
    }
}
