package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.Scripts.lineOf;
import static dev.spoa.worker.lua.Scripts.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Action;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import dev.spoa.worker.HandlerOutcome;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * A handler's error becomes the outcome's failure, with file:line, and the handler keeps serving.
 * Compiled by LuaJC here; {@link InterpretedFailureTest} runs the same in luaj's interpreter.
 */
class FailureTest {
    private static final String FLAKY = "src/test/resources/scripts/flaky.lua";
    private static final Action STEADY = new Action.SetVar(VarScope.TXN, "steady", TypedData.TRUE);

    private final LuaScriptHandler flaky = Scripts.load("flaky.lua", settings());

    /** How the scripts run. */
    LuaSettings settings() {
        return LuaSettings.defaults();
    }

    @Test
    void anErrorDropsThatMessagesActionsKeepsTheOthersAndTheNextCallWorks() {
        HandlerOutcome failed = flaky.handle(List.of(message("steady"), message("flaky"), message("steady")));
        assertTrue(failed.failed());
        assertEquals(FLAKY + ":" + lineOf("flaky.lua", "FLAKY_ERROR") + ": boom on the first call", failed.failure());
        assertEquals(List.of(STEADY, STEADY), failed.actions());

        HandlerOutcome next = flaky.handle(List.of(message("flaky")));
        assertNull(next.failure());
        assertEquals(List.of(new Action.SetVar(VarScope.TXN, "calls", new TypedData.Int32(2))), next.actions());
    }

    @Test
    void theFirstFailureIsTheOneReported() {
        HandlerOutcome outcome = flaky.handle(List.of(message("nil-index"), message("flaky")));
        assertEquals(FLAKY + ":" + lineOf("flaky.lua", "NIL_INDEX") + ": attempt to index ? (a nil value)", outcome.failure());
        assertTrue(outcome.actions().isEmpty());
    }

    @Test
    void infiniteRecursionIsAFailureNotACrash() {
        HandlerOutcome outcome = flaky.handle(List.of(message("recurse"), message("steady")));
        assertEquals(FLAKY + ": stack overflow (infinite recursion?)", outcome.failure());
        assertEquals(List.of(STEADY), outcome.actions());
        assertEquals(List.of(STEADY), flaky.handle(List.of(message("steady"))).actions());
    }

    @Test
    void aRunawayLoopOfSetVarsStopsAtTheCap() {
        HandlerOutcome outcome = flaky.handle(List.of(message("many"), message("steady")));
        assertTrue(outcome.failure().endsWith(": too many actions for one ACK (" + SpoaLibrary.MAX_ACTIONS + ")"), outcome.failure());
        assertEquals(List.of(STEADY), outcome.actions());
    }

    @Test
    void errorsAreOneLine() {
        HandlerOutcome outcome = Scripts.load("multiline_error.lua", settings()).handle(List.of(message("m")));
        assertEquals("src/test/resources/scripts/multiline_error.lua:1: a b", outcome.failure());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "scope-unknown   | bad argument #2 to 'set_var_int32' (unknown scope 7 (use spoa.scope.proc, sess, txn, req or res))",
        "scope-missing   | bad argument #2 to 'set_var_null' (number expected, got nil)",
        "name-table      | bad argument #1 to 'set_var_int32' (string expected, got table)",
        "int32-string    | bad argument #3 to 'set_var_int32' (number expected, got string)",
        "int32-nil       | bad argument #3 to 'set_var_int32' (number expected, got nil)",
        "int32-high      | bad argument #3 to 'set_var_int32' (integer 2147483648 out of range for int32)",
        "int32-fraction  | bad argument #3 to 'set_var_int32' (number has no integer representation)",
        "uint32-negative | bad argument #3 to 'set_var_uint32' (integer -1 out of range for uint32)",
        "uint32-high     | bad argument #3 to 'set_var_uint32' (integer 4294967296 out of range for uint32)",
        "int64-high      | bad argument #3 to 'set_var_int64' (integer 9223372036854775808 out of range for int64)",
        "int64-huge      | bad argument #3 to 'set_var_int64' (integer 9223372036854775808 out of range for int64)",
        "int64-huge-neg  | bad argument #3 to 'set_var_int64' (integer -18446744073709551616 out of range for int64)",
        "uint64-negative | bad argument #3 to 'set_var_uint64' (integer -1 out of range for uint64)",
        "uint64-high     | bad argument #3 to 'set_var_uint64' (integer 18446744073709551616 out of range for uint64)",
        "boolean-number  | bad argument #3 to 'set_var_boolean' (boolean expected, got number)",
        "ipv4-malformed  | bad argument #3 to 'set_var_ipv4' (invalid IPv4 address '192.0.2.256')",
        "ipv4-v6         | bad argument #3 to 'set_var_ipv4' (invalid IPv4 address '::1')",
        "ipv6-malformed  | bad argument #3 to 'set_var_ipv6' (invalid IPv6 address '2001:db8:::1')",
        "str-table       | bad argument #3 to 'set_var_str' (string expected, got table)",
        "bin-boolean     | bad argument #3 to 'set_var_bin' (string expected, got boolean)",
        "unset-scope     | bad argument #2 to 'unset_var' (number expected, got string)",
        "register-twice  | message 'ok' is already registered",
        "register-not-function | bad argument #2 to 'register_message' (function expected, got number)",
    })
    void misusesOfTheApiAreLuaErrorsAtTheCallersLine(String name, String expected) {
        LuaScriptHandler handler = Scripts.load("bad_calls.lua", settings());
        HandlerOutcome outcome = handler.handle(List.of(message(name), message("ok")));
        String position = "src/test/resources/scripts/bad_calls.lua:" + lineOf("bad_calls.lua", "-- " + name) + ": ";
        assertEquals(position + expected, outcome.failure());
        // "before" was set by the failing message and dropped with it; "ok" ran.
        assertEquals(List.of(new Action.SetVar(VarScope.TXN, "ok", TypedData.TRUE)), outcome.actions());
        assertFalse(handler.handle(List.of(message("ok"))).failed());
    }
}
