package dev.spoa.bench.load;

import java.time.Duration;
import java.util.List;

/**
 * What a load run measured. Only NOTIFYs sent (or, at a fixed rate, due) inside the window count.
 *
 * @param acks       ACKs of those NOTIFYs
 * @param latency    their latencies, from (intended) send to ACK received
 * @param errors     ACKs that set the error variable (the agent could not run the handler)
 * @param empty      ACKs with no action at all
 * @param missing    ACKs with actions but no set-var of the expected variable, nor the error one
 * @param mismatched ACKs for a stream-id no NOTIFY of their connection was waiting for, or another frame-id
 * @param unanswered NOTIFYs still without an ACK when the run ended (warm-up ones included)
 * @param backlog    at a fixed rate: NOTIFYs due in the window that their connections' in-flight caps held back to the end
 * @param failures   why connections stopped early (AGENT-DISCONNECT, closed, malformed frames), one line each
 */
public record LoadResult(Duration window, long acks, LatencyHistogram latency, long errors, long empty, long missing,
        long mismatched, long unanswered, long backlog, List<String> failures) {

    public LoadResult {
        failures = List.copyOf(failures);
    }

    public double acksPerSecond() {
        return acks / (window.toNanos() / 1e9);
    }

    /** Every NOTIFY answered, every ACK as expected, no connection lost (a backlog or error answers are figures, not faults). */
    public boolean clean() {
        return failures.isEmpty() && unanswered == 0 && mismatched == 0 && empty == 0 && missing == 0;
    }
}
