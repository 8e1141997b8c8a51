package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.Scripts.arg;
import static dev.spoa.worker.lua.Scripts.message;
import static dev.spoa.worker.lua.Scripts.run;
import static dev.spoa.worker.lua.Scripts.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Action;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The shipped example, conf/examples/ip_reputation.lua, answers as its comments promise. */
class IpReputationExampleTest {
    private final LuaScriptHandler handler = load();

    private static LuaScriptHandler load() {
        try {
            return LuaScriptHandler.load(Path.of("..", "conf", "examples", "ip_reputation.lua"));
        } catch (ScriptLoadException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static Action score(int score) {
        return new Action.SetVar(VarScope.TXN, "ip_score", new TypedData.Int32(score));
    }

    /** The example's formula, restated: sum of byte × position, modulo 101. */
    private static int expected(String ip) {
        byte[] bytes = ip.getBytes(StandardCharsets.US_ASCII);
        int sum = 0;
        for (int i = 0; i < bytes.length; i++) {
            sum += bytes[i] * (i + 1);
        }
        return sum % 101;
    }

    @Test
    void scores() {
        assertEquals(Set.of("check-client-ip"), handler.messages());
        assertEquals(51, expected("192.0.2.1")); // the figure the same script gives under the original's Lua 5.3
        assertEquals(List.of(score(51)), run(handler, message("check-client-ip", arg("ip", TypedData.Ipv4.parse("192.0.2.1")))));
        assertEquals(List.of(score(expected("203.0.113.7"))),
                run(handler, message("check-client-ip", arg("ip", TypedData.Ipv4.parse("203.0.113.7")))));
        assertEquals(List.of(score(10)), run(handler, message("check-client-ip", arg("ip", TypedData.Ipv6.parse("2001:db8::1")))));
        assertEquals(List.of(score(100)), run(handler, message("check-client-ip", arg("ip", TypedData.Ipv4.parse("127.0.0.1")))));
    }

    @Test
    void theArgumentNamedIpOrElseTheFirst() {
        assertEquals(List.of(score(expected("203.0.113.7"))), run(handler, message("check-client-ip",
                arg("host", text("example.com")), arg("ip", TypedData.Ipv4.parse("203.0.113.7")))));
        assertEquals(List.of(score(51)), run(handler, message("check-client-ip", arg("", TypedData.Ipv4.parse("192.0.2.1")))));
    }

    @Test
    void noAddressNoScore() {
        assertTrue(run(handler, message("check-client-ip", arg("ip", TypedData.NULL))).isEmpty());
        assertTrue(run(handler, message("check-client-ip")).isEmpty());
    }
}
