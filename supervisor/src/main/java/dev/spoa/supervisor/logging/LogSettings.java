package dev.spoa.supervisor.logging;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the agent's log goes and in which form: the console unless a file or syslog is given.
 * The workers' lines go wherever the front's go (the front relays them).
 *
 * @param format       text or JSON lines
 * @param file         {@code --log-file}: written with rotation, else not at all
 * @param fileMaxBytes a file is rotated once it would grow past this (and at midnight)
 * @param filesKept    how many rotated files are kept besides the current one
 * @param syslog       {@code --syslog}: where syslog messages go, else none are sent
 */
public record LogSettings(LogFormat format, Optional<Path> file, long fileMaxBytes, int filesKept, Optional<SyslogAddress> syslog) {
    public static final long DEFAULT_FILE_MAX_BYTES = 10L * 1024 * 1024;
    public static final int DEFAULT_FILES_KEPT = 10;

    /** Text on the console: what the agent does with no log flag. */
    public static final LogSettings CONSOLE = new LogSettings(LogFormat.TEXT, Optional.empty(), DEFAULT_FILE_MAX_BYTES,
            DEFAULT_FILES_KEPT, Optional.empty());

    public LogSettings {
        if (fileMaxBytes < 1) {
            throw new IllegalArgumentException("--log-file-size must be at least 1 byte: " + fileMaxBytes);
        }
        if (filesKept < 0) {
            throw new IllegalArgumentException("--log-files-kept cannot be negative: " + filesKept);
        }
    }

    /** Neither a file nor syslog: the console. */
    public boolean console() {
        return file.isEmpty() && syslog.isEmpty();
    }

    /**
     * The settings the flags describe.
     *
     * @param syslog        {@code --syslog}: to the local syslog socket unless {@code syslogAddress} says otherwise
     * @param syslogAddress {@code --syslog-address}, or null; giving it turns syslog on
     * @param fileSize      {@code --log-file-size} as written ({@code 10M}, {@code 500K}, bytes), or null for the default
     * @throws IllegalArgumentException with a line for the operator
     */
    public static LogSettings fromFlags(String format, String file, String fileSize, Integer filesKept, boolean syslog,
            String syslogAddress) {
        LogFormat logFormat = format == null ? LogFormat.TEXT : LogFormat.parse(format);
        if (logFormat == null) {
            throw new IllegalArgumentException("--log-format takes text or json: " + format);
        }
        Optional<SyslogAddress> address = syslogAddress != null ? Optional.of(SyslogAddress.parse(syslogAddress))
                : syslog ? Optional.of(new SyslogAddress.Local(SyslogAddress.LOCAL)) : Optional.empty();
        return new LogSettings(logFormat, Optional.ofNullable(file).map(Path::of),
                fileSize == null ? DEFAULT_FILE_MAX_BYTES : parseSize(fileSize),
                filesKept == null ? DEFAULT_FILES_KEPT : filesKept, address);
    }

    /** {@code 10M}, {@code 10MB}, {@code 500k}, {@code 1G} or a number of bytes. */
    static long parseSize(String text) {
        String size = text.strip().toUpperCase(java.util.Locale.ROOT);
        if (size.endsWith("B")) {
            size = size.substring(0, size.length() - 1);
        }
        long unit = 1;
        if (!size.isEmpty()) {
            switch (size.charAt(size.length() - 1)) {
                case 'K' -> unit = 1024;
                case 'M' -> unit = 1024 * 1024;
                case 'G' -> unit = 1024 * 1024 * 1024;
                default -> unit = 1;
            }
        }
        String digits = unit == 1 ? size : size.substring(0, size.length() - 1);
        try {
            long value = Long.parseLong(digits.strip());
            if (value < 1 || value > Long.MAX_VALUE / unit) {
                throw new NumberFormatException();
            }
            return value * unit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--log-file-size takes a size such as 10M, 500K or a number of bytes: " + text);
        }
    }
}
