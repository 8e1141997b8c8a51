package dev.spoa.bench;

import dev.spoa.bench.load.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a bench run does, checked ({@link BenchOptions#settings()}).
 *
 * @param duration      measured window of each load scenario
 * @param warmup        load before each window, not counted
 * @param idle          how long the idle scenario watches the agent
 * @param initialWarmup load at 8x16 before the first scenario, so the JIT has compiled the hot paths
 * @param target        an agent already running; empty: the bench starts ours
 * @param pin           the agent the bench starts runs on CPU 0 (when the machine has two and taskset exists)
 * @param script        the handler of the agent the bench starts; empty: the bench's own
 * @param busyPollMicros the --busy-poll of the agent the bench starts; 0: off
 */
record BenchSettings(Duration duration, Duration warmup, Duration idle, Duration initialWarmup, List<Scenario> scenarios,
        int workers, int threads, Optional<Endpoint> target, OptionalLong targetPid, Optional<Endpoint> compare,
        String compareLabel, OptionalLong comparePid, Optional<Path> results, Optional<Path> chart, boolean pin,
        Optional<Path> script, String errorVariable, String expectedVariable, long busyPollMicros) {

    BenchSettings {
        scenarios = List.copyOf(scenarios);
    }
}
