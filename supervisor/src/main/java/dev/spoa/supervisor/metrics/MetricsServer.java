package dev.spoa.supervisor.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.tinylog.Logger;

/**
 * {@code --metrics ADDR:PORT}: the snapshot in Prometheus' text format at {@code /metrics} over
 * HTTP, with the JDK's own server. No executor is set, so the server's single dispatcher thread
 * answers each scrape itself: scrapes are rare and small, and nothing of the request path waits
 * on them. The socket is bound at {@link #bind} (before privileges are dropped, like the SPOP
 * listeners); requests are served from {@link #start} on.
 */
public final class MetricsServer implements AutoCloseable {
    static final String PATH = "/metrics";

    private final HttpServer server;

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    /** Binds the address; a port in use or an address not of this host is an IOException with a clear message. */
    public static MetricsServer bind(InetSocketAddress address, Supplier<MetricsSnapshot> snapshots) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(address, 16);
        } catch (IOException e) {
            throw new IOException("cannot listen for --metrics on " + text(address) + ": " + e.getMessage(), e);
        }
        server.createContext("/", exchange -> serve(exchange, snapshots));
        return new MetricsServer(server);
    }

    public void start() {
        server.start();
        Logger.info("metrics at http://{}{}", text(address()), PATH);
    }

    /** Where it listens (the port the system chose, when 0 was asked for). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private static void serve(HttpExchange exchange, Supplier<MetricsSnapshot> snapshots) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                reply(exchange, 404, "not found: the metrics are at " + PATH + "\n", method);
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                reply(exchange, 405, "GET or HEAD only\n", method);
            } else {
                String body;
                try {
                    body = PrometheusText.format(snapshots.get());
                } catch (RuntimeException e) {
                    Logger.error(e, "cannot make the metrics");
                    reply(exchange, 500, "cannot make the metrics: " + e + "\n", method);
                    return;
                }
                exchange.getResponseHeaders().set("Content-Type", PrometheusText.CONTENT_TYPE);
                reply(exchange, 200, body, method);
            }
        }
    }

    private static void reply(HttpExchange exchange, int status, String body, String method) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (status != 200) {
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        }
        if (method.equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /**
     * The value of {@code --metrics}: {@code ADDR:PORT}, the address numeric (IPv4, or IPv6 in
     * brackets: {@code [::1]:9100}) since a name would need DNS at start, the port 0 to 65535.
     *
     * @throws IllegalArgumentException with a message fit for the command line
     */
    public static InetSocketAddress parseAddress(String text) {
        String expected = "--metrics takes ADDR:PORT (127.0.0.1:9100, [::1]:9100, 0.0.0.0:9100): " + text;
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new IllegalArgumentException(expected);
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        String literal = bracketed ? host.substring(1, host.length() - 1) : host;
        boolean addressOk = bracketed ? literal.matches("[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*") : isIpv4(literal);
        if (!addressOk || !portText.matches("[0-9]{1,5}")) {
            throw new IllegalArgumentException(expected);
        }
        int port = Integer.parseInt(portText);
        if (port > 65535) {
            throw new IllegalArgumentException("--metrics: the port must be between 0 and 65535: " + text);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(literal), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(expected);
        }
    }

    /** Four decimal bytes: anything else would make InetAddress ask DNS. */
    private static boolean isIpv4(String text) {
        if (!text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
            return false;
        }
        for (String part : text.split("\\.")) {
            if (Integer.parseInt(part) > 255) {
                return false;
            }
        }
        return true;
    }

    private static String text(InetSocketAddress address) {
        String host = address.getAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }
}
