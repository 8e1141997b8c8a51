package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.Scripts.arg;
import static dev.spoa.worker.lua.Scripts.message;
import static dev.spoa.worker.lua.Scripts.run;
import static dev.spoa.worker.lua.Scripts.text;
import static dev.spoa.worker.lua.Scripts.valueOf;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Action;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import dev.spoa.worker.HandlerOutcome;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ArgumentsTest {
    private final LuaScriptHandler handler = Scripts.load("args.lua");

    @Test
    void argumentsByIndexAndByName() {
        List<Action> actions = run(handler, message("args",
                arg("ip", TypedData.Ipv4.parse("192.0.2.1")),
                arg("host", text("example.com")),
                arg("ip", text("second ip, never seen by name"))));
        assertEquals(text("args"), valueOf(actions, "message"));
        assertEquals(new TypedData.Int32(3), valueOf(actions, "count"));
        assertEquals(text("ip"), valueOf(actions, "first.name"));
        assertEquals(text("192.0.2.1"), valueOf(actions, "first.value"));
        assertEquals(text("192.0.2.1"), valueOf(actions, "by.dot"));
        assertEquals(text("example.com"), valueOf(actions, "by.key"));
        assertEquals(TypedData.TRUE, valueOf(actions, "missing.is.nil"));
        // Names are reached through a metatable: pairs() sees the original's array entries only.
        assertEquals(new TypedData.Int32(3), valueOf(actions, "pairs"));
    }

    @Test
    void theMessageNameIsTheSecondArgument() {
        assertEquals(List.of(new Action.SetVar(VarScope.TXN, "name", text("first"))), run(handler, message("first")));
        assertEquals(List.of(new Action.SetVar(VarScope.TXN, "name", text("second"))), run(handler, message("second")));
    }

    @Test
    void anUnknownMessageContributesNothing() {
        HandlerOutcome outcome = handler.handle(List.of(message("nobody-listens", arg("ip", TypedData.TRUE))));
        assertNull(outcome.failure());
        assertTrue(outcome.actions().isEmpty());

        List<Action> actions = run(handler, message("nobody-listens"), message("first"), message("unknown"));
        assertEquals(List.of(new Action.SetVar(VarScope.TXN, "name", text("first"))), actions);
    }

    @Test
    void messagesAreListedAndTheOutcomeIsReadOnlyAndReused() {
        assertEquals(Set.of("args", "first", "second"), handler.messages());
        HandlerOutcome first = handler.handle(List.of(message("first")));
        assertThrows(UnsupportedOperationException.class, () -> first.actions().clear());
        HandlerOutcome second = handler.handle(List.of(message("second")));
        // The documented contract: a successful outcome is reused, valid until the next call.
        assertSame(first, second);
        assertEquals(text("second"), valueOf(second.actions(), "name"));
    }
}
