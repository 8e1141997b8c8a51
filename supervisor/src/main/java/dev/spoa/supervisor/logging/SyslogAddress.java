package dev.spoa.supervisor.logging;

import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * Where {@code --syslog} sends: the local syslog socket (a Unix datagram socket, {@code /dev/log}
 * by default, which journald and rsyslog both serve) or a syslog server over UDP.
 */
public sealed interface SyslogAddress {
    /** glibc's syslog(3) writes here, and so does logger(1). */
    Path LOCAL = Path.of("/dev/log");

    /** A local Unix datagram socket. */
    record Local(Path socket) implements SyslogAddress {
        @Override
        public String toString() {
            return socket.toString();
        }
    }

    /** A syslog server over UDP (RFC 3164 messages). */
    record Udp(InetSocketAddress server) implements SyslogAddress {
        @Override
        public String toString() {
            return "udp:" + server.getHostString() + ":" + server.getPort();
        }
    }

    /**
     * {@code /path/to/socket}, or {@code HOST:PORT} / {@code [IPv6]:PORT} for UDP.
     *
     * @throws IllegalArgumentException with a line for the operator
     */
    static SyslogAddress parse(String text) {
        if (text.startsWith("/")) {
            return new Local(Path.of(text));
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("--syslog-address takes a socket path (/dev/log) or HOST:PORT for UDP: " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("--syslog-address: the port must be between 1 and 65535: " + text);
        }
        return new Udp(InetSocketAddress.createUnresolved(host, port));
    }
}
