package dev.spoa.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;

/** Where an agent listens: {@code HOST:PORT}, {@code [IPV6]:PORT}, or a Unix socket ({@code unix:/path} or {@code /path}). */
public record Endpoint(SocketAddress address, String text) {

    /** Parses the forms above; a bad one is an IllegalArgumentException whose message is one line for the user. */
    public static Endpoint parse(String text) {
        if (text.startsWith("unix:") || text.startsWith("/")) {
            String path = text.startsWith("unix:") ? text.substring("unix:".length()) : text;
            if (path.isEmpty()) {
                throw new IllegalArgumentException("no socket path in " + text);
            }
            return new Endpoint(UnixDomainSocketAddress.of(path), text);
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException("expected HOST:PORT or a Unix socket path: " + text);
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad port in " + text);
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range in " + text);
        }
        return new Endpoint(new InetSocketAddress(host, port), text);
    }

    public static Endpoint tcp(String host, int port) {
        return new Endpoint(new InetSocketAddress(host, port), host + ":" + port);
    }

    /** A blocking connection; TCP_NODELAY on TCP, since every turn's frames are one small write. */
    SocketChannel connect() throws IOException {
        if (address instanceof UnixDomainSocketAddress) {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(address);
            } catch (IOException e) {
                channel.close();
                throw e;
            }
            return channel;
        }
        SocketChannel channel = SocketChannel.open(address);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        return channel;
    }

    @Override
    public String toString() {
        return text;
    }
}
