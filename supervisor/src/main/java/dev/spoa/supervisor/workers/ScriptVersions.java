package dev.spoa.supervisor.workers;

import dev.spoa.worker.lua.LuaScriptHandler;
import dev.spoa.worker.lua.LuaSettings;
import dev.spoa.worker.lua.ScriptLoadException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Copies of the operator's Lua script as it was when the agent accepted it, at start and at each
 * reload, in the run dir. Workers run a copy, not the file itself: a worker restarted after the
 * operator edited the file, but before a reload checked the edit, must still run the version that
 * was checked. Error messages and {@code require} still name the operator's file.
 */
public final class ScriptVersions {
    private final Path origin;
    private final Path dir;
    private final LuaSettings settings;
    private int version;

    /**
     * A checked copy.
     *
     * @param copy     the file workers are given
     * @param messages the messages it registers
     */
    public record Version(Path copy, Set<String> messages) {
    }

    /** {@code settings}: what the check runs the script with, as the workers will (their module path, the sandbox). */
    public ScriptVersions(Path origin, Path runDir, LuaSettings settings) {
        this.origin = origin;
        this.dir = runDir.resolve("scripts");
        this.settings = settings;
    }

    Path origin() {
        return origin;
    }

    /**
     * Copies the file as it is now and checks that it loads (compiles and runs its top level, which
     * registers the handlers), as a worker would.
     *
     * @throws ScriptLoadException with one line saying what is wrong
     */
    public Version snapshot() throws ScriptLoadException {
        Path copy = dir.resolve("v" + (++version) + "-" + origin.getFileName());
        try {
            Files.createDirectories(dir);
            Files.copy(origin, copy);
        } catch (NoSuchFileException e) {
            throw new ScriptLoadException("cannot read " + origin + ": no such file");
        } catch (AccessDeniedException e) {
            throw new ScriptLoadException("cannot read " + origin + ": permission denied");
        } catch (IOException e) {
            throw new ScriptLoadException("cannot copy " + origin + " into " + dir + ": " + e.getMessage());
        }
        return new Version(copy, LuaScriptHandler.load(copy, origin, settings).messages());
    }
}
