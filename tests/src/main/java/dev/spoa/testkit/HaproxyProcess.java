package dev.spoa.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy (Debian's package) in the foreground, started from one of the shipped configs
 * rewritten for the test: free ports, file paths, a stats socket to ask it questions.
 */
public final class HaproxyProcess implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final Path statsSocket;

    private HaproxyProcess(Process process, Path log, Path statsSocket) {
        this.process = process;
        this.log = log;
        this.statsSocket = statsSocket;
    }

    /**
     * Copies {@code template} into {@code dir} with each replacement applied (each must match, so a
     * change to the shipped file cannot silently empty the test), adds a stats socket, and starts it.
     */
    public static HaproxyProcess start(Path template, Map<String, String> replacements, Path dir) throws IOException {
        if (!onPath("haproxy")) {
            throw new IllegalStateException("HAProxy is not installed: run bin/test (which installs it) or apt-get install haproxy");
        }
        String config = Files.readString(template);
        for (Map.Entry<String, String> replacement : replacements.entrySet()) {
            if (!config.contains(replacement.getKey())) {
                throw new IllegalStateException(template + " no longer contains \"" + replacement.getKey() + "\"");
            }
            config = config.replace(replacement.getKey(), replacement.getValue());
        }
        Path statsSocket = dir.resolve("haproxy.sock");
        config = config.replaceFirst("(?m)^global\\n", "global\n    stats socket " + statsSocket + " level admin\n");
        Path file = dir.resolve(template.getFileName());
        Files.writeString(file, config);
        Path log = dir.resolve("haproxy.log");
        Process process = new ProcessBuilder("haproxy", "-db", "-f", file.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        return new HaproxyProcess(process, log, statsSocket);
    }

    /** Waits until the stats socket answers (HAProxy has parsed its config and bound its sockets). */
    public void awaitStarted(Duration timeout) throws IOException, InterruptedException {
        long giveUp = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("haproxy exited with status " + process.exitValue() + ":\n" + log());
            }
            try {
                command("show info");
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > giveUp) {
                    throw new IOException("haproxy did not start within " + timeout.toSeconds() + " s:\n" + log(), notYet);
                }
                Thread.sleep(100);
            }
        }
    }

    /** Waits until HAProxy's health check marks this server UP (or DOWN, or whatever state is asked). */
    public void awaitServerStatus(String backend, String server, String status, Duration timeout)
            throws IOException, InterruptedException {
        long giveUp = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < giveUp) {
            last = serverStatus(backend, server);
            if (last.startsWith(status)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IOException(backend + "/" + server + " is " + last + ", not " + status + " after " + timeout.toSeconds()
                + " s:\n" + log());
    }

    /** The "status" column of "show stat" for one server ("UP", "DOWN", "UP 1/2"...). */
    public String serverStatus(String backend, String server) throws IOException {
        List<String> lines = command("show stat").lines().toList();
        List<String> header = List.of(lines.get(0).replaceFirst("^# ", "").split(","));
        int status = header.indexOf("status");
        for (String line : lines) {
            String[] fields = line.split(",", -1);
            if (fields.length > status && fields[0].equals(backend) && fields[1].equals(server)) {
                return fields[status];
            }
        }
        throw new IOException("no server " + backend + "/" + server + " in show stat");
    }

    /** One command on the stats socket; its whole answer. */
    public String command(String command) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(statsSocket));
            channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII)));
            return new String(readAll(channel), StandardCharsets.UTF_8);
        }
    }

    private static byte[] readAll(SocketChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        while (channel.read(buffer) >= 0) {
            if (!buffer.hasRemaining()) {
                break;
            }
        }
        buffer.flip();
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return Files.isExecutable(Path.of("/usr/sbin", command));
    }
}
