package dev.spoa.bench;

import dev.spoa.bench.load.LoadResult;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One scenario against one agent: the load figures (none for idle, none when the run could not
 * start), the agent's process figures (when its process is known), and why it failed, if it did.
 *
 * @param bench the generator's CPU over the window, and what the rest of the machine used
 */
record ScenarioResult(Scenario scenario, String target, Optional<LoadResult> load, Optional<ProcessStats.AgentUsage> usage,
        Optional<BenchCpu> bench, Optional<String> failure) {

    /**
     * CPU % of one core over the window: the bench's JVM (the generator), and the rest of the
     * machine (neither the agent nor the generator; unknown when the agent's process is not).
     * When {@code other} is not near 0, something else was running and the figures are suspect.
     */
    record BenchCpu(double generator, OptionalDouble other) {
    }

    /** Nothing went wrong: no failure, and every NOTIFY got the ACK it should. */
    boolean clean() {
        return failure.isEmpty() && load.map(LoadResult::clean).orElse(true);
    }
}
