package dev.spoa.bench;

import dev.spoa.bench.load.AckCheck;
import dev.spoa.bench.load.LoadFailure;
import dev.spoa.bench.load.LoadGenerator;
import dev.spoa.bench.load.LoadPlan;
import dev.spoa.bench.load.LoadResult;
import dev.spoa.bench.load.LoadRun;
import dev.spoa.bench.load.Pacing;
import dev.spoa.bench.load.Schedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Runs one scenario against one agent: the load through the generator, and the agent's CPU over
 * the same measured window (read at its opening and closing) with its memory at the end.
 */
final class ScenarioRunner {
    private final BenchSettings settings;
    private final AckCheck check;
    /** The bench's own JVM, where the generator runs. */
    private final ProcessStats self;

    ScenarioRunner(BenchSettings settings, ProcessStats self) {
        this.settings = settings;
        this.check = new AckCheck(settings.expectedVariable(), settings.errorVariable());
        this.self = self;
    }

    ScenarioResult load(Scenario.Load scenario, Target target) throws InterruptedException {
        LoadPlan plan = new LoadPlan(target.endpoint(), scenario.connections(), scenario.inFlight(), scenario.pacing(),
                settings.warmup(), settings.duration(), settings.threads(), check);
        LoadRun run;
        try {
            run = LoadGenerator.start(plan);
        } catch (LoadFailure e) {
            return new ScenarioResult(scenario, target.label(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.of(e.getMessage()));
        }
        Schedule.sleepUntil(run.schedule().windowStart());
        long start = System.nanoTime();
        long machineBefore = ProcessStats.machineBusyTicks();
        long selfBefore = self.ownTicks();
        Optional<ProcessStats.CpuTimes> before = target.stats().map(ProcessStats::cpuTimes);
        Schedule.sleepUntil(run.schedule().windowEnd());
        long selfTicks = self.ownTicks() - selfBefore;
        long machineTicks = ProcessStats.machineBusyTicks() - machineBefore;
        long elapsed = System.nanoTime() - start;
        Optional<ProcessStats.AgentUsage> usage = target.stats().map(stats -> stats.since(before.orElseThrow()));
        double generator = self.percentOfOneCore(selfTicks, elapsed);
        OptionalDouble other = usage.map(agent -> OptionalDouble.of(Math.max(0, self.percentOfOneCore(machineTicks, elapsed)
                - generator - agent.front().cpuPercent() - agent.workers().cpuPercent()))).orElse(OptionalDouble.empty());
        LoadResult result = run.await();
        return new ScenarioResult(scenario, target.label(), Optional.of(result), usage,
                Optional.of(new ScenarioResult.BenchCpu(generator, other)), failure(result.failures()));
    }

    /** The agents at rest, watched together over one window: no connection, no load. */
    List<ScenarioResult> idle(Scenario.Idle scenario, List<Target> targets) throws InterruptedException {
        Map<Target, ProcessStats.CpuTimes> before = new LinkedHashMap<>();
        for (Target target : targets) {
            target.stats().ifPresent(stats -> before.put(target, stats.cpuTimes()));
        }
        Thread.sleep(settings.idle().toMillis());
        List<ScenarioResult> results = new ArrayList<>();
        for (Target target : targets) {
            Optional<ProcessStats.AgentUsage> usage = target.stats().map(stats -> stats.since(before.get(target)));
            results.add(new ScenarioResult(scenario, target.label(), Optional.empty(), usage, Optional.empty(), Optional.empty()));
        }
        return results;
    }

    /** Load at 8x16 before the scenarios, so that the JIT has compiled the agent's hot paths (and the generator's). */
    Optional<String> warmUp(Target target) throws InterruptedException {
        LoadPlan plan = new LoadPlan(target.endpoint(), 8, 16, new Pacing.ClosedLoop(), Duration.ZERO, settings.initialWarmup(),
                settings.threads(), check);
        try {
            return failure(LoadGenerator.start(plan).await().failures());
        } catch (LoadFailure e) {
            return Optional.of(e.getMessage());
        }
    }

    private static Optional<String> failure(List<String> failures) {
        if (failures.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(failures.get(0) + (failures.size() > 1 ? " (and " + (failures.size() - 1) + " more)" : ""));
    }
}
