package dev.spoa.supervisor.workers;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.BiConsumer;
import org.tinylog.Level;

/**
 * Cuts a worker's output into log entries. A worker logs {@code LEVEL message}, the lines after the
 * first of an entry indented (its tinylog format is {@code {level} {message|indent=2}}), so a stack
 * trace stays with its message and the level survives the trip. Anything else is the JVM's own
 * output: an uncaught exception, an OutOfMemoryError, a crash report ({@code #} lines), a VM
 * warning; it is relayed too, at ERROR when it announces the end of the process, else at WARN.
 *
 * <p>An entry ends at the next unindented line or when no more output is waiting ({@link #pause}):
 * a worker writes each entry in one go, so waiting for more would only delay the line. The indent
 * is taken off again, so a message logged with a newline arrives as it was written.
 */
final class WorkerLines {
    /** Longer lines are cut (a runaway print must not grow the front's memory). */
    static final int MAX_LINE_BYTES = 16 * 1024;
    /** Longer entries lose their last lines. */
    static final int MAX_ENTRY_CHARS = 64 * 1024;

    /** What the worker's format puts before each line of an entry after the first; taken off again here. */
    static final String INDENT = "  ";

    private static final Level[] PREFIXED = {Level.ERROR, Level.WARN, Level.INFO, Level.DEBUG, Level.TRACE};

    private final BiConsumer<Level, String> entries;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    private StringBuilder pending;
    private Level pendingLevel;
    private boolean pendingTruncated;
    /** Whether the pending entry is one the worker logged (level prefix, lines after the first indented by {@link #INDENT}). */
    private boolean pendingLogged;
    /** The level continuation lines take when their entry was already passed on. */
    private Level lastLevel = Level.WARN;
    private boolean lastLogged;

    WorkerLines(BiConsumer<Level, String> entries) {
        this.entries = entries;
    }

    /** Bytes as they came from the pipe. */
    void feed(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b == '\n') {
                endLine();
            } else if (line.size() < MAX_LINE_BYTES) {
                line.write(b);
            } else {
                endLine(); // a line that long is cut into several
                line.write(b);
            }
        }
    }

    /** Nothing more is waiting in the pipe: the entry gathered so far is complete. */
    void pause() {
        flush();
    }

    /** The pipe closed: whatever is left, even a line without its newline, is passed on. */
    void end() {
        if (line.size() > 0) {
            endLine();
        }
        flush();
    }

    private void endLine() {
        String text = line.toString(StandardCharsets.UTF_8);
        line.reset();
        if (text.endsWith("\r")) {
            text = text.substring(0, text.length() - 1);
        }
        if (continues(text)) {
            boolean logged = pending == null ? lastLogged : pendingLogged;
            if (logged && text.startsWith(INDENT)) {
                text = text.substring(INDENT.length()); // the message's own line, as the handler wrote it
            }
            if (pending == null) {
                start(lastLevel, text, logged);
            } else if (!pendingTruncated && pending.length() + text.length() < MAX_ENTRY_CHARS) {
                pending.append('\n').append(text);
            } else if (!pendingTruncated) {
                pending.append("\n  ... (cut: longer than ").append(MAX_ENTRY_CHARS).append(" characters)");
                pendingTruncated = true;
            }
            return;
        }
        flush();
        if (text.isEmpty()) {
            return;
        }
        for (Level level : PREFIXED) {
            String name = level.name();
            if (text.length() > name.length() && text.startsWith(name) && text.charAt(name.length()) == ' ') {
                start(level, text.substring(name.length() + 1), true);
                return;
            }
        }
        start(fatal(text) ? Level.ERROR : Level.WARN, text, false);
    }

    /** An indented line, a "Caused by", a blank line inside an entry, or the next line of a crash report. */
    private boolean continues(String text) {
        if (text.isEmpty()) {
            return pending != null;
        }
        char first = text.charAt(0);
        return first == ' ' || first == '\t' || text.startsWith("Caused by: ")
                || first == '#' && pending != null && pending.charAt(0) == '#';
    }

    /** What the JVM prints as it fails: an uncaught exception, running out of memory, a crash (hs_err) report. */
    private static boolean fatal(String text) {
        return text.startsWith("Exception in thread") || text.startsWith("#") || text.contains("OutOfMemoryError")
                || text.startsWith("Error") || text.startsWith("Terminating due to");
    }

    private void start(Level level, String text, boolean logged) {
        pending = new StringBuilder(text);
        pendingLevel = level;
        pendingTruncated = false;
        pendingLogged = logged;
    }

    /**
     * Whether the entry gathered so far may still grow although nothing more is waiting: the JVM
     * prints an uncaught exception line by line, unlike the worker's log, which writes each entry
     * in one go. The reader gives such output a moment before it calls {@link #pause}.
     */
    boolean mayContinue() {
        return pending != null && !pendingLogged;
    }

    private void flush() {
        if (pending != null) {
            entries.accept(pendingLevel, pending.toString());
            lastLevel = pendingLevel;
            lastLogged = pendingLogged;
            pending = null;
        }
    }
}
