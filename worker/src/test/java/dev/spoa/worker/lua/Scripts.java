package dev.spoa.worker.lua;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.spoa.protocol.Action;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.TypedData;
import dev.spoa.worker.HandlerOutcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Test scripts live in src/test/resources/scripts; surefire runs from the module directory, so their names stay short in messages. */
final class Scripts {
    static final Path DIRECTORY = Path.of("src", "test", "resources", "scripts");

    private Scripts() {
    }

    static Path path(String script) {
        return DIRECTORY.resolve(script);
    }

    static LuaScriptHandler load(String script) {
        return load(script, LuaSettings.defaults());
    }

    static LuaScriptHandler load(String script, LuaSettings settings) {
        try {
            return LuaScriptHandler.load(path(script), path(script), settings);
        } catch (ScriptLoadException e) {
            throw new AssertionError("could not load " + script + ": " + e.getMessage(), e);
        }
    }

    static Message message(String name, Argument... arguments) {
        return new Message(name, List.of(arguments));
    }

    static Argument arg(String name, TypedData value) {
        return new Argument(name, value);
    }

    /** Runs one message and returns its actions, failing the test if a handler failed. */
    static List<Action> run(LuaScriptHandler handler, Message... messages) {
        HandlerOutcome outcome = handler.handle(List.of(messages));
        assertNull(outcome.failure(), "handler failed");
        return List.copyOf(outcome.actions());
    }

    /** The 1-based line of the script holding {@code marker}. */
    static int lineOf(String script, String marker) {
        try {
            List<String> lines = Files.readAllLines(path(script));
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).contains(marker)) {
                    return i + 1;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return fail("no line of " + script + " contains " + marker);
    }

    /** The value set for {@code name} by the only SetVar of that name. */
    static TypedData valueOf(List<Action> actions, String name) {
        TypedData found = null;
        for (Action action : actions) {
            if (action.name().equals(name) && action instanceof Action.SetVar set) {
                if (found != null) {
                    fail("two actions set " + name);
                }
                found = set.value();
            }
        }
        if (found == null) {
            fail("no action sets " + name + " in " + actions);
        }
        return found;
    }

    static TypedData text(String value) {
        return TypedData.Text.of(value);
    }
}
