package dev.spoa.bench;

import dev.spoa.bench.load.LoadResult;
import dev.spoa.bench.load.Pacing;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The figures as tab-separated values, one row per scenario and agent, for spreadsheets and
 * scripts: latencies in microseconds, CPU in % of one core, memory in MB (2^20 bytes). An empty
 * cell is a figure that does not apply (no load when idle, no process figures without a pid).
 */
final class ResultsTable {
    private static final List<String> COLUMNS = List.of("scenario", "agent", "connections", "in_flight", "rate",
            "acks_per_s", "p50_us", "p90_us", "p99_us", "p999_us", "max_us", "front_cpu_pct", "front_rss_mb",
            "front_pss_mb", "workers", "workers_cpu_pct", "workers_rss_mb", "workers_pss_mb", "acks", "errors",
            "empty", "missing_var", "mismatched", "unanswered", "backlog", "generator_cpu_pct", "other_cpu_pct", "failure");

    private ResultsTable() {
    }

    static void write(Path file, List<ScenarioResult> results) throws IOException {
        List<String> rows = new ArrayList<>();
        rows.add(String.join("\t", COLUMNS));
        for (ScenarioResult result : results) {
            rows.add(String.join("\t", row(result)));
        }
        Files.write(file, rows);
    }

    private static List<String> row(ScenarioResult result) {
        List<String> cells = new ArrayList<>();
        cells.add(result.scenario().name());
        cells.add(result.target());
        if (result.scenario() instanceof Scenario.Load load) {
            cells.add(Integer.toString(load.connections()));
            cells.add(Integer.toString(load.inFlight()));
            cells.add(load.pacing() instanceof Pacing.FixedRate rate ? Integer.toString(rate.perSecond()) : "");
        } else {
            cells.addAll(List.of("", "", ""));
        }
        Optional<LoadResult> load = result.load();
        cells.add(cell(load, l -> String.format(Locale.ROOT, "%.0f", l.acksPerSecond())));
        for (double percent : new double[] {50, 90, 99, 99.9}) {
            cells.add(cell(load, l -> micros(l.latency().percentile(percent))));
        }
        cells.add(cell(load, l -> micros(l.latency().max())));
        Optional<ProcessStats.AgentUsage> usage = result.usage();
        cells.add(cell(usage, u -> percent(u.front().cpuPercent())));
        cells.add(cell(usage, u -> megabytes(u.front().rssBytes())));
        cells.add(cell(usage, u -> megabytes(u.front().pssBytes())));
        cells.add(cell(usage, u -> Integer.toString(u.workers().processes())));
        cells.add(cell(usage, u -> percent(u.workers().cpuPercent())));
        cells.add(cell(usage, u -> megabytes(u.workers().rssBytes())));
        cells.add(cell(usage, u -> megabytes(u.workers().pssBytes())));
        cells.add(cell(load, l -> Long.toString(l.acks())));
        cells.add(cell(load, l -> Long.toString(l.errors())));
        cells.add(cell(load, l -> Long.toString(l.empty())));
        cells.add(cell(load, l -> Long.toString(l.missing())));
        cells.add(cell(load, l -> Long.toString(l.mismatched())));
        cells.add(cell(load, l -> Long.toString(l.unanswered())));
        cells.add(cell(load, l -> Long.toString(l.backlog())));
        cells.add(cell(result.bench(), b -> percent(b.generator())));
        cells.add(result.bench().filter(b -> b.other().isPresent()).map(b -> percent(b.other().getAsDouble())).orElse(""));
        cells.add(result.failure().orElse("").replace('\t', ' '));
        return cells;
    }

    private static <T> String cell(Optional<T> value, Function<T, String> format) {
        return value.map(format).orElse("");
    }

    private static String micros(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e3);
    }

    private static String percent(double value) {
        return String.format(Locale.ROOT, "%.2f", value);
    }

    private static String megabytes(long bytes) {
        return bytes < 0 ? "" : String.format(Locale.ROOT, "%.1f", bytes / Units.MB);
    }
}
