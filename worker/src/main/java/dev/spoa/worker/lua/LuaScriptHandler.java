package dev.spoa.worker.lua;

import dev.spoa.protocol.Action;
import dev.spoa.protocol.Message;
import dev.spoa.worker.HandlerOutcome;
import dev.spoa.worker.MessageHandler;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaError;
import org.luaj.vm2.LuaValue;
import org.tinylog.Logger;

/**
 * Runs a Lua script written for HAProxy's original multi-language agent (see the package
 * documentation for the API). The script is loaded once; each {@link #handle} call builds the
 * arguments table of every message and calls the function registered for it.
 *
 * <p>Not thread-safe: luaj's globals belong to one thread. A worker holds one handler.
 */
public final class LuaScriptHandler implements MessageHandler {
    private final String scriptName;
    private final Globals globals;
    private final Map<String, SpoaLibrary.Registration> handlers = new HashMap<>();
    private final List<LuaValue> initializers = new ArrayList<>();
    private final SpoaLibrary spoa;
    /** Where an error raised in compiled code comes from (see {@link CompilingLoader#position}). */
    private final Function<Throwable, String> positions;
    /** Reused across calls; the outcome hands out a read-only view of it. */
    private final ArrayList<Action> actions = new ArrayList<>();
    private final HandlerOutcome success = new HandlerOutcome(Collections.unmodifiableList(actions), null);
    private final ArgumentTables argumentTables = new ArgumentTables();

    private LuaScriptHandler(String scriptName, LuaSettings settings, Path scriptDirectory) {
        this.scriptName = scriptName;
        this.globals = LuaGlobals.create(settings, scriptDirectory);
        this.spoa = new SpoaLibrary(actions, handlers, initializers, settings);
        this.positions = globals.loader instanceof CompilingLoader compiled ? compiled::position : unknown -> null;
        globals.set("spoa", spoa.table());
    }

    /**
     * Reads, compiles and runs the script's top level, which registers the handlers.
     *
     * @throws ScriptLoadException with a one-line message naming the file (and line when there is one)
     */
    public static LuaScriptHandler load(Path script) throws ScriptLoadException {
        return load(script, script, LuaSettings.defaults());
    }

    /**
     * As {@link #load(Path)}, reading a copy of the script: {@code origin} is the file the operator
     * wrote, the name in error messages and where {@code require} looks. The supervisor hands
     * workers a snapshot of the script it accepted, so that a worker restarted after the operator
     * edited the file (and before a reload checked it) still runs the accepted version.
     * {@code settings}: the worker's id and count, the module path, the sandbox, the compiler.
     * Runs the top level only: a worker then calls {@link #start()}.
     */
    public static LuaScriptHandler load(Path copy, Path origin, LuaSettings settings) throws ScriptLoadException {
        String name = origin.toString();
        byte[] source = read(copy, name);
        LuaScriptHandler handler = new LuaScriptHandler(name, settings, origin.toAbsolutePath().getParent());
        handler.run(source);
        if (handler.handlers.isEmpty()) {
            Logger.warn("{} registers no message: every NOTIFY will be answered with no action", name);
        }
        return handler;
    }

    /** The names passed to spoa.register_message, sorted. */
    public Set<String> messages() {
        return Collections.unmodifiableSet(new TreeSet<>(handlers.keySet()));
    }

    /** The script's path as given, the prefix of its error messages. */
    public String scriptName() {
        return scriptName;
    }

    @Override
    public HandlerOutcome handle(List<Message> messages) {
        actions.clear();
        String failure = null;
        for (int i = 0, count = messages.size(); i < count; i++) {
            Message message = messages.get(i);
            SpoaLibrary.Registration registration = handlers.get(message.name());
            if (registration == null) {
                continue; // as the original: a message nobody registered contributes nothing
            }
            int mark = actions.size();
            try {
                registration.function().call(argumentTables.table(message.arguments()), registration.name());
            } catch (RuntimeException | StackOverflowError error) {
                // A half-done handler's variables would mislead HAProxy's rules: drop them, keep the others'.
                actions.subList(mark, actions.size()).clear();
                if (failure == null) {
                    failure = LuaErrors.describe(error, scriptName, positions);
                }
            }
        }
        return failure == null ? success : new HandlerOutcome(success.actions(), failure);
    }

    /**
     * Runs the functions the script gave {@code spoa.on_init}, in order, once: a worker calls this
     * after loading and before it takes jobs; the front's check of a script does not (they may
     * have side effects, and the front is not a worker).
     *
     * @throws ScriptLoadException with "script.lua:12: message" when one fails
     */
    public void start() throws ScriptLoadException {
        spoa.started();
        try {
            for (LuaValue initializer : initializers) {
                initializer.call();
            }
        } catch (RuntimeException | StackOverflowError error) {
            throw new ScriptLoadException("spoa.on_init: " + LuaErrors.describe(error, scriptName, positions));
        } finally {
            actions.clear(); // as at the top level: no ACK to go to
        }
    }

    /**
     * Lets the Lua compiler go, once {@link #start()} ran: what the handlers need is compiled.
     *
     * @return whether a compiler was loaded, whose classes the next full collection unloads
     */
    public boolean releaseCompiler() {
        return globals.loader instanceof CompilingLoader compiled && compiled.release();
    }

    private void run(byte[] source) throws ScriptLoadException {
        LuaValue chunk;
        try {
            // "@name" is Lua's marker for a file: errors then read "conf/x.lua:3: ...".
            chunk = globals.load(new ByteArrayInputStream(skipPreamble(source)), "@" + scriptName, "bt", globals);
        } catch (LuaError error) {
            String message = error.getMessage();
            throw new ScriptLoadException(message == null ? scriptName + ": cannot compile" : LuaErrors.syntax(message));
        } catch (RuntimeException error) {
            throw new ScriptLoadException(LuaErrors.describe(error, scriptName, positions));
        }
        try {
            chunk.call();
        } catch (RuntimeException | StackOverflowError error) {
            throw new ScriptLoadException(LuaErrors.describe(error, scriptName, positions));
        }
        actions.clear(); // set_var at the top level has no ACK to go to (the original discarded them too)
    }

    private static byte[] read(Path script, String name) throws ScriptLoadException {
        if (Files.isDirectory(script)) {
            throw new ScriptLoadException("cannot read " + name + ": is a directory");
        }
        try {
            return Files.readAllBytes(script);
        } catch (NoSuchFileException e) {
            throw new ScriptLoadException("cannot read " + name + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ScriptLoadException("cannot read " + name + ": permission denied");
        } catch (IOException e) {
            throw new ScriptLoadException("cannot read " + name + ": " + e.getMessage());
        }
    }

    /**
     * As luaL_loadfile: skip a UTF-8 byte-order mark, and blank a first line starting with '#' (a
     * "#!" line) while keeping its newline so that line numbers stay right.
     */
    static byte[] skipPreamble(byte[] source) {
        int start = 0;
        if (source.length >= 3 && (source[0] & 0xFF) == 0xEF && (source[1] & 0xFF) == 0xBB && (source[2] & 0xFF) == 0xBF) {
            start = 3;
        }
        if (start < source.length && source[start] == '#') {
            while (start < source.length && source[start] != '\n') {
                start++;
            }
        }
        return start == 0 ? source : Arrays.copyOfRange(source, start, source.length);
    }
}
