package dev.spoa.supervisor.metrics;

import java.math.BigDecimal;
import java.util.Map;

/**
 * A {@link MetricsSnapshot} in Prometheus' text exposition format, version 0.0.4: for each family a
 * {@code # HELP} and a {@code # TYPE} line, then its samples; counters end in {@code _total}, the
 * histogram has cumulative {@code _bucket{le=...}} samples ending with {@code +Inf}, then
 * {@code _sum} and {@code _count}.
 */
final class PrometheusText {
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    static String format(MetricsSnapshot snapshot) {
        StringBuilder out = new StringBuilder(4096);
        family(out, "spoa_notify_total", "counter", "NOTIFY frames received, by the name of their first message.");
        for (Map.Entry<String, Long> entry : snapshot.notifiesByMessage().entrySet()) {
            sample(out, "spoa_notify_total", "message", entry.getKey(), entry.getValue());
        }
        family(out, "spoa_ack_total", "counter", "ACK frames handed to their connection (error answers included), "
                + "by the name of their NOTIFY's first message.");
        for (Map.Entry<String, Long> entry : snapshot.acksByMessage().entrySet()) {
            sample(out, "spoa_ack_total", "message", entry.getKey(), entry.getValue());
        }
        family(out, "spoa_error_acks_total", "counter", "ACK frames carrying the error variable, by its value.");
        for (Map.Entry<ErrorReason, Long> entry : snapshot.errorAcks().entrySet()) {
            sample(out, "spoa_error_acks_total", "reason", entry.getKey().label(), entry.getValue());
        }

        family(out, "spoa_ack_latency_seconds", "histogram", "Time from reading a NOTIFY to handing its ACK to the connection.");
        for (MetricsSnapshot.Bucket bucket : snapshot.ackLatency().buckets()) {
            String bound = bucket.upperBoundSeconds() == Double.POSITIVE_INFINITY ? "+Inf" : number(bucket.upperBoundSeconds());
            sample(out, "spoa_ack_latency_seconds_bucket", "le", bound, bucket.cumulativeCount());
        }
        out.append("spoa_ack_latency_seconds_sum ").append(number(snapshot.ackLatency().sumSeconds())).append('\n');
        out.append("spoa_ack_latency_seconds_count ").append(snapshot.ackLatency().count()).append('\n');

        family(out, "spoa_jobs_in_flight", "gauge", "Jobs sent to a worker and not yet answered.");
        out.append("spoa_jobs_in_flight ").append(snapshot.jobsInFlight()).append('\n');
        family(out, "spoa_workers_ready", "gauge", "Worker indexes served by a live process ready to take jobs.");
        out.append("spoa_workers_ready ").append(snapshot.workersReady()).append('\n');
        family(out, "spoa_worker_queue_depth", "gauge", "Jobs a worker holds: sent to it and not yet returned.");
        for (MetricsSnapshot.Worker worker : snapshot.workers()) {
            sample(out, "spoa_worker_queue_depth", "worker", Integer.toString(worker.index()), worker.queueDepth());
        }
        family(out, "spoa_worker_results_total", "counter", "Results the worker of this index returned (late ones included).");
        for (MetricsSnapshot.Worker worker : snapshot.workers()) {
            sample(out, "spoa_worker_results_total", "worker", Integer.toString(worker.index()), worker.results());
        }
        family(out, "spoa_worker_restarts_total", "counter", "Times the worker of this index ended unexpectedly and was replaced.");
        for (MetricsSnapshot.Worker worker : snapshot.workers()) {
            sample(out, "spoa_worker_restarts_total", "worker", Integer.toString(worker.index()), worker.restarts());
        }

        family(out, "spoa_connections", "gauge", "SPOP connections open.");
        out.append("spoa_connections ").append(snapshot.connectionsOpen()).append('\n');
        family(out, "spoa_connections_accepted_total", "counter", "SPOP connections accepted.");
        out.append("spoa_connections_accepted_total ").append(snapshot.connectionsAccepted()).append('\n');
        family(out, "spoa_disconnects_total", "counter",
                "DISCONNECT frames, by who sent them (agent or haproxy) and their status code.");
        for (MetricsSnapshot.Disconnects disconnects : snapshot.disconnects()) {
            out.append("spoa_disconnects_total{side=\"").append(disconnects.side().label()).append("\",status=\"")
                    .append(disconnects.status()).append("\"} ").append(disconnects.count()).append('\n');
        }
        return out.toString();
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String label, String value, long count) {
        out.append(name).append('{').append(label).append("=\"");
        escape(out, value);
        out.append("\"} ").append(count).append('\n');
    }

    /** A label value: backslash, double quote and line feed are escaped; anything else goes as it is (UTF-8). */
    private static void escape(StringBuilder out, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '"' -> out.append("\\\"");
                case '\n' -> out.append("\\n");
                default -> out.append(c);
            }
        }
    }

    /** A number as written by hand: 0.00005, 2.5, 10 (Go's parser, Prometheus', reads them all). */
    private static String number(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
