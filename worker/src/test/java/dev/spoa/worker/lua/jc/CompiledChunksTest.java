package dev.spoa.worker.lua.jc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One file per chunk, found by class name and exact Lua bytecode, written whole, and never mistaken for another. */
class CompiledChunksTest {
    private static final byte[] LUA = {0x1b, 'L', 'u', 'a', 0x52, 1, 2, 3};
    private static final CompiledChunks.Compiled CLASSES = new CompiledChunks.Compiled(
            Map.of("h_0", new byte[] {1, 2}, "h_0$café", new byte[] {3}));

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    @Test
    void whatIsStoredIsFoundWithTheSameNameAndBytecodeOnly(@TempDir Path dir) throws IOException {
        CompiledChunks chunks = new CompiledChunks(dir.resolve("luajc"));
        assertNull(chunks.find("h_0", LUA), "nothing stored yet");
        chunks.store("h_0", LUA, CLASSES);
        CompiledChunks.Compiled found = assertInstanceOf(CompiledChunks.Compiled.class, chunks.find("h_0", LUA.clone()));
        assertEquals(CLASSES.classFiles().keySet(), found.classFiles().keySet());
        assertArrayEquals(new byte[] {3}, found.classFiles().get("h_0$café"));
        byte[] edited = LUA.clone();
        edited[7] = 4;
        assertNull(chunks.find("h_0", edited));
        assertNull(chunks.find("h_1", LUA));
        String name = files(dir.resolve("luajc")).get(0).getFileName().toString();
        assertTrue(name.matches("[0-9a-f]{8}-8\\.chunk"), "an ASCII name whatever the class names: " + name);
    }

    @Test
    void aFailureIsKeptWithItsReason(@TempDir Path dir) {
        CompiledChunks chunks = new CompiledChunks(dir);
        chunks.store("big_0", LUA, new CompiledChunks.Failed("org.apache.bcel.classfile.ClassFormatException: too long"));
        assertEquals(new CompiledChunks.Failed("org.apache.bcel.classfile.ClassFormatException: too long"), chunks.find("big_0", LUA));
    }

    @Test
    void aSecondStoreReplacesTheFirstWholeAndLeavesNothingAside(@TempDir Path dir) throws IOException {
        Path shared = dir.resolve("luajc");
        new CompiledChunks(shared).store("h_0", LUA, CLASSES);
        new CompiledChunks(shared).store("h_0", LUA, new CompiledChunks.Compiled(Map.of("h_0", new byte[] {9})));
        CompiledChunks.Compiled found = assertInstanceOf(CompiledChunks.Compiled.class, new CompiledChunks(shared).find("h_0", LUA));
        assertArrayEquals(new byte[] {9}, found.classFiles().get("h_0"));
        assertEquals(1, files(shared).size(), files(shared).toString());
    }

    @Test
    void aDamagedOrTruncatedEntryIsNotTaken(@TempDir Path dir) throws IOException {
        CompiledChunks chunks = new CompiledChunks(dir);
        chunks.store("h_0", LUA, CLASSES);
        Path entry = files(dir).get(0);
        byte[] whole = Files.readAllBytes(entry);
        for (int i = 0; i < whole.length; i++) {
            byte[] damaged = whole.clone();
            damaged[i] ^= 0x01;
            Files.write(entry, damaged);
            assertNull(chunks.find("h_0", LUA), "byte " + i + " flipped");
        }
        for (int length = 0; length < whole.length; length++) {
            Files.write(entry, java.util.Arrays.copyOf(whole, length));
            assertNull(chunks.find("h_0", LUA), "cut at " + length);
        }
    }

    @Test
    void anEntryClaimingAnotherClassIsNotTaken() throws IOException {
        byte[] entry = CompiledChunks.encode("h_0", LUA, new CompiledChunks.Compiled(Map.of("h_0", new byte[] {1}, "java.lang.Evil", new byte[] {0})));
        assertThrows(IOException.class, () -> CompiledChunks.decode(entry, "h_0", LUA));
    }

    @Test
    void anUnwritableDirectoryOnlyMeansNothingIsShared(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-directory"), "x");
        CompiledChunks chunks = new CompiledChunks(file.resolve("luajc"));
        chunks.store("h_0", LUA, CLASSES);
        assertNull(chunks.find("h_0", LUA));
    }
}
