package dev.spoa.supervisor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MetricsServerTest {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

    private static HttpResponse<String> request(MetricsServer server, String method, String path) throws Exception {
        URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesTheSnapshotAtSlashMetricsOnly() throws Exception {
        AgentMetrics metrics = new AgentMetrics(1, () -> new LiveState(0, 1, new int[1]));
        metrics.front().connectionAccepted();
        try (MetricsServer server = MetricsServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics::snapshot)) {
            server.start();
            HttpResponse<String> ok = request(server, "GET", "/metrics");
            assertEquals(200, ok.statusCode());
            assertEquals("text/plain; version=0.0.4; charset=utf-8", ok.headers().firstValue("Content-Type").orElse(""));
            assertEquals(1, Exposition.parse(ok.body()).value("spoa_connections_accepted_total"));

            metrics.front().connectionAccepted();
            assertEquals(2, Exposition.parse(request(server, "GET", "/metrics").body()).value("spoa_connections_accepted_total"),
                    "each scrape takes a fresh snapshot");
            assertEquals(200, request(server, "HEAD", "/metrics").statusCode());
            assertEquals(404, request(server, "GET", "/").statusCode());
            assertEquals(404, request(server, "GET", "/metrics/more").statusCode());
            assertEquals(405, request(server, "POST", "/metrics").statusCode());
        }
    }

    @Test
    void aPortInUseIsOneClearMessage() throws Exception {
        AgentMetrics metrics = new AgentMetrics(1, () -> new LiveState(0, 0, new int[1]));
        try (MetricsServer first = MetricsServer.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), metrics::snapshot)) {
            IOException e = assertThrows(IOException.class, () -> MetricsServer.bind(first.address(), metrics::snapshot));
            assertTrue(e.getMessage().startsWith("cannot listen for --metrics on 127.0.0.1:" + first.address().getPort() + ": "),
                    e.getMessage());
        }
    }

    @Test
    void addressesAreNumericWithAPort() throws Exception {
        assertEquals(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 9100), MetricsServer.parseAddress("127.0.0.1:9100"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0), MetricsServer.parseAddress("0.0.0.0:0"));
        assertEquals(new InetSocketAddress(InetAddress.getByName("::1"), 9100), MetricsServer.parseAddress("[::1]:9100"));
        for (String bad : new String[] {"9100", ":9100", "127.0.0.1", "127.0.0.1:", "localhost:9100", "::1:9100", "[::1]",
                "256.0.0.1:9100", "1.2.3:9100", "127.0.0.1:70000", "127.0.0.1:-1", "127.0.0.1:http", "[nope]:9100"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetricsServer.parseAddress(bad), bad);
            assertTrue(e.getMessage().startsWith("--metrics") && e.getMessage().endsWith(bad), e.getMessage());
        }
    }
}
