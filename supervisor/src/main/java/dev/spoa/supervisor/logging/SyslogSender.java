package dev.spoa.supervisor.logging;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.tinylog.Level;

/**
 * Sends syslog messages (RFC 3164, facility daemon, tag {@code spoa[pid]}) as datagrams, never
 * waiting: a message the syslog daemon has no room for is dropped and counted, and the count is
 * sent once it takes messages again. A log line must never stall the agent.
 *
 * <p>tinylog 2.7's own syslog writer only speaks UDP or TCP to port 514 of localhost (its
 * {@code host} property is read but not used) and cannot write to {@code /dev/log}, the Unix
 * datagram socket that journald and rsyslog serve on every host and where glibc's syslog(3)
 * writes. The JDK cannot send Unix datagrams either, hence a few libc calls through JNA.
 */
abstract sealed class SyslogSender implements AutoCloseable {
    /** daemon (3), shifted as RFC 3164's PRI wants. */
    private static final int FACILITY_DAEMON = 3 << 3;
    private static final String TAG = "spoa";
    private static final DateTimeFormatter RFC3164_TIME = DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ENGLISH);

    private final String header;
    private final int maxBytes;
    private long dropped;

    private SyslogSender(String hostName, int maxBytes) {
        this.header = (hostName == null ? "" : hostName + " ") + TAG + "[" + ProcessHandle.current().pid() + "]: ";
        this.maxBytes = maxBytes;
    }

    /** Opens a sender; fails with a line for the operator when nothing can be sent there. */
    static SyslogSender open(SyslogAddress address) throws IOException {
        if (address instanceof SyslogAddress.Local local) {
            return new Local(local.socket());
        }
        return new Udp(((SyslogAddress.Udp) address).server());
    }

    /** Sends one message (which may span several lines) at this level. */
    final synchronized void send(Level level, String message) {
        if (dropped > 0 && trySend(encode(Level.WARN, dropped + " earlier log lines could not be sent to syslog (it was not "
                + "taking them)"))) {
            dropped = 0;
        }
        if (!trySend(encode(level, message))) {
            dropped++;
        }
    }

    private byte[] encode(Level level, String message) {
        String text = "<" + (FACILITY_DAEMON + LogLine.severity(level)) + ">" + RFC3164_TIME.format(ZonedDateTime.now()) + " "
                + header + message;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= maxBytes) {
            return bytes;
        }
        byte[] cut = new byte[maxBytes];
        System.arraycopy(bytes, 0, cut, 0, maxBytes);
        return cut;
    }

    /** False if the message could not be sent now (dropped). */
    abstract boolean trySend(byte[] datagram);

    @Override
    public abstract void close();

    /** The local syslog socket: a Unix datagram socket, /dev/log unless told otherwise. */
    static final class Local extends SyslogSender {
        private static final int AF_UNIX = 1;
        private static final int SOCK_DGRAM = 2;
        private static final int SOCK_CLOEXEC = 0x80000;
        private static final int MSG_DONTWAIT = 0x40;
        private static final int EAGAIN = 11;
        /** sa_family_t then sun_path[108]: Linux's struct sockaddr_un. */
        private static final int SUN_PATH = 108;

        private final byte[] address;
        private final Path socket;
        private int fd = -1;

        Local(Path socket) throws IOException {
            // No host name: the local daemon adds it, as it does for glibc's syslog(3).
            super(null, 60 * 1024);
            this.socket = socket;
            byte[] path = socket.toString().getBytes(StandardCharsets.UTF_8);
            if (path.length >= SUN_PATH) {
                throw new IOException("syslog socket path too long: " + socket);
            }
            address = new byte[2 + SUN_PATH];
            address[0] = (byte) AF_UNIX; // little-endian on the platforms JNA's x86_64 and aarch64 builds run on
            System.arraycopy(path, 0, address, 2, path.length);
            String problem = connect();
            if (problem != null) {
                throw new IOException("cannot send to syslog at " + socket + ": " + problem
                        + (Files.exists(socket) ? "" : " (no syslog daemon on this host? --syslog-address HOST:PORT sends over UDP)"));
            }
        }

        /** Null once connected, else what went wrong. */
        private String connect() {
            int socketFd = Libc.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            if (socketFd < 0) {
                return Libc.error(Native.getLastError());
            }
            if (Libc.connect(socketFd, address, address.length) != 0) {
                String problem = Libc.error(Native.getLastError());
                Libc.close(socketFd);
                return problem;
            }
            fd = socketFd;
            return null;
        }

        @Override
        boolean trySend(byte[] datagram) {
            if (fd < 0 && connect() != null) {
                return false;
            }
            if (Libc.send(fd, datagram, datagram.length, MSG_DONTWAIT) >= 0) {
                return true;
            }
            if (Native.getLastError() == EAGAIN) {
                return false; // the daemon's queue is full: drop rather than wait
            }
            // The daemon went away or was restarted (a new socket at the same path): reconnect once.
            close();
            return connect() == null && Libc.send(fd, datagram, datagram.length, MSG_DONTWAIT) >= 0;
        }

        @Override
        public synchronized void close() {
            if (fd >= 0) {
                Libc.close(fd);
                fd = -1;
            }
        }

        @Override
        public String toString() {
            return socket.toString();
        }
    }

    /** A syslog server over UDP; the host name goes in each message, as RFC 3164 wants from a sender. */
    static final class Udp extends SyslogSender {
        private final DatagramChannel channel;
        private final InetSocketAddress server;

        Udp(InetSocketAddress unresolved) throws IOException {
            super(hostName(), 8 * 1024); // rsyslog's default largest message
            server = new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
            if (server.isUnresolved()) {
                throw new IOException("cannot send to syslog at " + unresolved.getHostString() + ": unknown host");
            }
            channel = DatagramChannel.open(server.getAddress() instanceof Inet6Address
                    ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            channel.connect(server);
        }

        @Override
        boolean trySend(byte[] datagram) {
            try {
                return channel.write(ByteBuffer.wrap(datagram)) > 0;
            } catch (PortUnreachableException e) {
                return false; // nobody listened when an earlier message arrived
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException e) {
                // closing a datagram channel has nothing to flush
            }
        }

        private static String hostName() {
            try {
                String name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
                return name.isEmpty() ? "localhost" : name;
            } catch (IOException e) {
                return "localhost";
            }
        }

        @Override
        public String toString() {
            return "udp:" + server;
        }
    }

    /** The libc calls a Unix datagram needs, by JNA direct mapping. */
    private static final class Libc {
        static {
            Native.register(Libc.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
        }

        private Libc() {
        }

        static native int socket(int domain, int type, int protocol);

        static native int connect(int fd, byte[] address, int length);

        static native long send(int fd, byte[] buffer, long length, int flags);

        static native int close(int fd);

        static native String strerror(int errno);

        static String error(int errno) {
            return strerror(errno);
        }
    }
}
