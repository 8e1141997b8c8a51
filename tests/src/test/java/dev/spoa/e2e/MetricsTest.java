package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.protocol.Ack;
import dev.spoa.protocol.AgentDisconnect;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.Notify;
import dev.spoa.protocol.TypedData;
import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.SpopClient;
import dev.spoa.testkit.Wait;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code --metrics}: the agent's counts scraped over HTTP as Prometheus would, after known traffic,
 * match that traffic exactly; a killed worker shows as a restart.
 */
class MetricsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*(?:\\{[^}]*\\})?) (\\S+)");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(WAIT).build();
    private static final int CHECKS = 70;
    private static final int FAILURES = 30;

    /** Scrapes /metrics: each series as written ({@code name{labels}}) and its value; a line of any other form fails. */
    private static Map<String, Double> scrape(int port) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(WAIT).build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        Map<String, Double> series = new HashMap<>();
        for (String line : response.body().split("\n")) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ")) {
                continue;
            }
            Matcher matcher = SAMPLE.matcher(line);
            assertTrue(matcher.matches(), "a sample line: \"" + line + "\"");
            assertEquals(null, series.put(matcher.group(1), Double.parseDouble(matcher.group(2).replace("Inf", "Infinity"))),
                    "one sample per series: " + line);
        }
        return series;
    }

    private static double value(Map<String, Double> series, String name) {
        Double value = series.get(name);
        assertTrue(value != null, name + " is served: " + series);
        return value;
    }

    @Test
    void theCountsMatchTheTrafficAndAKilledWorkerIsARestart() throws Exception {
        int port = AgentProcess.freePort();
        int metricsPort = AgentProcess.freePort();
        try (AgentProcess agent = TestAgent.start(port, 2, "--metrics", "127.0.0.1:" + metricsPort);
             SpopClient client = SpopClient.connect(SpopClient.tcp(port), WAIT)) {
            List<Notify> batch = new ArrayList<>();
            for (int i = 0; i < CHECKS + FAILURES; i++) {
                Message message = i % 10 < 3 ? new Message("fail", List.of())
                        : new Message("check-client-ip", List.of(new Argument("ip", TypedData.Ipv4.parse("127.0.0.1"))));
                batch.add(new Notify(i, 1, List.of(message)));
                if (batch.size() == 20) {
                    client.sendAll(batch);
                    for (int answered = 0; answered < batch.size(); answered++) {
                        assertInstanceOf(Ack.class, client.receive(WAIT));
                    }
                    batch.clear();
                }
            }
            int total = CHECKS + FAILURES;

            // Every ACK was read by the client, so each was handed to its connection and counted before.
            Map<String, Double> after = scrape(metricsPort);
            assertEquals(CHECKS, value(after, "spoa_notify_total{message=\"check-client-ip\"}"), after.toString());
            assertEquals(FAILURES, value(after, "spoa_notify_total{message=\"fail\"}"));
            assertEquals(CHECKS, value(after, "spoa_ack_total{message=\"check-client-ip\"}"));
            assertEquals(FAILURES, value(after, "spoa_ack_total{message=\"fail\"}"));
            assertEquals(FAILURES, value(after, "spoa_error_acks_total{reason=\"handler\"}"));
            for (String reason : List.of("timeout", "worker-died", "overloaded", "too-big")) {
                assertEquals(0, value(after, "spoa_error_acks_total{reason=\"" + reason + "\"}"), reason);
            }
            assertEquals(total, value(after, "spoa_ack_latency_seconds_count"));
            assertEquals(total, value(after, "spoa_ack_latency_seconds_bucket{le=\"+Inf\"}"));
            assertTrue(value(after, "spoa_ack_latency_seconds_sum") > 0);
            assertEquals(0, value(after, "spoa_jobs_in_flight"));
            assertEquals(0, value(after, "spoa_worker_queue_depth{worker=\"0\"}"));
            assertEquals(0, value(after, "spoa_worker_queue_depth{worker=\"1\"}"));
            assertEquals(2, value(after, "spoa_workers_ready"));
            assertEquals(1, value(after, "spoa_connections"));
            assertEquals(1, value(after, "spoa_connections_accepted_total"));
            assertEquals(total, value(after, "spoa_worker_results_total{worker=\"0\"}")
                    + value(after, "spoa_worker_results_total{worker=\"1\"}"));
            assertEquals(0, value(after, "spoa_worker_restarts_total{worker=\"0\"}"));

            ProcessHandle victim = agent.workers().stream()
                    .filter(worker -> worker.info().commandLine().orElse("").contains("--worker 0 "))
                    .findFirst().orElseThrow();
            victim.destroyForcibly();
            assertTrue(Wait.until(WAIT, () -> restartsOfWorker0(metricsPort) == 1), agent.log());
            assertTrue(Wait.until(WAIT, () -> scrapeQuietly(metricsPort).getOrDefault("spoa_workers_ready", 0.0) == 2), agent.log());
            assertEquals(0, value(scrape(metricsPort), "spoa_worker_restarts_total{worker=\"1\"}"));

            client.disconnect();
            assertInstanceOf(AgentDisconnect.class, client.receive(WAIT));
            assertTrue(client.closedByAgent(WAIT));
            assertTrue(Wait.until(WAIT, () -> scrapeQuietly(metricsPort).getOrDefault("spoa_connections", -1.0) == 0), agent.log());
            Map<String, Double> closed = scrape(metricsPort);
            assertEquals(1, value(closed, "spoa_disconnects_total{side=\"haproxy\",status=\"0\"}"));
            assertEquals(1, value(closed, "spoa_disconnects_total{side=\"agent\",status=\"0\"}"));
            assertEquals(total, value(closed, "spoa_ack_latency_seconds_count"), "nothing counted twice");
        }
    }

    private static double restartsOfWorker0(int metricsPort) {
        return scrapeQuietly(metricsPort).getOrDefault("spoa_worker_restarts_total{worker=\"0\"}", -1.0);
    }

    private static Map<String, Double> scrapeQuietly(int metricsPort) {
        try {
            return scrape(metricsPort);
        } catch (IOException e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    private static String failedStart(List<String> arguments, int expectedStatus) throws Exception {
        AgentProcess agent = AgentProcess.launch(arguments);
        try {
            assertTrue(agent.process().waitFor(60, TimeUnit.SECONDS), "exits by itself:\n" + agent.log());
            assertEquals(expectedStatus, agent.process().exitValue(), agent.log());
            // One line says what is wrong (a warning about running as root may come before it); no stack trace.
            List<String> errors = agent.log().lines().filter(line -> line.startsWith("spoa-supervisor: ")).toList();
            assertEquals(1, errors.size(), "one line, not:\n" + agent.log());
            assertTrue(agent.log().strip().endsWith(errors.get(0)), agent.log());
            assertFalse(agent.log().contains("\tat "), agent.log());
            assertTrue(agent.workers().isEmpty());
            return errors.get(0);
        } finally {
            agent.close();
        }
    }

    @Test
    void aBadAddressIsABadFlagAndAPortInUseAStartupError() throws Exception {
        String script = TestAgent.script("e2e.lua");
        String port = Integer.toString(AgentProcess.freePort());
        String bad = failedStart(List.of("start", "-f", script, "-p", port, "--metrics", "localhost:9100"), 2);
        assertTrue(bad.startsWith("spoa-supervisor: --metrics takes ADDR:PORT"), bad);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String inUse = failedStart(List.of("start", "-f", script, "-p", port, "--metrics", "127.0.0.1:" + taken.getLocalPort()), 1);
            assertTrue(inUse.startsWith("spoa-supervisor: cannot listen for --metrics on 127.0.0.1:" + taken.getLocalPort()), inUse);
        }
    }
}
