package dev.spoa.bench;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterException;
import java.io.PrintStream;

/**
 * bin/spoa-bench: starts the agent with a trivial handler (or drives one already running), warms
 * it up, then runs each scenario and prints one line of figures per scenario (and per agent, when
 * another agent is compared side by side): ACK/s, latency percentiles, CPU and memory of the front
 * and of the workers together. Figures to read, not to assert: the machine is shared.
 * See docs/BENCHMARKS.md.
 *
 * <p>Exit status: 0 when every NOTIFY got the ACK it should, 1 when a run failed (a connection lost,
 * ACKs missing or malformed, the agent did not start), 2 for a bad flag.
 */
public final class SpoaBench {
    static final String PROGRAM = "spoa-bench";

    private SpoaBench() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.setProperty("java.awt.headless", "true"); // the chart is drawn off screen
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws InterruptedException {
        BenchOptions options = new BenchOptions();
        JCommander commandLine = JCommander.newBuilder().programName("bin/" + PROGRAM).addObject(options).build();
        BenchSettings settings;
        try {
            commandLine.parse(args);
            if (options.help) {
                StringBuilder usage = new StringBuilder();
                commandLine.getUsageFormatter().usage(usage);
                out.print(usage);
                return 0;
            }
            settings = options.settings();
        } catch (ParameterException e) {
            err.println(PROGRAM + ": " + e.getMessage() + " (see bin/" + PROGRAM + " --help)");
            return 2;
        }
        return new BenchSession(settings, out, err).run();
    }
}
