package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.Scripts.arg;
import static dev.spoa.worker.lua.Scripts.lineOf;
import static dev.spoa.worker.lua.Scripts.message;
import static dev.spoa.worker.lua.Scripts.text;
import static dev.spoa.worker.lua.Scripts.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spoa.protocol.Action;
import dev.spoa.protocol.TypedData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Globals persist across calls, spoa.on_init runs once at start, and a handler knows which worker it runs in. */
class StateTest {
    private static final LuaSettings THIRD_OF_FIVE = new LuaSettings(2, 5, List.of(), false, true);

    @Test
    void globalsPersistAcrossCallsAndInitRunsOnceInOrder() throws ScriptLoadException {
        LuaScriptHandler handler = Scripts.load("state.lua", THIRD_OF_FIVE);
        handler.start();
        List<Action> first = Scripts.run(handler, message("count", arg("key", text("a"))));
        assertEquals(new TypedData.Int32(1), valueOf(first, "calls"));
        assertEquals(new TypedData.Int32(1), valueOf(first, "init_runs"));
        assertEquals(text("warm then second"), valueOf(first, "order"));

        Scripts.run(handler, message("count", arg("key", text("b"))));
        List<Action> third = Scripts.run(handler, message("count", arg("key", text("a"))));
        assertEquals(new TypedData.Int32(3), valueOf(third, "calls"));
        assertEquals(new TypedData.Int32(2), valueOf(third, "seen"), "the per-worker cache kept a's count");
        assertEquals(new TypedData.Int32(1), valueOf(third, "init_runs"));
    }

    @Test
    void workerIdAndWorkersAreTheWorkersOwn() throws ScriptLoadException {
        LuaScriptHandler handler = Scripts.load("state.lua", THIRD_OF_FIVE);
        handler.start();
        assertEquals(text("2/5"), valueOf(Scripts.run(handler, message("count", arg("key", text("a")))), "where"));
    }

    @Test
    void loadingAloneDoesNotRunOnInit() {
        // What the front's check of a script does: the top level runs, on_init does not.
        LuaScriptHandler handler = Scripts.load("state.lua");
        List<Action> actions = Scripts.run(handler, message("count", arg("key", text("a"))));
        assertEquals(new TypedData.Int32(0), valueOf(actions, "init_runs"));
        assertEquals(text("none"), valueOf(actions, "order"));
    }

    @Test
    void onInitOnceStartedIsAnError() throws ScriptLoadException {
        LuaScriptHandler handler = Scripts.load("state.lua");
        handler.start();
        String failure = handler.handle(List.of(message("late-init"))).failure();
        assertEquals("src/test/resources/scripts/state.lua:" + lineOf("state.lua", "ON_INIT_LATE")
                + ": spoa.on_init is for the script's top level: the worker has started already", failure);
    }

    @Test
    void aFailingOnInitStopsTheStartWithItsPosition() {
        LuaScriptHandler handler = Scripts.load("init_fails.lua");
        ScriptLoadException failure = assertThrows(ScriptLoadException.class, handler::start);
        assertEquals("spoa.on_init: src/test/resources/scripts/init_fails.lua:" + lineOf("init_fails.lua", "INIT_ERROR")
                + ": cannot open the reputation database", failure.getMessage());
    }

    @Test
    void onInitTakesAFunction(@TempDir Path dir) throws IOException {
        Path script = dir.resolve("x.lua");
        Files.writeString(script, "spoa.on_init(42)\n");
        ScriptLoadException failure = assertThrows(ScriptLoadException.class, () -> LuaScriptHandler.load(script));
        assertEquals(script + ":1: bad argument #1 to 'on_init' (function expected, got number)", failure.getMessage());
    }

    @Test
    void aWorkerIdOutsideThePoolIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> new LuaSettings(5, 5, List.of(), false, true));
        assertThrows(IllegalArgumentException.class, () -> new LuaSettings(-1, 5, List.of(), false, true));
    }
}
