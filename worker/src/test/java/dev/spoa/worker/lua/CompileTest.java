package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.Scripts.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Action;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.luaj.vm2.LuaClosure;
import org.luaj.vm2.LuaFunction;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Prototype;
import org.luaj.vm2.compiler.LuaC;

/** LuaJC where it works, the interpreter where it does not, and errors keep their position either way. */
class CompileTest {
    private static Prototype prototype(String source) throws IOException {
        return LuaC.instance.compile(new java.io.ByteArrayInputStream(source.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                "@dir.d/x.lua");
    }

    @Test
    void aChunkBecomesJvmClassesNamedAfterItsFile() throws IOException {
        CompilingLoader loader = new CompilingLoader();
        LuaFunction function = loader.load(prototype("return 6 * 7"), "@/etc/spoa.d/ip-rep.lua", LuaValue.NIL);
        assertFalse(function instanceof LuaClosure, "compiled, not interpreted");
        assertTrue(function.getClass().getName().startsWith("ip_rep_0"), function.getClass().getName());
        assertEquals(LuaValue.valueOf(42), function.call());
    }

    @Test
    void chunksLoadedAfterTheCompilerWasReleasedAreCompiledToo() throws IOException {
        // A worker lets the compiler go once its script is loaded; a module a handler requires later
        // is compiled all the same.
        CompilingLoader loader = new CompilingLoader();
        LuaFunction first = loader.load(prototype("return 1"), "@/etc/spoa.d/first.lua", LuaValue.NIL);
        // The first translation closed BCEL's class path; a module the script requires at its top
        // level comes next, with the same compiler.
        LuaFunction second = loader.load(prototype("return 2"), "@/etc/spoa.d/second.lua", LuaValue.NIL);
        assertFalse(second instanceof LuaClosure, "compiled after BCEL's class path was closed");
        assertEquals(LuaValue.valueOf(2), second.call());
        loader.release();
        LuaFunction later = loader.load(prototype("local t = {} for i = 1, 3 do t[i] = i * i end return t[3]"),
                "@/etc/spoa.d/module.lua", LuaValue.NIL);
        assertFalse(later instanceof LuaClosure, "compiled, not interpreted");
        assertEquals(LuaValue.valueOf(9), later.call());
        assertEquals(LuaValue.valueOf(1), first.call());
        LuaFunction fromAnotherLoader = new CompilingLoader().load(prototype("return 'x' .. 2"), "@/etc/spoa.d/other.lua",
                LuaValue.NIL);
        assertFalse(fromAnotherLoader instanceof LuaClosure, "compiled, not interpreted");
        assertEquals(LuaValue.valueOf("x2"), fromAnotherLoader.call());
    }

    @Test
    void textGivenToLoadIsInterpreted() throws IOException {
        // load("...") names the chunk after its text: a handler may call it on every message.
        LuaFunction function = new CompilingLoader().load(prototype("return 6 * 7"), "return 6 * 7", LuaValue.NIL);
        assertInstanceOf(LuaClosure.class, function);
        assertEquals(LuaValue.valueOf(42), function.call());
    }

    @Test
    void whatLuaJcCannotCompileIsInterpreted() throws IOException {
        // 20,000 statements: more than the 64 KB of bytecode a JVM method may have.
        StringBuilder source = new StringBuilder("local t = 0\n");
        for (int i = 1; i <= 20_000; i++) {
            source.append("t = t + 1\n");
        }
        source.append("return t");
        LuaFunction function = new CompilingLoader().load(prototype(source.toString()), "@big.lua", LuaValue.NIL);
        assertInstanceOf(LuaClosure.class, function);
        assertEquals(LuaValue.valueOf(20_000), function.call());
    }

    @Test
    void positionsOfCompiledErrorsNameTheFileEvenWithDotsInItsDirectory(@TempDir Path dir) throws IOException, ScriptLoadException {
        Path conf = Files.createDirectories(dir.resolve("spoa.d"));
        Path script = conf.resolve("handler.v2.lua");
        Files.writeString(script, """
                spoa.register_message("m", function(args)
                  local t = nil
                  return t.field
                end)
                """);
        String failure = LuaScriptHandler.load(script).handle(List.of(message("m"))).failure();
        assertEquals(script + ":3: attempt to index ? (a nil value)", failure);
    }

    @Test
    void compiledAndInterpretedGiveTheSameAnswers() {
        List<Action> compiled = Scripts.run(Scripts.load("set_all.lua"), message("set-all"));
        List<Action> interpreted = Scripts.run(Scripts.load("set_all.lua", LuaSettings.defaults().withCompile(false)), message("set-all"));
        assertTrue(compiled.contains(new Action.SetVar(VarScope.REQ, "int32", new TypedData.Int32(-5))), compiled.toString());
        assertEquals(interpreted, compiled);
    }
}
