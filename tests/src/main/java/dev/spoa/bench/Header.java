package dev.spoa.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/**
 * The lines (starting with #) above the figures: when, on what machine, which agents (pid, worker
 * count, the CPUs they may run on, the heap and GC flags of front and workers), where the generator
 * ran, and how long each scenario was measured.
 */
final class Header {
    private final BenchSettings settings;
    private final Machine machine;

    Header(BenchSettings settings, Machine machine) {
        this.settings = settings;
        this.machine = machine;
    }

    void print(PrintStream out, Target ours, Optional<Target> theirs) {
        out.println("# " + SpoaBench.PROGRAM + " " + ZonedDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z"))
                + "  " + machine.describe());
        out.println("# " + describe(ours) + "; generator on CPUs " + Machine.cpusAllowed(ProcessHandle.current().pid()) + " ("
                + settings.threads() + " thread" + (settings.threads() > 1 ? "s" : "") + ")");
        theirs.ifPresent(other -> out.println("# " + describe(other)));
        out.println("# " + seconds(settings.duration()) + " measured per scenario after " + seconds(settings.warmup())
                + " of warm-up; CPU % of one core; MB = 2^20 bytes; latency from (intended) send to ACK");
        out.flush();
    }

    private String describe(Target target) {
        StringBuilder text = new StringBuilder("agent " + target.label() + " at " + target.endpoint());
        target.stats().ifPresent(stats -> {
            long pid = stats.pid();
            int workers = ProcessStats.children(pid).size();
            text.append(" (pid ").append(pid).append(", ").append(workers).append(" workers, on CPUs ")
                    .append(Machine.cpusAllowed(pid)).append(")");
            String frontFlags = ProcessStats.heapFlags(pid);
            String workerFlags = ProcessStats.childHeapFlags(pid);
            if (!frontFlags.isEmpty()) {
                text.append(": front ").append(frontFlags);
            }
            if (!workerFlags.isEmpty()) {
                text.append(frontFlags.isEmpty() ? ": " : ", ").append("workers ").append(workerFlags);
            }
        });
        if (target.label().equals("spoa") && settings.target().isEmpty()) {
            text.append("; handler ").append(settings.script().map(Path::toString).orElse(BenchSession.DEFAULT_SCRIPT));
            if (settings.busyPollMicros() > 0) {
                text.append("; --busy-poll ").append(settings.busyPollMicros()).append(" (the front polls between requests)");
            }
        }
        return text.toString();
    }

    /** 10 s, 0.5 s. */
    static String seconds(Duration duration) {
        double seconds = duration.toNanos() / 1e9;
        return (seconds == Math.rint(seconds) ? Long.toString((long) seconds) : Double.toString(seconds)) + " s";
    }
}
