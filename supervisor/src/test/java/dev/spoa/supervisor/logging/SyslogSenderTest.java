package dev.spoa.supervisor.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tinylog.Level;

class SyslogSenderTest {
    /** RFC 3164 as glibc's syslog(3) writes to /dev/log: {@code <PRI>Mmm dd hh:mm:ss TAG[PID]: MSG}, PRI = daemon * 8 + severity. */
    private static final String LOCAL_FORMAT = "<(\\d+)>[A-Z][a-z]{2} [ 1-3]\\d \\d\\d:\\d\\d:\\d\\d spoa\\[\\d+\\]: (.*)";

    @Test
    void udpMessagesCarryFacilityDaemonTheSeverityAndTheHostName() throws Exception {
        try (DatagramSocket server = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(10_000);
            try (SyslogSender sender = SyslogSender.open(new SyslogAddress.Udp(
                    InetSocketAddress.createUnresolved("127.0.0.1", server.getLocalPort())))) {
                sender.send(Level.ERROR, "it broke\nsecond line");
                sender.send(Level.INFO, "fine");
            }
            String first = receive(server);
            assertTrue(first.matches("(?s)<27>[A-Z][a-z]{2} [ 1-3]\\d \\d\\d:\\d\\d:\\d\\d \\S+ spoa\\[\\d+\\]: it broke\nsecond line"), first);
            assertTrue(receive(server).startsWith("<30>"), "daemon.info");
        }
    }

    @Test
    void theLocalSocketGetsDatagramsAsFromSyslog3(@TempDir Path dir) throws Exception {
        Path socket = dir.resolve("log");
        try (UnixReceiver receiver = new UnixReceiver(socket);
                SyslogSender sender = SyslogSender.open(new SyslogAddress.Local(socket))) {
            sender.send(Level.WARN, "careful");
            String message = receiver.receive();
            assertTrue(message.matches(LOCAL_FORMAT), message);
            assertEquals("<28>", message.substring(0, 4), "daemon.warning");
            assertTrue(message.endsWith("]: careful"), message);
        }
    }

    @Test
    void noSyslogDaemonIsOneClearLine(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> SyslogSender.open(new SyslogAddress.Local(dir.resolve("none"))));
        assertTrue(e.getMessage().startsWith("cannot send to syslog at " + dir.resolve("none") + ": "), e.getMessage());
        assertTrue(e.getMessage().contains("no syslog daemon"), e.getMessage());
    }

    private static String receive(DatagramSocket server) throws IOException {
        DatagramPacket packet = new DatagramPacket(new byte[65536], 65536);
        server.receive(packet);
        return new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8);
    }

    /** The syslog daemon's end of a Unix datagram socket (the JDK has none). */
    private static final class UnixReceiver implements AutoCloseable {
        private static final int MSG_DONTWAIT = 0x40;
        private final int fd;

        static {
            Native.register(UnixReceiver.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        private static native int socket(int domain, int type, int protocol);

        private static native int bind(int fd, byte[] address, int length);

        private static native long recv(int fd, byte[] buffer, long length, int flags);

        private static native int close(int fd);

        UnixReceiver(Path path) throws IOException {
            fd = socket(1, 2, 0);
            byte[] address = new byte[110];
            address[0] = 1;
            byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(name, 0, address, 2, name.length);
            if (fd < 0 || bind(fd, address, address.length) != 0) {
                throw new IOException("cannot bind " + path + ": errno " + Native.getLastError());
            }
        }

        String receive() throws InterruptedException {
            byte[] buffer = new byte[65536];
            long giveUp = System.nanoTime() + 10_000_000_000L;
            while (System.nanoTime() - giveUp < 0) {
                long length = recv(fd, buffer, buffer.length, MSG_DONTWAIT);
                if (length >= 0) {
                    return new String(buffer, 0, (int) length, StandardCharsets.UTF_8);
                }
                Thread.sleep(20);
            }
            throw new AssertionError("no datagram within 10 s");
        }

        @Override
        public void close() {
            close(fd);
        }
    }
}
