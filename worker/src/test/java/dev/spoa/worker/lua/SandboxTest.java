package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.Scripts.arg;
import static dev.spoa.worker.lua.Scripts.lineOf;
import static dev.spoa.worker.lua.Scripts.message;
import static dev.spoa.worker.lua.Scripts.text;
import static dev.spoa.worker.lua.Scripts.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.TypedData;
import dev.spoa.worker.HandlerOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.DumpState;
import org.luaj.vm2.compiler.LuaC;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** --lua-sandbox: what it refuses, each with an error naming the option, and what still works. */
class SandboxTest {
    private static final String SCRIPT = "sandboxed.lua";

    @TempDir
    Path dir;
    private Path file;

    @BeforeEach
    void aFileToTouch() throws IOException {
        file = dir.resolve("data.txt");
        Files.writeString(file, "kept");
    }

    private HandlerOutcome run(LuaSettings settings, String name) throws IOException {
        return Scripts.load(SCRIPT, settings).handle(List.of(message(name, arg("path", text(file.toString())),
                arg("code", new TypedData.Binary(bytecode())))));
    }

    /** "return 1" precompiled, as luac would (string.dump cannot dump functions LuaJC compiled). */
    private static byte[] bytecode() throws IOException {
        Prototype prototype = LuaC.instance.compile(new ByteArrayInputStream("return 1".getBytes(StandardCharsets.UTF_8)), "=code");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DumpState.dump(prototype, out, true);
        return out.toByteArray();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "execute      | os.execute is not allowed (--lua-sandbox)",
        "popen        | io.popen is not allowed (--lua-sandbox)",
        "write-file   | opening a file for writing is not allowed (--lua-sandbox)",
        "append-file  | opening a file for writing is not allowed (--lua-sandbox)",
        "update-file  | opening a file for writing is not allowed (--lua-sandbox)",
        "output-file  | opening a file for writing is not allowed (--lua-sandbox)",
        "tmpfile      | io.tmpfile is not allowed (--lua-sandbox)",
        "remove       | os.remove is not allowed (--lua-sandbox)",
        "rename       | os.rename is not allowed (--lua-sandbox)",
        "tmpname      | os.tmpname is not allowed (--lua-sandbox)",
        "exit         | os.exit is not allowed (--lua-sandbox)",
        "luajava      | attempt to index ? (a nil value)",
        "bytecode     | loading precompiled bytecode is not allowed (--lua-sandbox)",
    })
    void refused(String name, String expected) throws IOException {
        String failure = run(LuaSettings.defaults().withSandbox(true), name).failure();
        assertTrue(failure != null && failure.endsWith(expected), name + ": " + failure);
        assertTrue(failure.startsWith("src/test/resources/scripts/" + SCRIPT + ":"), failure);
        assertEquals("kept", Files.readString(file), "the file is untouched");
        assertTrue(Files.exists(file));
    }

    @Test
    void requireFindsNoJavaClass() throws IOException {
        String failure = run(LuaSettings.defaults().withSandbox(true), "require-java").failure();
        assertTrue(failure.contains("module 'org.luaj.vm2.lib.jse.LuajavaLib' not found"), failure);
        assertTrue(failure.startsWith("src/test/resources/scripts/" + SCRIPT + ":" + lineOf(SCRIPT, "require-java")), failure);
    }

    @ParameterizedTest
    @CsvSource({"read-file", "text-chunk", "getenv-clock", "require-lua"})
    void stillAllowed(String name) throws IOException {
        HandlerOutcome outcome = run(LuaSettings.defaults().withSandbox(true), name);
        assertNull(outcome.failure());
        assertEquals(TypedData.TRUE, valueOf(outcome.actions(), "ok"));
    }

    @Test
    void readingAFileGivesItsText() throws IOException {
        assertEquals(text("kept"), valueOf(run(LuaSettings.defaults().withSandbox(true), "read-file").actions(), "text"));
    }

    @ParameterizedTest
    @CsvSource({"write-file", "luajava", "bytecode", "require-java"})
    void withoutTheSandboxTheseWork(String name) throws IOException {
        HandlerOutcome outcome = run(LuaSettings.defaults(), name);
        assertNull(outcome.failure());
        assertEquals(TypedData.TRUE, valueOf(outcome.actions(), "ok"));
    }
}
