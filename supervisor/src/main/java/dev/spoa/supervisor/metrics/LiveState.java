package dev.spoa.supervisor.metrics;

/**
 * What is true right now rather than counted: read from whoever holds the jobs (the dispatcher) at
 * each snapshot, never on the request path.
 *
 * @param jobsInFlight       jobs sent to a worker and not yet answered
 * @param workersReady       worker indexes served by a process that said it is ready and is still alive
 * @param queueDepthByWorker per worker index, the jobs its worker holds (sent and not returned); a fresh array
 */
public record LiveState(int jobsInFlight, int workersReady, int[] queueDepthByWorker) {
}
