package dev.spoa.supervisor.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.tinylog.Level;
import org.tinylog.core.LogEntry;

/**
 * Renders one log entry as the agent writes it, in text or as one JSON object. The source of a line
 * is the thread that logged it, or for a worker's line the tag the relay gives it ({@code worker-3}).
 */
final class LogLine {
    private static final DateTimeFormatter TEXT_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
            .withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter JSON_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
            .withZone(ZoneId.systemDefault());

    private LogLine() {
    }

    /** {@code 2026-11-22 03:13:11.123 INFO  [spoa-front] message}, the stack trace on the lines below. */
    static String text(LogEntry entry, boolean withTime) {
        StringBuilder line = new StringBuilder(128);
        if (withTime) {
            TEXT_TIME.formatTo(entry.getTimestamp().toInstant(), line);
            line.append(' ');
        }
        String level = entry.getLevel().name();
        line.append(level);
        line.append(" ".repeat(Math.max(1, 6 - level.length())));
        line.append('[').append(source(entry)).append("] ");
        line.append(entry.getMessage() == null ? "" : entry.getMessage());
        Throwable exception = entry.getException();
        if (exception != null) {
            line.append(System.lineSeparator()).append(stackTrace(exception).stripTrailing());
        }
        return line.toString();
    }

    /**
     * One JSON object: {@code time}, {@code level}, {@code thread}, {@code message}; {@code worker}
     * for a worker's line; {@code connection}, {@code stream} and {@code frame} for a line about a
     * frame (messages that start "connection 3: stream 5 frame 1: ..."); {@code exception} with the
     * stack trace. Every string is escaped, so a message with quotes or newlines stays one line.
     */
    static String json(LogEntry entry) {
        StringBuilder json = new StringBuilder(160);
        json.append("{\"time\":\"");
        JSON_TIME.formatTo(entry.getTimestamp().toInstant(), json);
        json.append("\",\"level\":\"").append(entry.getLevel().name()).append('"');
        String source = source(entry);
        field(json, "thread", source);
        int worker = workerIndex(entry.getTag());
        if (worker >= 0) {
            json.append(",\"worker\":").append(worker);
        }
        String message = entry.getMessage() == null ? "" : entry.getMessage();
        frameFields(json, message);
        field(json, "message", message);
        if (entry.getException() != null) {
            field(json, "exception", stackTrace(entry.getException()).stripTrailing());
        }
        return json.append('}').toString();
    }

    static String source(LogEntry entry) {
        if (entry.getTag() != null) {
            return entry.getTag();
        }
        return entry.getThread() == null ? "?" : entry.getThread().getName();
    }

    /** Syslog's severities (RFC 5424): err, warning, info, debug. */
    static int severity(Level level) {
        return switch (level) {
            case ERROR -> 3;
            case WARN -> 4;
            case INFO -> 6;
            default -> 7;
        };
    }

    private static int workerIndex(String tag) {
        if (tag == null || !tag.startsWith(AgentLogWriter.WORKER_TAG)) {
            return -1;
        }
        try {
            return Integer.parseInt(tag.substring(AgentLogWriter.WORKER_TAG.length()));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** "connection 3: stream 5 frame 1: ..." → connection, stream and frame fields; "connection 3: ..." → connection. */
    private static void frameFields(StringBuilder json, String message) {
        if (!message.startsWith("connection ")) {
            return;
        }
        int at = "connection ".length();
        int end = digits(message, at);
        if (end == at || !message.startsWith(": ", end)) {
            return;
        }
        json.append(",\"connection\":").append(message, at, end);
        at = end + 2;
        if (!message.startsWith("stream ", at)) {
            return;
        }
        int streamStart = at + "stream ".length();
        int streamEnd = digits(message, streamStart);
        if (streamEnd == streamStart || !message.startsWith(" frame ", streamEnd)) {
            return;
        }
        int frameStart = streamEnd + " frame ".length();
        int frameEnd = digits(message, frameStart);
        if (frameEnd == frameStart) {
            return;
        }
        json.append(",\"stream\":").append(message, streamStart, streamEnd);
        json.append(",\"frame\":").append(message, frameStart, frameEnd);
    }

    private static int digits(String text, int from) {
        int at = from;
        // 19 digits at most: a long; more would not be a number a JSON reader takes as exact.
        while (at < text.length() && at - from < 19 && text.charAt(at) >= '0' && text.charAt(at) <= '9') {
            at++;
        }
        return at;
    }

    private static void field(StringBuilder json, String name, String value) {
        json.append(",\"").append(name).append("\":\"");
        escape(json, value);
        json.append('"');
    }

    /** JSON string escaping (RFC 8259): quotes, backslashes and every control character. */
    static void escape(StringBuilder json, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
    }

    private static String stackTrace(Throwable exception) {
        StringWriter trace = new StringWriter();
        try (PrintWriter writer = new PrintWriter(trace)) {
            exception.printStackTrace(writer);
        }
        return trace.toString();
    }
}
