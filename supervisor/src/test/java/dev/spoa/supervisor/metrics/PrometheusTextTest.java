package dev.spoa.supervisor.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

    private static AgentMetrics busyAgent() {
        AgentMetrics metrics = new AgentMetrics(2, () -> new LiveState(3, 2, new int[] {1, 2}));
        String[] names = {"check-client-ip", "fail", "a \"quoted\" \\ name\non two lines", "héllo"};
        for (int i = 0; i < 40; i++) {
            byte[] buf = AgentMetricsTest.payload(names[i % names.length]);
            int message = metrics.messageOf(buf, 0, buf.length);
            metrics.front().notified(message);
            (i % 2 == 0 ? metrics.results() : metrics.front()).answered(message, i * 7_000_000L);
        }
        metrics.results().failed(ErrorReason.HANDLER);
        metrics.front().failed(ErrorReason.TIMEOUT);
        metrics.front().connectionAccepted();
        metrics.front().disconnected(DisconnectSide.HAPROXY, 0);
        metrics.front().disconnected(DisconnectSide.AGENT, 3);
        metrics.workerRestarted(1);
        metrics.results().resultReturned(0);
        return metrics;
    }

    @Test
    void everyLineIsWellFormedAndTheNumbersAreTheSnapshots() {
        MetricsSnapshot snapshot = busyAgent().snapshot();
        Exposition parsed = Exposition.parse(PrometheusText.format(snapshot));

        assertEquals(Map.ofEntries(
                Map.entry("spoa_notify_total", "counter"),
                Map.entry("spoa_ack_total", "counter"),
                Map.entry("spoa_error_acks_total", "counter"),
                Map.entry("spoa_ack_latency_seconds", "histogram"),
                Map.entry("spoa_jobs_in_flight", "gauge"),
                Map.entry("spoa_workers_ready", "gauge"),
                Map.entry("spoa_worker_queue_depth", "gauge"),
                Map.entry("spoa_worker_results_total", "counter"),
                Map.entry("spoa_worker_restarts_total", "counter"),
                Map.entry("spoa_connections", "gauge"),
                Map.entry("spoa_connections_accepted_total", "counter"),
                Map.entry("spoa_disconnects_total", "counter")), parsed.types);

        assertEquals(10, parsed.value("spoa_notify_total", "message", "check-client-ip"));
        assertEquals(10, parsed.value("spoa_notify_total", "message", "a \"quoted\" \\ name\non two lines"), "escaped and read back");
        assertEquals(10, parsed.value("spoa_ack_total", "message", "héllo"));
        assertEquals(1, parsed.value("spoa_error_acks_total", "reason", "handler"));
        assertEquals(1, parsed.value("spoa_error_acks_total", "reason", "timeout"));
        assertEquals(0, parsed.value("spoa_error_acks_total", "reason", "worker-died"));
        assertEquals(0, parsed.value("spoa_error_acks_total", "reason", "overloaded"));
        assertEquals(0, parsed.value("spoa_error_acks_total", "reason", "too-big"));
        assertEquals(40, parsed.value("spoa_ack_latency_seconds_count"));
        assertEquals(snapshot.ackLatency().sumSeconds(), parsed.value("spoa_ack_latency_seconds_sum"), 1e-9);
        assertEquals(1, parsed.value("spoa_ack_latency_seconds_bucket", "le", "0.00005"), "the one at 0 ns");
        assertEquals(2, parsed.value("spoa_ack_latency_seconds_bucket", "le", "0.01"));
        assertEquals(40, parsed.value("spoa_ack_latency_seconds_bucket", "le", "+Inf"));
        assertEquals(3, parsed.value("spoa_jobs_in_flight"));
        assertEquals(2, parsed.value("spoa_workers_ready"));
        assertEquals(2, parsed.value("spoa_worker_queue_depth", "worker", "1"));
        assertEquals(1, parsed.value("spoa_worker_results_total", "worker", "0"));
        assertEquals(0, parsed.value("spoa_worker_results_total", "worker", "1"));
        assertEquals(0, parsed.value("spoa_worker_restarts_total", "worker", "0"));
        assertEquals(1, parsed.value("spoa_worker_restarts_total", "worker", "1"));
        assertEquals(1, parsed.value("spoa_connections"));
        assertEquals(1, parsed.value("spoa_connections_accepted_total"));
        assertEquals(1, parsed.value("spoa_disconnects_total", "side", "haproxy", "status", "0"));
        assertEquals(1, parsed.value("spoa_disconnects_total", "side", "agent", "status", "3"));
    }

    @Test
    void anIdleAgentIsWellFormedToo() {
        AgentMetrics metrics = new AgentMetrics(1, () -> new LiveState(0, 0, new int[1]));
        Exposition parsed = Exposition.parse(PrometheusText.format(metrics.snapshot()));
        assertEquals(0, parsed.value("spoa_ack_latency_seconds_count"));
        assertEquals(0, parsed.value("spoa_ack_latency_seconds_sum"));
        assertEquals(0, parsed.value("spoa_ack_latency_seconds_bucket", "le", "+Inf"));
        assertTrue(parsed.samples.stream().noneMatch(sample -> sample.name().equals("spoa_notify_total")), "no message seen yet");
    }
}
