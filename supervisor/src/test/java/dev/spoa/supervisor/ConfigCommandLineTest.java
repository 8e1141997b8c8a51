package dev.spoa.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -c FILE} under the flags, and {@code check}: what an operator runs before a start or a reload. */
class ConfigCommandLineTest {
    @TempDir
    Path dir;

    private record Outcome(int status, String out, String err) {
    }

    private static Outcome run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Outcome(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Path config(String text) throws Exception {
        Files.createDirectories(dir.resolve("handlers"));
        Files.writeString(dir.resolve("handlers/ok.lua"), "spoa.register_message(\"a\", function(args) end)\n");
        Files.writeString(dir.resolve("handlers/broken.lua"), "spoa.register_message(\n");
        return Files.writeString(dir.resolve("spoa.conf"), text);
    }

    @Test
    void flagsOverrideTheFileAndRelativePathsStartAtIt() throws Exception {
        Path file = config("""
                file = handlers/ok.lua
                port = 1000
                workers = 3
                timeout = 700
                """);
        StartCommand parsed = new StartCommand();
        parsed.config = file.toString();
        AgentConfig config = Main.withConfigFile(parsed, new String[] {"-c", file.toString(), "-p", "2000", "-n", "4"}).toConfig();
        assertEquals(2000, config.tcp().orElseThrow().getPort(), "the flag wins");
        assertEquals(4, config.workers(), "the flag wins");
        assertEquals(700, config.jobTimeout().toMillis(), "the file's, no flag given");
        assertEquals(dir.resolve("handlers/ok.lua"), config.script(), "relative to the file, not the working directory");
    }

    @Test
    void checkCompilesTheScriptAndStartsNothing() throws Exception {
        Path file = config("file = handlers/ok.lua\n");
        Outcome ok = run("check", "-c", file.toString());
        assertEquals(0, ok.status(), ok.err());
        assertEquals("spoa-supervisor: configuration OK; " + dir.resolve("handlers/ok.lua") + " registers 1 messages [a]\n", ok.out());

        Outcome broken = run("check", "-c", file.toString(), "-f", dir.resolve("handlers/broken.lua").toString());
        assertEquals(1, broken.status());
        assertEquals(1, broken.err().lines().count(), broken.err());
        assertTrue(broken.err().startsWith("spoa-supervisor: " + dir.resolve("handlers/broken.lua") + ":"), broken.err());
    }

    @Test
    void theShippedConfigurationChecksOut() {
        Path shipped = Path.of("").toAbsolutePath();
        while (!Files.isRegularFile(shipped.resolve("conf/spoa.conf"))) {
            shipped = shipped.getParent();
        }
        Outcome outcome = run("check", "-c", shipped.resolve("conf/spoa.conf").toString());
        assertEquals(0, outcome.status(), outcome.err());
        assertTrue(outcome.out().contains("examples/ip_reputation.lua registers 1 messages [check-client-ip]"), outcome.out());
    }

    @Test
    void aBadSettingIsOneLineNamingTheFileAndLine() throws Exception {
        Path file = config("file = handlers/ok.lua\nworkres = 3\n");
        Outcome typo = run("check", "-c", file.toString());
        assertEquals(2, typo.status());
        assertEquals("spoa-supervisor: " + file + ":2: unknown setting \"workres\" (did you mean \"workers\"?)\n", typo.err());

        Files.writeString(file, "file = handlers/ok.lua\nport = many\n");
        Outcome badValue = run("start", "-c", file.toString());
        assertEquals(2, badValue.status());
        assertEquals(1, badValue.err().lines().count(), badValue.err());
        assertTrue(badValue.err().startsWith("spoa-supervisor: " + file + ": "), badValue.err());

        Outcome missing = run("check", "-c", dir.resolve("nope.conf").toString());
        assertEquals(2, missing.status());
        assertEquals("spoa-supervisor: cannot read " + dir.resolve("nope.conf") + ": no such file\n", missing.err());
    }
}
