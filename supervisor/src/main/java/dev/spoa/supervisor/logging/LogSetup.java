package dev.spoa.supervisor.logging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.tinylog.configuration.Configuration;

/**
 * Points tinylog at the destinations the flags name. tinylog reads its configuration once, at the
 * first log line, so this runs before anything logs; it checks first that each destination can be
 * written (a file's folder, the syslog socket), because a tinylog writer that fails to open only
 * prints a note and logs nothing, and an agent that cannot log must not start.
 */
public final class LogSetup {
    private LogSetup() {
    }

    /** @throws IOException with a line for the operator when a destination cannot be written */
    public static void configure(LogSettings settings, boolean debug) throws IOException {
        Map<String, String> properties = new HashMap<>();
        properties.put("level", debug ? "debug" : "info");
        String format = settings.format().name().toLowerCase(java.util.Locale.ROOT);
        int writers = 0;
        if (settings.console()) {
            writers = add(properties, writers, format, Map.of("target", "console"));
        }
        if (settings.file().isPresent()) {
            Path file = settings.file().get().toAbsolutePath();
            checkWritable(file);
            writers = add(properties, writers, format, Map.of("target", "file", "file", file.toString(),
                    "size", Long.toString(settings.fileMaxBytes()), "kept", Integer.toString(settings.filesKept())));
        }
        if (settings.syslog().isPresent()) {
            SyslogAddress address = settings.syslog().get();
            try (SyslogSender probe = SyslogSender.open(address)) {
                // reachable: the writer opens its own
            }
            writers = add(properties, writers, format, Map.of("target", "syslog", "syslog", address instanceof SyslogAddress.Udp udp
                    ? udp.server().getHostString() + ":" + udp.server().getPort() : address.toString()));
        }
        Configuration.replace(properties);
    }

    private static int add(Map<String, String> properties, int writers, String format, Map<String, String> writer) {
        String name = "writer" + (writers + 1);
        properties.put(name, AgentLogWriter.class.getName());
        properties.put(name + ".format", format);
        writer.forEach((key, value) -> properties.put(name + "." + key, value));
        return writers + 1;
    }

    private static void checkWritable(Path file) throws IOException {
        Path dir = file.getParent();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("--log-file: cannot make the folder " + dir + ": " + e.getMessage(), e);
        }
        if (!Files.isWritable(dir) || Files.exists(file) && !Files.isWritable(file)) {
            throw new IOException("--log-file: cannot write in " + dir);
        }
    }
}
