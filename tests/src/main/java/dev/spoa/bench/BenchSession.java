package dev.spoa.bench;

import dev.spoa.bench.load.Endpoint;
import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.Wait;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One bench run from start to end: the agent started (pinned) and stopped, the header, the initial
 * warm-up, each scenario against our agent and the compared one in turn with its line printed as
 * soon as it is known, then the TSV and the chart.
 */
final class BenchSession {
    private static final String PROGRAM = SpoaBench.PROGRAM;
    /** The bench's handler: registers check-client-ip and sets ip_score, nothing more. */
    static final String DEFAULT_SCRIPT = "tests/src/main/resources/bench/bench.lua";
    private static final Duration STOP_WAIT = Duration.ofSeconds(60);
    private static final Duration SETTLE_WAIT = Duration.ofSeconds(120);

    private final BenchSettings settings;
    private final PrintStream out;
    private final PrintStream err;
    private final long ticksPerSecond = ProcessStats.clockTicksPerSecond();
    private final Machine machine = Machine.current();

    BenchSession(BenchSettings settings, PrintStream out, PrintStream err) {
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    /** The exit status: 0 when every run was clean, 1 otherwise. */
    int run() throws InterruptedException {
        boolean pin = settings.pin() && machine.cpus() >= 2 && onPath("taskset");
        AgentProcess agent = null;
        try {
            Target ours;
            if (settings.target().isPresent()) {
                ours = new Target("target", settings.target().get(), stats(settings.targetPid()));
            } else {
                err.println(PROGRAM + ": starting the agent (" + settings.workers() + " workers" + (pin ? ", on CPU 0" : "") + ")...");
                int port = AgentProcess.freePort();
                try {
                    agent = startAgent(port, pin);
                } catch (IOException e) {
                    err.println(PROGRAM + ": the agent did not start: " + e.getMessage());
                    return 1;
                }
                awaitSettled(agent);
                ours = new Target("spoa", Endpoint.tcp("127.0.0.1", port), stats(OptionalLong.of(agent.process().pid())));
            }
            Optional<Target> theirs = settings.compare()
                    .map(endpoint -> new Target(settings.compareLabel(), endpoint, stats(settings.comparePid())));
            new Header(settings, machine).print(out, ours, theirs);

            ScenarioRunner runner = new ScenarioRunner(settings, new ProcessStats(ProcessHandle.current().pid(), ticksPerSecond));
            err.println(PROGRAM + ": warming up (" + Header.seconds(settings.initialWarmup()) + " at 8x16)...");
            Optional<String> warmUpFailure = runner.warmUp(ours);
            if (warmUpFailure.isPresent()) {
                err.println(PROGRAM + ": the warm-up against " + ours.label() + " failed: " + warmUpFailure.get());
                return 1;
            }
            List<ScenarioResult> results = runScenarios(runner, ours, theirs);
            boolean clean = results.stream().allMatch(ScenarioResult::clean);
            clean &= writeOutputs(results, chartSubtitle(ours, theirs));
            if (agent != null) {
                agent.stop(STOP_WAIT);
            }
            return clean ? 0 : 1;
        } finally {
            if (agent != null) {
                agent.close();
            }
        }
    }

    private List<ScenarioResult> runScenarios(ScenarioRunner runner, Target ours, Optional<Target> theirs)
            throws InterruptedException {
        int labelWidth = theirs.map(other -> Math.max(ours.label().length(), other.label().length())).orElse(0);
        List<ScenarioResult> results = new ArrayList<>();
        for (Scenario scenario : settings.scenarios()) {
            List<ScenarioResult> round = new ArrayList<>();
            if (scenario instanceof Scenario.Load load) {
                round.add(runner.load(load, ours));
                if (theirs.isPresent()) {
                    round.add(runner.load(load, theirs.get()));
                }
            } else if (scenario instanceof Scenario.Idle idle) {
                List<Target> targets = new ArrayList<>(List.of(ours));
                theirs.ifPresent(targets::add);
                round.addAll(runner.idle(idle, targets)); // both at rest at once: one window for both
            }
            Optional<ScenarioResult> compared = round.size() > 1 ? Optional.of(round.get(1)) : Optional.empty();
            out.println(ResultLine.of(round.get(0), labelWidth, compared));
            for (ScenarioResult other : round.subList(1, round.size())) {
                out.println(ResultLine.of(other, labelWidth, Optional.empty()));
            }
            out.flush();
            results.addAll(round);
        }
        return results;
    }

    /** Writes --results and --chart when asked; false if one could not be written (said on stderr). */
    private boolean writeOutputs(List<ScenarioResult> results, String subtitle) {
        boolean written = true;
        if (settings.results().isPresent()) {
            try {
                ResultsTable.write(settings.results().get(), results);
            } catch (IOException e) {
                err.println(PROGRAM + ": cannot write " + settings.results().get() + ": " + e.getMessage());
                written = false;
            }
        }
        if (settings.chart().isPresent()) {
            try {
                BenchChart.write(settings.chart().get(), results, subtitle);
            } catch (IOException | RuntimeException e) {
                err.println(PROGRAM + ": cannot draw " + settings.chart().get() + ": " + e);
                written = false;
            }
        }
        return written;
    }

    private String chartSubtitle(Target ours, Optional<Target> theirs) {
        return ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm z")) + " | " + machine.describe()
                + " | " + (settings.target().isPresent() ? "agent at " + ours.endpoint() : settings.workers() + " workers")
                + theirs.map(other -> " | vs " + other.label()).orElse("");
    }

    private AgentProcess startAgent(int port, boolean pin) throws IOException, InterruptedException {
        Path script = settings.script().orElse(AgentProcess.root().resolve(DEFAULT_SCRIPT));
        List<String> arguments = List.of("-f", script.toString(), "-p", Integer.toString(port), "--workers",
                Integer.toString(settings.workers()), "--error-var", settings.errorVariable(), "--busy-poll",
                Long.toString(settings.busyPollMicros()));
        // The workers inherit the front's affinity: the whole agent stays on CPU 0.
        List<String> wrapper = pin ? List.of("taskset", "-c", "0") : List.of();
        return AgentProcess.start(wrapper, arguments, settings.workers(), Map.of());
    }

    /**
     * After start the agent builds its workers' class-data-sharing archive with helper JVMs, one
     * after the other: wait until it said how that went (built, failed or off, each a line naming
     * the archive) and its only children are its workers, so that the figures are the agent's
     * alone. Between two helpers the children alone look settled.
     */
    private void awaitSettled(AgentProcess agent) throws InterruptedException {
        int workers = settings.workers();
        if (!Wait.until(SETTLE_WAIT, () -> agent.log().contains("workers start with")
                && agent.process().children().count() == workers && agent.workers().size() == workers)) {
            err.println(PROGRAM + ": the agent still runs other processes than its " + workers
                    + " workers; the workers' figures include them");
        }
    }

    private Optional<ProcessStats> stats(OptionalLong pid) {
        return pid.isPresent() ? Optional.of(new ProcessStats(pid.getAsLong(), ticksPerSecond)) : Optional.empty();
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
