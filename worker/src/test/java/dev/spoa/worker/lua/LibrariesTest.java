package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.Scripts.arg;
import static dev.spoa.worker.lua.Scripts.message;
import static dev.spoa.worker.lua.Scripts.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Action;
import dev.spoa.protocol.TypedData;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every library is there in a worker's globals, compiled or interpreted, sandboxed or not (each library has its own tests). */
class LibrariesTest {
    static Stream<LuaSettings> everyMode() {
        LuaSettings defaults = LuaSettings.defaults();
        return Stream.of(defaults, defaults.withCompile(false), defaults.withSandbox(true), defaults.withCompile(false).withSandbox(true));
    }

    @ParameterizedTest
    @MethodSource("everyMode")
    void aHandlerUsesEveryLibrary(LuaSettings settings) {
        List<Action> actions = Scripts.run(Scripts.load("libraries.lua", settings), message("libraries",
                arg("body", text("{\"user\":\"ann\",\"tags\":[\"a\",\"b\"],\"n\":1}")),
                arg("ua", text("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")),
                arg("ip", TypedData.Ipv4.parse("10.1.2.3"))));
        Map<String, TypedData> vars = new LinkedHashMap<>();
        for (Action action : actions) {
            vars.put(action.name(), ((Action.SetVar) action).value());
        }
        String json = ((TypedData.Text) vars.get("json")).toString();
        // Key order follows luaj's table, not the text: either is right.
        assertTrue(vars.get("json").equals(text("{\"user\":\"ann\",\"tags\":[\"a\",\"b\"]}"))
                || vars.get("json").equals(text("{\"tags\":[\"a\",\"b\"],\"user\":\"ann\"}")), json);
        assertEquals(text("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"), vars.get("sha256"));
        assertEquals(text("f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"), vars.get("hmac"));
        assertEquals(text("aGVsbG8h"), vars.get("b64"));
        assertEquals(text("128"), vars.get("re"));
        assertEquals(text("a#b#"), vars.get("gsub"));
        assertEquals(new TypedData.Binary(new byte[] {(byte) 0xE9}), vars.get("latin1"));
        assertEquals(new TypedData.Text("é".getBytes(StandardCharsets.UTF_8)), vars.get("method"));
        assertEquals(new TypedData.Int64(784111777), vars.get("parsed"));
        assertEquals(text("1970-01-01T00:00:00Z"), vars.get("formatted"));
        assertEquals(TypedData.TRUE, vars.get("now"));
        assertEquals(TypedData.TRUE, vars.get("in"));
        assertEquals(new TypedData.Int32(4), vars.get("version"));
    }

    @Test
    void textKeepsFourByteUtf8() {
        // luaj's tojstring() would mangle the emoji: log lines and names go through LuaArgs.text.
        assertEquals("ok 😀", LuaArgs.text(org.luaj.vm2.LuaString.valueOf("ok 😀".getBytes(StandardCharsets.UTF_8))));
    }
}
