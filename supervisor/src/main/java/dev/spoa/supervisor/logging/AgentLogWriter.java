package dev.spoa.supervisor.logging;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;
import org.tinylog.core.LogEntry;
import org.tinylog.core.LogEntryValue;
import org.tinylog.writers.ConsoleWriter;
import org.tinylog.writers.RollingFileWriter;
import org.tinylog.writers.Writer;

/**
 * The front's tinylog writer ({@link LogSetup} configures one per destination): renders each entry
 * in text or JSON ({@link LogLine}) and hands the finished line to the console, a rotating file
 * (tinylog's own writers, with the format {@code {message}}) or syslog ({@link SyslogSender}).
 * Rendering here rather than with a tinylog format pattern is what lets a line carry the worker it
 * came from instead of the relay's thread, and lets JSON be escaped properly (tinylog 2.7's JSON
 * writer writes one array to a file, does not escape quotes, and cannot write to the console).
 *
 * <p>Properties (tinylog passes those of {@code writerN.*}): {@code format} text|json;
 * {@code target} console|file|syslog; for a file {@code file}, {@code size} (bytes), {@code kept};
 * for syslog {@code syslog}, an address as {@link SyslogAddress#parse} reads it.
 */
public final class AgentLogWriter implements Writer {
    /** The tinylog tag of a worker's lines, followed by its index: the line's source, and its {@code worker} field in JSON. */
    public static final String WORKER_TAG = "worker-";

    private final LogFormat format;
    private final Writer lines;
    private final SyslogSender syslog;

    public AgentLogWriter(Map<String, String> properties) throws IOException {
        LogFormat parsed = LogFormat.parse(properties.getOrDefault("format", "text"));
        format = parsed == null ? LogFormat.TEXT : parsed;
        String target = properties.getOrDefault("target", "console");
        switch (target) {
            case "console" -> {
                lines = new ConsoleWriter(Map.of("format", "{message}"));
                syslog = null;
            }
            case "file" -> {
                lines = rollingFile(Path.of(properties.get("file")), Long.parseLong(properties.get("size")),
                        Integer.parseInt(properties.get("kept")));
                syslog = null;
            }
            case "syslog" -> {
                lines = null;
                syslog = SyslogSender.open(SyslogAddress.parse(properties.get("syslog")));
            }
            default -> throw new IllegalArgumentException("unknown log target: " + target);
        }
    }

    /**
     * {@code file} is always the current file (a hard link tinylog moves at each rotation, so
     * {@code tail -F} follows it); rotated ones are {@code file.N}, the highest N the newest, the
     * oldest deleted past {@code kept}. A new file is started at midnight and when one would grow
     * past {@code maxBytes}; after a restart the current one is continued.
     */
    private static Writer rollingFile(Path file, long maxBytes, int kept) throws IOException {
        return new RollingFileWriter(Map.of(
                "file", file + ".{count}",
                "latest", file.toString(),
                "policies", "daily, size: " + maxBytes,
                "backups", Integer.toString(kept),
                "charset", "UTF-8",
                "format", "{message}"));
    }

    @Override
    public Collection<LogEntryValue> getRequiredLogEntryValues() {
        return EnumSet.of(LogEntryValue.DATE, LogEntryValue.THREAD, LogEntryValue.TAG, LogEntryValue.LEVEL,
                LogEntryValue.MESSAGE, LogEntryValue.EXCEPTION);
    }

    @Override
    public void write(LogEntry entry) throws Exception {
        if (syslog != null) {
            // Syslog stamps the time itself and carries the level as the severity; the text keeps the level for readers of files.
            syslog.send(entry.getLevel(), format == LogFormat.JSON ? LogLine.json(entry) : LogLine.text(entry, false));
            return;
        }
        String line = format == LogFormat.JSON ? LogLine.json(entry) : LogLine.text(entry, true);
        lines.write(new LogEntry(entry.getTimestamp(), entry.getThread(), entry.getContext(), null, null, null, -1, entry.getTag(),
                entry.getLevel(), line, null));
    }

    @Override
    public void flush() throws Exception {
        if (lines != null) {
            lines.flush();
        }
    }

    @Override
    public void close() throws Exception {
        if (lines != null) {
            lines.close();
        }
        if (syslog != null) {
            syslog.close();
        }
    }
}
