package dev.spoa.bench;

import dev.spoa.bench.load.LoadResult;
import java.util.Optional;

/**
 * A scenario's one line: throughput, latency percentiles, the agent's CPU and memory (front, then
 * the workers together), the ACKs that were not what they should be, and with a compared agent the
 * ratios ours/theirs.
 *
 * <pre>
 * 8x16      acks/s 212,345  p50 536us p90 840us p99 1.86ms p99.9 3.10ms max 12.0ms  front cpu 98% rss 140MB pss 120MB  workers cpu 95% rss 410MB pss 300MB  errors 0 unanswered 0
 * </pre>
 */
final class ResultLine {
    private ResultLine() {
    }

    /**
     * @param labelWidth 0 to leave the agent's label out (one agent); else the width of its column
     * @param compared   the same scenario against the compared agent: ratios ours/theirs are appended
     */
    static String of(ScenarioResult result, int labelWidth, Optional<ScenarioResult> compared) {
        StringBuilder line = new StringBuilder(String.format("%-10s", result.scenario().name()));
        if (labelWidth > 0) {
            line.append(String.format("%-" + (labelWidth + 2) + "s", result.target()));
        }
        result.load().ifPresent(load -> line.append("acks/s ").append(Units.count(load.acksPerSecond()))
                .append("  p50 ").append(Units.latency(load.latency().percentile(50)))
                .append(" p90 ").append(Units.latency(load.latency().percentile(90)))
                .append(" p99 ").append(Units.latency(load.latency().percentile(99)))
                .append(" p99.9 ").append(Units.latency(load.latency().percentile(99.9)))
                .append(" max ").append(Units.latency(load.latency().max()))
                .append("  "));
        result.usage().ifPresent(usage -> {
            appendUsage(line, "front", usage.front());
            if (usage.workers().processes() > 0) {
                line.append("  ");
                appendUsage(line, "workers", usage.workers());
            }
            line.append("  ");
        });
        if (result.scenario() instanceof Scenario.Idle && result.usage().isEmpty()) {
            line.append("not measured: its process is not known (--target-pid, --compare-pid)  ");
        }
        result.load().ifPresent(load -> appendAnswers(line, load));
        result.bench().ifPresent(bench -> {
            line.append("gen cpu ").append(Units.cpu(bench.generator()));
            bench.other().ifPresent(other -> line.append(" other ").append(Units.cpu(other)));
            line.append("  ");
        });
        result.failure().ifPresent(failure -> line.append("FAILED: ").append(failure));
        compared.ifPresent(theirs -> appendRatios(line, result, theirs));
        return line.toString().stripTrailing();
    }

    private static void appendUsage(StringBuilder line, String name, ProcessStats.Usage usage) {
        line.append(name).append(" cpu ").append(Units.cpu(usage.cpuPercent())).append(" rss ")
                .append(Units.megabytes(usage.rssBytes())).append(" pss ").append(Units.megabytes(usage.pssBytes()));
    }

    private static void appendAnswers(StringBuilder line, LoadResult load) {
        line.append("errors ").append(load.errors()).append(" unanswered ").append(load.unanswered());
        appendIfAny(line, "empty", load.empty());
        appendIfAny(line, "missing-var", load.missing());
        appendIfAny(line, "mismatched", load.mismatched());
        appendIfAny(line, "backlog", load.backlog());
        line.append("  ");
    }

    private static void appendIfAny(StringBuilder line, String name, long count) {
        if (count > 0) {
            line.append(' ').append(name).append(' ').append(count);
        }
    }

    /** Throughput and latency ratios ours/theirs; idle compares CPU. */
    private static void appendRatios(StringBuilder line, ScenarioResult ours, ScenarioResult theirs) {
        while (line.charAt(line.length() - 1) == ' ') {
            line.setLength(line.length() - 1);
        }
        line.append(" ");
        String prefix = "| " + ours.target() + "/" + theirs.target();
        if (ours.load().isPresent() && theirs.load().isPresent()) {
            LoadResult a = ours.load().get();
            LoadResult b = theirs.load().get();
            line.append(" ").append(prefix)
                    .append(" acks/s ").append(Units.ratio(a.acksPerSecond() / b.acksPerSecond()))
                    .append(" p50 ").append(Units.ratio((double) a.latency().percentile(50) / b.latency().percentile(50)))
                    .append(" p99 ").append(Units.ratio((double) a.latency().percentile(99) / b.latency().percentile(99)));
        } else if (ours.usage().isPresent() && theirs.usage().isPresent() && ours.load().isEmpty()) {
            line.append(" ").append(prefix).append(" cpu ")
                    .append(Units.ratio(total(ours.usage().get()) / total(theirs.usage().get())));
        }
    }

    private static double total(ProcessStats.AgentUsage usage) {
        return usage.front().cpuPercent() + usage.workers().cpuPercent();
    }
}
