package dev.spoa.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StartCommandTest {

    private static AgentConfig parse(String... args) {
        StartCommand start = new StartCommand();
        JCommander.newBuilder().addObject(start).build().parse(args);
        return start.toConfig();
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
        ParameterException tooBig = assertThrows(ParameterException.class,
                () -> parse("-f", "x.lua", "--max-frame-size", Integer.toString(AgentConfig.LARGEST_FRAME_SIZE + 1)));
        assertTrue(tooBig.getMessage().startsWith("max-frame-size must be between 256"), tooBig.getMessage());
    }
}
