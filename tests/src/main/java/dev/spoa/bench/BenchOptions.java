package dev.spoa.bench;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import dev.spoa.bench.load.Endpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/** bin/spoa-bench's flags, as JCommander fills them; {@link #settings()} checks them together. */
final class BenchOptions {
    /**
     * Load before the first scenario: the front and each worker JIT-compile their hot paths, and
     * packing turns to the next worker every second, so every worker needs a few seconds of it
     * (measured: after 5 s, 8x16 ran at half the speed it reached later).
     */
    private static final Duration INITIAL_WARMUP = Duration.ofSeconds(20);
    @Parameter(names = "--duration", description = "Measured seconds per scenario (default 10; --quick: 1)")
    Double durationSeconds;

    @Parameter(names = "--warmup", description = "Seconds of load before each scenario's measured window, not counted (default 2; --quick: 0.5)")
    Double warmupSeconds;

    @Parameter(names = "--quick", description = "The CI smoke run: 1 s measured, 0.5 s warm-up, 1 s idle, 1 s initial warm-up")
    boolean quick;

    @Parameter(names = "--scenarios", description = "Comma-separated subset of 1x1,8x1,8x16,64x16,rate-1000,rate-5000,idle (default: all)")
    String scenarios;

    @Parameter(names = "--workers", description = "Worker processes of the agent the bench starts")
    int workers = 5;

    @Parameter(names = "--threads", description = "Generator threads; the connections are split between them")
    int threads = 1;

    @Parameter(names = "--target", description = "Drive an agent already running at HOST:PORT (or a Unix socket path) instead of starting ours")
    String target;

    @Parameter(names = "--target-pid", description = "With --target: its process, for its CPU and memory figures (its children count as workers)")
    Long targetPid;

    @Parameter(names = "--compare", description = "Also run every scenario against the agent at HOST:PORT, alternately, and print ours/theirs")
    String compare;

    @Parameter(names = "--compare-label", description = "The compared agent's name in the output")
    String compareLabel = "compared";

    @Parameter(names = "--compare-pid", description = "With --compare: its process, for its CPU and memory figures")
    Long comparePid;

    @Parameter(names = "--results", description = "Also write the figures to this file as tab-separated values")
    String results;

    @Parameter(names = "--chart", description = "Also draw throughput and p99 latency per scenario into this PNG file")
    String chart;

    @Parameter(names = "--no-pin", description = "Do not pin the agent to CPU 0 (bin/spoa-bench then does not pin the generator to CPU 1)")
    boolean noPin;

    @Parameter(names = "--script", description = "The Lua handler of the agent the bench starts (default: tests/src/main/resources/bench/bench.lua)")
    String script;

    @Parameter(names = "--error-var", description = "The agent's error variable: ACKs setting it count as errors (passed to the agent the bench starts)")
    String errorVariable = "spoa_error";

    @Parameter(names = "--busy-poll", description = "The agent's --busy-poll, in microseconds (passed to the agent the bench starts; "
            + "default 0: off)")
    long busyPollMicros;

    @Parameter(names = "--expect-var", description = "The variable every other ACK must set")
    String expectedVariable = "ip_score";

    @Parameter(names = {"-h", "--help"}, help = true, description = "This help")
    boolean help;

    /** Words that are no flag: the bench takes none, but JCommander's own message for them is obscure. */
    @Parameter(hidden = true)
    List<String> stray = new ArrayList<>();

    /** The flags, checked; a problem is a ParameterException with one line for the user. */
    BenchSettings settings() {
        if (!stray.isEmpty()) {
            throw new ParameterException("unknown flag or argument: " + stray.get(0));
        }
        double duration = durationSeconds != null ? durationSeconds : quick ? 1 : 10;
        double warmup = warmupSeconds != null ? warmupSeconds : quick ? 0.5 : 2;
        if (!(duration > 0) || duration > 3600) {
            throw new ParameterException("--duration must be more than 0 and at most 3600 seconds: " + durationSeconds);
        }
        if (!(warmup >= 0) || warmup > 3600) {
            throw new ParameterException("--warmup must be between 0 and 3600 seconds: " + warmupSeconds);
        }
        if (workers < 1 || workers > 64) {
            throw new ParameterException("--workers must be between 1 and 64: " + workers);
        }
        if (threads < 1 || threads > 64) {
            throw new ParameterException("--threads must be between 1 and 64: " + threads);
        }
        if (targetPid != null && target == null) {
            throw new ParameterException("--target-pid goes with --target");
        }
        if (comparePid != null && compare == null) {
            throw new ParameterException("--compare-pid goes with --compare");
        }
        if (busyPollMicros < 0 || busyPollMicros > 1_000_000) {
            throw new ParameterException("--busy-poll must be between 0 and 1000000 microseconds: " + busyPollMicros);
        }
        if (target != null && busyPollMicros != 0) {
            throw new ParameterException("--busy-poll is a flag of the agent the bench starts; with --target none is started");
        }
        if (target != null && script != null) {
            throw new ParameterException("--script is the handler of the agent the bench starts; with --target none is started");
        }
        if (compareLabel.isBlank() || compareLabel.chars().anyMatch(Character::isWhitespace)) {
            throw new ParameterException("--compare-label must be one word: \"" + compareLabel + "\"");
        }
        for (String variable : List.of(errorVariable, expectedVariable)) {
            if (!variable.matches("[A-Za-z0-9_.]+")) {
                throw new ParameterException("a variable name takes letters, digits, '.' and '_' only: " + variable);
            }
        }
        Optional<Path> scriptFile = Optional.ofNullable(script).map(file -> Path.of(file).toAbsolutePath());
        scriptFile.filter(file -> !Files.isReadable(file)).ifPresent(file -> {
            throw new ParameterException("--script: cannot read " + file);
        });
        return new BenchSettings(Duration.ofNanos((long) (duration * 1e9)), Duration.ofNanos((long) (warmup * 1e9)),
                quick ? Duration.ofSeconds(1) : Duration.ofSeconds(10), quick ? Duration.ofSeconds(1) : INITIAL_WARMUP,
                selectedScenarios(), workers, threads, endpoint("--target", target), pid(targetPid),
                endpoint("--compare", compare), compareLabel, pid(comparePid), Optional.ofNullable(results).map(Path::of),
                Optional.ofNullable(chart).map(Path::of), !noPin, scriptFile, errorVariable, expectedVariable, busyPollMicros);
    }

    private List<Scenario> selectedScenarios() {
        List<Scenario> all = Scenario.all();
        if (scenarios == null) {
            return all;
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String name : scenarios.split(",")) {
            if (!name.isBlank()) {
                wanted.add(name.strip());
            }
        }
        Set<String> known = all.stream().map(Scenario::name).collect(Collectors.toCollection(LinkedHashSet::new));
        List<String> unknown = new ArrayList<>(wanted);
        unknown.removeAll(known);
        if (!unknown.isEmpty() || wanted.isEmpty()) {
            throw new ParameterException("--scenarios takes names among " + String.join(",", known) + ": " + scenarios);
        }
        return all.stream().filter(scenario -> wanted.contains(scenario.name())).toList();
    }

    private static Optional<Endpoint> endpoint(String flag, String text) {
        if (text == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Endpoint.parse(text));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(flag + ": " + e.getMessage());
        }
    }

    private static OptionalLong pid(Long pid) {
        if (pid == null) {
            return OptionalLong.empty();
        }
        if (pid <= 0 || !ProcessHandle.of(pid).isPresent()) {
            throw new ParameterException("no process " + pid);
        }
        return OptionalLong.of(pid);
    }
}
