package dev.spoa.supervisor;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.Parameters;

/** The flags of {@code stop}, {@code reload} and {@code status}: how to find the running agent. */
@Parameters(commandDescription = "stop / reload / status of an agent started with --pid-file")
final class ControlCommand {
    @Parameter(names = "--pid-file", required = true, description = "The pid file the agent was started with")
    String pidFile;

    @Parameter(names = "--run-dir", description = "status: the --run-dir the agent was started with, if any")
    String runDir;

    @Parameter(names = "--wait", description = "stop: seconds to wait for the agent to drain and exit")
    int waitSeconds = 30;

    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    boolean help;
}
