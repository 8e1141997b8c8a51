package dev.spoa.bench;

import dev.spoa.bench.load.Pacing;
import java.util.List;

/** One line of the bench's output: a load shape, or the idle agent. */
sealed interface Scenario {

    String name();

    /** {@code connections} SPOP connections, at most {@code inFlight} NOTIFYs waiting on each. */
    record Load(String name, int connections, int inFlight, Pacing pacing) implements Scenario {
    }

    /** No connection, no load: what the agent costs doing nothing. */
    record Idle(String name) implements Scenario {
    }

    /** Every scenario, in the order they run. */
    static List<Scenario> all() {
        return List.of(
                closed(1, 1),
                closed(8, 1),
                closed(8, 16),
                closed(64, 16),
                new Load("rate-1000", 8, 16, new Pacing.FixedRate(1000)),
                new Load("rate-5000", 8, 16, new Pacing.FixedRate(5000)),
                new Idle("idle"));
    }

    private static Load closed(int connections, int inFlight) {
        return new Load(connections + "x" + inFlight, connections, inFlight, new Pacing.ClosedLoop());
    }
}
