package dev.spoa.supervisor;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterException;
import dev.spoa.supervisor.logging.LogSettings;
import dev.spoa.supervisor.logging.LogSetup;
import java.io.IOException;
import java.io.PrintStream;

/**
 * {@code spoa-supervisor start [flags]}: parses the command line and runs the agent. A bad flag is
 * one line on stderr and exit status 2; a problem found before start (script, port) is one line and
 * status 1; a clean stop (SIGTERM, SIGINT) is status 0.
 */
public final class Main {
    static final String PROGRAM = "spoa-supervisor";

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        StartCommand start = new StartCommand();
        JCommander commandLine = JCommander.newBuilder().programName(PROGRAM).addCommand("start", start).build();
        AgentConfig config;
        LogSettings logging;
        try {
            commandLine.parse(args);
            if (start.help || commandLine.getParsedCommand() == null) {
                StringBuilder usage = new StringBuilder();
                commandLine.getUsageFormatter().usage(usage);
                (start.help ? out : err).print(usage);
                return start.help ? 0 : 2;
            }
            config = start.toConfig();
            logging = start.logSettings();
        } catch (ParameterException e) {
            err.println(PROGRAM + ": " + e.getMessage() + " (see " + PROGRAM + " start --help)");
            return 2;
        }
        // tinylog's configuration freezes at the first log line: it is set before anything logs.
        try {
            LogSetup.configure(logging, config.debug());
        } catch (IOException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            return 1;
        }
        try {
            return Agent.run(config);
        } catch (StartupException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            return 1;
        }
    }
}
