package dev.spoa.bench.load;

import java.time.Duration;
import java.util.Objects;

/**
 * One load run: where, how many connections and NOTIFYs in flight on each, the pacing, a warm-up
 * whose frames do not count, the measured window, and how many generator threads share the
 * connections.
 */
public record LoadPlan(Endpoint endpoint, int connections, int inFlight, Pacing pacing, Duration warmup, Duration duration,
        int threads, AckCheck check) {

    public LoadPlan {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(pacing, "pacing");
        Objects.requireNonNull(check, "check");
        if (connections < 1 || inFlight < 1 || threads < 1) {
            throw new IllegalArgumentException("connections, in-flight and threads must be positive: " + connections + ", "
                    + inFlight + ", " + threads);
        }
        if (warmup.isNegative() || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("warm-up " + warmup + ", duration " + duration);
        }
    }
}
