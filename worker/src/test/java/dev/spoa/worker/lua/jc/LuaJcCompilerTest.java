package dev.spoa.worker.lua.jc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

/** LuaJC in a class loader of its own: compiled chunks outlive it, and nothing keeps it once released. */
class LuaJcCompilerTest {
    private static final ClassLoader WORKER = LuaFunction.class.getClassLoader();

    private static Prototype prototype(String source) throws IOException {
        return LuaC.instance.compile(new ByteArrayInputStream(source.getBytes(StandardCharsets.UTF_8)), "@x.lua");
    }

    @Test
    void chunksHangUnderTheWorkersLoaderAndShareItsLuaRuntime() throws Exception {
        LuaJcCompiler compiler = new LuaJcCompiler();
        LuaFunction function = compiler.load(prototype("local function f(x) return x + 1 end return f(41)"), "c_0", LuaValue.NIL);
        assertEquals(LuaValue.valueOf(42), function.call());
        ClassLoader compilerLoader = compiler.lastCompilerLoader();
        assertNotNull(compilerLoader);
        // luaj's runtime is the worker's: generated code and the worker must agree on LuaValue.
        assertSame(WORKER, compilerLoader.loadClass(LuaValue.class.getName()).getClassLoader());
        assertSame(WORKER, function.getClass().getClassLoader().getParent(), "a chunk's classes hang under the worker's loader");
    }

    @Test
    void nestedFunctionsAreDefinedWhenFirstMade() throws Exception {
        LuaJcCompiler compiler = new LuaJcCompiler();
        LuaFunction chunk = compiler.load(prototype("""
                local env = ...
                return function(a) return function(b) return a * b end end
                """), "nested_0", LuaValue.NIL);
        compiler.release();
        assertEquals(LuaValue.valueOf(42), chunk.call().call(LuaValue.valueOf(6)).call(LuaValue.valueOf(7)));
    }

    @Test
    void theEnvironmentIsTheChunksFirstUpvalue() throws Exception {
        LuaTable env = new LuaTable();
        env.set("answer", 42);
        LuaFunction chunk = new LuaJcCompiler().load(prototype("return answer"), "env_0", env);
        assertEquals(LuaValue.valueOf(42), chunk.call());
    }

    @Test
    void oneReleasedIsCollectedWhileItsChunksStillRun() throws Exception {
        LuaJcCompiler compiler = new LuaJcCompiler();
        LuaFunction chunk = compiler.load(prototype("return function(x) return x .. '!' end"), "kept_0", LuaValue.NIL);
        compiler.release();
        for (int attempt = 0; attempt < 50 && compiler.lastCompilerLoader() != null; attempt++) {
            System.gc();
            Thread.sleep(20);
        }
        assertNull(compiler.lastCompilerLoader(), "something still holds the compiler's class loader, and BCEL with it");
        assertEquals(LuaValue.valueOf("a!"), chunk.call().call(LuaValue.valueOf("a")));
    }

    @Test
    void whatOneWorkerCompiledAnotherDefinesWithoutTheCompiler(@TempDir Path runDir) throws Exception {
        Path shared = runDir.resolve("luajc");
        Prototype chunk = prototype("local n = ... return function(x) return x * 2 end");
        LuaJcCompiler first = new LuaJcCompiler(shared);
        assertEquals(LuaValue.valueOf(8), first.load(chunk, "twice_0", LuaValue.NIL).call().call(LuaValue.valueOf(4)));
        assertTrue(first.release(), "the first worker compiled it");

        LuaJcCompiler second = new LuaJcCompiler(shared);
        LuaFunction again = second.load(prototype("local n = ... return function(x) return x * 2 end"), "twice_0", LuaValue.NIL);
        assertEquals(LuaValue.valueOf(14), again.call().call(LuaValue.valueOf(7)));
        assertNull(second.lastCompilerLoader(), "the compiler was never loaded");
        assertFalse(second.release());
    }

    @Test
    void chunksCompiledOnceTheScriptIsLoadedAreNotShared(@TempDir Path runDir) throws Exception {
        // A handler calling dofile on every message makes a chunk (and a class name) per call.
        Path shared = runDir.resolve("luajc");
        LuaJcCompiler compiler = new LuaJcCompiler(shared);
        compiler.load(prototype("return 1"), "script_0", LuaValue.NIL);
        compiler.release();
        for (int call = 1; call <= 3; call++) {
            assertEquals(LuaValue.valueOf(call), compiler.load(prototype("return " + call), "read_" + call, LuaValue.NIL).call());
        }
        try (Stream<Path> files = Files.list(shared)) {
            assertEquals(1, files.count(), "the script's chunk only");
        }
    }

    @Test
    void anEditedChunkIsCompiledAgainUnderTheSameName(@TempDir Path runDir) throws Exception {
        Path shared = runDir.resolve("luajc");
        assertEquals(LuaValue.valueOf(1), new LuaJcCompiler(shared).load(prototype("return 1"), "m_0", LuaValue.NIL).call());
        LuaJcCompiler later = new LuaJcCompiler(shared);
        assertEquals(LuaValue.valueOf(2), later.load(prototype("return 2"), "m_0", LuaValue.NIL).call());
        assertTrue(later.release(), "compiled, not taken from the other chunk's entry");
        assertEquals(LuaValue.valueOf(1), new LuaJcCompiler(shared).load(prototype("return 1"), "m_0", LuaValue.NIL).call());
    }

    @Test
    void aDamagedEntryIsCompiledAndReplaced(@TempDir Path runDir) throws Exception {
        Path shared = runDir.resolve("luajc");
        new LuaJcCompiler(shared).load(prototype("return 'ok'"), "d_0", LuaValue.NIL);
        Path entry;
        try (Stream<Path> files = Files.list(shared)) {
            entry = files.findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(entry);
        bytes[bytes.length / 2] ^= 0x55;
        Files.write(entry, bytes);

        LuaJcCompiler next = new LuaJcCompiler(shared);
        assertEquals(LuaValue.valueOf("ok"), next.load(prototype("return 'ok'"), "d_0", LuaValue.NIL).call());
        assertTrue(next.release(), "compiled again");
        LuaJcCompiler third = new LuaJcCompiler(shared);
        assertEquals(LuaValue.valueOf("ok"), third.load(prototype("return 'ok'"), "d_0", LuaValue.NIL).call());
        assertFalse(third.release(), "the entry was mended");
    }

    @Test
    void whatLuaJcCannotTranslateTheOthersDoNotTry(@TempDir Path runDir) throws Exception {
        // 20,000 statements: more than the 64 KB of bytecode a JVM method may have.
        String source = "local t = 0\n" + "t = t + 1\n".repeat(20_000) + "return t";
        Path shared = runDir.resolve("luajc");
        LuaJcCompiler first = new LuaJcCompiler(shared);
        RuntimeException failure = assertThrows(RuntimeException.class, () -> first.load(prototype(source), "big_0", LuaValue.NIL));
        LuaJcCompiler second = new LuaJcCompiler(shared);
        RuntimeException same = assertThrows(RuntimeException.class, () -> second.load(prototype(source), "big_0", LuaValue.NIL));
        assertEquals(failure.toString(), same.toString(), "the warning reads the same in every worker");
        assertNull(second.lastCompilerLoader(), "the compiler was not loaded to fail again");
    }
}
