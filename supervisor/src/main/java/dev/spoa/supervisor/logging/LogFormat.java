package dev.spoa.supervisor.logging;

import java.util.Locale;

/** How each log line is written: {@code --log-format text|json}. */
public enum LogFormat {
    /** {@code 2026-11-22 03:13:11.123 INFO  [spoa-front] message}: for people. */
    TEXT,
    /** One JSON object per line: for log shippers. */
    JSON;

    /** The flag's value, case-insensitive; null if it names no format. */
    public static LogFormat parse(String text) {
        for (LogFormat format : values()) {
            if (format.name().equals(text.toUpperCase(Locale.ROOT))) {
                return format;
            }
        }
        return null;
    }
}
