package dev.spoa.supervisor.front;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A listening socket, TCP or Unix: the same channel type serves both since JDK 16, so connections
 * from either are handled by the same code.
 */
final class Listener implements AutoCloseable {
    private final ServerSocketChannel server;
    private final SocketAddress address;

    private Listener(ServerSocketChannel server, SocketAddress address) {
        this.server = server;
        this.address = address;
    }

    static Listener tcp(InetSocketAddress address) throws IOException {
        return bind(ServerSocketChannel.open(), address, describe(address));
    }

    /** A socket file left by an agent that died is replaced; one another process listens on is not. */
    static Listener unix(Path path) throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
        if (Files.exists(path)) {
            if (someoneListens(address)) {
                throw new IOException("cannot listen on " + path + ": another process listens there");
            }
            Files.delete(path);
        }
        return bind(ServerSocketChannel.open(StandardProtocolFamily.UNIX), address, path.toString());
    }

    private static Listener bind(ServerSocketChannel server, SocketAddress address, String name) throws IOException {
        try {
            server.bind(address, 1024);
            server.configureBlocking(false);
            return new Listener(server, server.getLocalAddress());
        } catch (IOException e) {
            server.close();
            throw new IOException("cannot listen on " + name + ": " + e.getMessage(), e);
        }
    }

    private static boolean someoneListens(UnixDomainSocketAddress address) {
        try (SocketChannel probe = SocketChannel.open(address)) {
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    ServerSocketChannel channel() {
        return server;
    }

    /** The bound address (with the real port when 0 was asked for). */
    SocketAddress address() {
        return address;
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (address instanceof UnixDomainSocketAddress unix) {
            Files.deleteIfExists(unix.getPath());
        }
    }

    @Override
    public String toString() {
        return address instanceof InetSocketAddress inet ? describe(inet) : "unix:" + address;
    }

    static String describe(InetSocketAddress address) {
        String host = address.getAddress() == null ? address.getHostString() : address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
