package dev.spoa.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configuration file becomes the flags it stands for; anything wrong is one line naming the file and line. */
class ConfigFileTest {
    private static final Map<String, Boolean> KNOWN = Map.of("file", false, "port", false, "debug", true, "error-var", false,
            "run-dir", false, "cache-dir", false);
    private static final Set<String> PATHS = Set.of("file", "run-dir", "cache-dir");
    private static final Map<String, String> WORDS = Map.of("cache-dir", "none");

    @TempDir
    Path dir;

    private List<String> read(String text) throws Exception {
        Path file = dir.resolve("spoa.conf");
        Files.writeString(file, text);
        return ConfigFile.read(file, KNOWN, PATHS, WORDS);
    }

    private String error(String text) {
        return assertThrows(ConfigFile.ConfigException.class, () -> read(text)).getMessage();
    }

    @Test
    void aPathSettingsWordStaysAWordOnlyForItsSetting() throws Exception {
        assertEquals(List.of("--cache-dir", "none", "--file", dir.resolve("none").toString()), read("""
                cache-dir = none
                file = none
                """));
    }

    @Test
    void settingsBecomeFlagsAndRelativePathsStartAtTheFilesDirectory() throws Exception {
        assertEquals(List.of("--file", dir.resolve("handlers/ip.lua").toString(), "--port", "12345", "--debug",
                        "--error-var", "a#b", "--run-dir", "/dev/shm"),
                read("""
                        # the handler
                        file = handlers/ip.lua
                          port=12345   # trailing comment

                        debug = yes
                        error-var = "a#b"   # quoted: the # is kept
                        run-dir = /dev/shm
                        """));
        assertEquals(List.of(), read("debug = off\n"), "a switch set to false is no flag");
    }

    @Test
    void mistakesAreOneLineNamingTheFileAndLine() {
        String file = dir.resolve("spoa.conf").toString();
        assertEquals(file + ":2: unknown setting \"prot\" (did you mean \"port\"?)", error("file = x.lua\nprot = 1\n"));
        assertEquals(file + ":1: expected name = value, found \"port 12345\"", error("port 12345\n"));
        assertEquals(file + ":2: \"port\" is set twice", error("port = 1\nport = 2\n"));
        assertEquals(file + ":1: debug is a switch: true or false, not \"maybe\"", error("debug = maybe\n"));
        assertEquals(file + ":1: \"port\" has no value", error("port =   # nothing\n"));
        assertEquals(file + ":1: a quote is not closed", error("error-var = \"abc\n"));
        assertEquals(file + ":1: unknown setting \"workerz\"", error("workerz = 5\n"));
    }

    @Test
    void aMissingFileIsOneLine() {
        Path missing = dir.resolve("missing.conf");
        assertEquals("cannot read " + missing + ": no such file",
                assertThrows(ConfigFile.ConfigException.class, () -> ConfigFile.read(missing, KNOWN, PATHS, WORDS)).getMessage());
    }
}
