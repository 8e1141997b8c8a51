package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.Scripts.lineOf;
import static dev.spoa.worker.lua.Scripts.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import dev.spoa.protocol.Action;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import dev.spoa.worker.HandlerOutcome;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * spoa.log's arguments. What the lines say, and that they reach the agent's log tagged with the
 * worker, is checked end to end (LoggingTest in the tests module), where the log can be read.
 */
class LogTest {
    private static final String SCRIPT = "src/test/resources/scripts/log.lua";
    private final LuaScriptHandler handler = Scripts.load("log.lua");

    @Test
    void everyLevelAndShortcutLogsAnyValues() {
        HandlerOutcome outcome = handler.handle(List.of(message("log")));
        assertNull(outcome.failure());
        assertEquals(List.of(new Action.SetVar(VarScope.TXN, "logged", TypedData.TRUE)), outcome.actions());
    }

    @Test
    void anUnknownLevelIsALuaErrorAtTheCallersLine() {
        HandlerOutcome outcome = handler.handle(List.of(message("bad-level")));
        assertEquals(SCRIPT + ":" + lineOf("log.lua", "BAD_LEVEL") + ": bad argument #1 to 'log' (level expected (\"debug\", "
                + "\"info\", \"warn\" or \"error\"), got 'loud')", outcome.failure());
        HandlerOutcome noLevel = handler.handle(List.of(message("no-level")));
        assertNotNull(noLevel.failure());
        assertEquals(SCRIPT + ":" + lineOf("log.lua", "NO_LEVEL") + ": bad argument #1 to 'log' (level expected (\"debug\", "
                + "\"info\", \"warn\" or \"error\"), got number)", noLevel.failure());
    }
}
