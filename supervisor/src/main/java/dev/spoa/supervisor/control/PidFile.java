package dev.spoa.supervisor.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.tinylog.Logger;

/** The agent's pid in a file, for {@code stop}, {@code reload} and {@code status} to find it. */
public final class PidFile {
    private PidFile() {
    }

    /** Written whole or not at all (a rename), so a reader never sees half a number. */
    public static void write(Path file) throws IOException {
        AtomicFile.write(file, ProcessHandle.current().pid() + "\n");
    }

    /** Removed at exit if it is still ours; with --user it may belong to root, and then it stays (logged). */
    public static void remove(Path file) {
        try {
            if (read(file) == ProcessHandle.current().pid()) {
                Files.delete(file);
            }
        } catch (IOException | ControlException e) {
            Logger.debug("cannot remove the pid file {}: {}", file, e.getMessage());
        }
    }

    /** @throws ControlException with one line when the file is missing or does not hold a pid */
    public static long read(Path file) throws ControlException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            throw new ControlException("no pid file " + file + ": is the agent running (start --pid-file " + file + ")?");
        } catch (IOException e) {
            throw new ControlException("cannot read the pid file " + file + ": " + e.getMessage());
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ControlException("the pid file " + file + " does not hold a pid: \"" + text + "\"");
        }
    }
}
