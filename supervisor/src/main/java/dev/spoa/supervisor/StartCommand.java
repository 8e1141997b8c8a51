package dev.spoa.supervisor;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import dev.spoa.protocol.VarScope;
import dev.spoa.worker.ErrorVariable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** The flags of {@code spoa-supervisor start}; the original agent's short forms (-p, -n, -f, -d) are kept. */
@Parameters(commandDescription = "Start the agent in the foreground")
final class StartCommand {
    @Parameter(names = {"-f", "--file"}, description = "The Lua script every worker runs (required)")
    String script;

    @Parameter(names = {"-p", "--port"}, description = "TCP port to listen on (default 12345)")
    Integer port;

    @Parameter(names = "--bind", description = "Address to listen on (default 127.0.0.1)")
    String bind;

    @Parameter(names = "--unix", description = "Listen on this Unix socket; with -p or --bind, on TCP as well")
    String unixSocket;

    @Parameter(names = {"-n", "--workers"}, description = "Number of worker processes")
    int workers = 5;

    @Parameter(names = "--max-frame-size", description = "Largest frame accepted (default: the largest a queue record carries); "
            + "HAProxy's own limit (tune.bufsize - 4) is echoed when smaller")
    int maxFrameSize = AgentConfig.LARGEST_FRAME_SIZE;

    @Parameter(names = "--max-in-flight", description = "NOTIFYs a connection may have waiting for an ACK before it is no longer read")
    int maxInFlight = 64;

    @Parameter(names = "--timeout", description = "Milliseconds a job may take before it is answered with the error variable "
            + "(keep it below the SPOE agent's 'timeout processing')")
    long timeoutMillis = 500;

    @Parameter(names = "--grace", description = "Milliseconds past a job's deadline a worker may still run it before it is "
            + "killed and replaced (a runaway handler cannot be stopped any other way)")
    long graceMillis = 1000;

    @Parameter(names = "--max-per-worker", description = "Jobs one worker may hold; when every worker holds that many, "
            + "new NOTIFYs are answered at once with the error variable set to overloaded")
    int maxPerWorker = 1000;

    @Parameter(names = "--max-pending", description = "Jobs all workers together may hold; past that, new NOTIFYs are answered "
            + "at once with overloaded")
    int maxPending = 10_000;

    @Parameter(names = "--error-var", description = "Variable (txn scope) set to handler, timeout, worker-died, overloaded or too-big "
            + "when the handler's answer cannot be given")
    String errorVariable = ErrorVariable.DEFAULT_NAME;

    @Parameter(names = "--run-dir", description = "Where the queues live: a fresh folder is made inside (default /dev/shm, else the temp dir)")
    String runDir;

    @Parameter(names = {"-d", "--debug"}, description = "Debug logging")
    boolean debug;

    @Parameter(names = {"-h", "--help"}, help = true, description = "Show this help")
    boolean help;

    /** Checks the flags together and builds the configuration; every problem is a ParameterException with one clear line. */
    AgentConfig toConfig() {
        if (script == null) {
            throw new ParameterException("a Lua script is required: -f/--file FILE");
        }
        Optional<Path> unix = Optional.ofNullable(unixSocket).map(Path::of);
        Optional<InetSocketAddress> tcp = Optional.empty();
        if (unix.isEmpty() || port != null || bind != null) {
            int tcpPort = port == null ? 12345 : port;
            if (tcpPort < 0 || tcpPort > 65535) {
                throw new ParameterException("-p/--port must be between 0 and 65535: " + tcpPort);
            }
            tcp = Optional.of(new InetSocketAddress(address(bind == null ? "127.0.0.1" : bind), tcpPort));
        }
        if (timeoutMillis <= 0) {
            throw new ParameterException("--timeout must be a positive number of milliseconds: " + timeoutMillis);
        }
        if (graceMillis < 0) {
            throw new ParameterException("--grace must be zero or a positive number of milliseconds: " + graceMillis);
        }
        if (!errorVariable.matches("[A-Za-z0-9._]+")) {
            throw new ParameterException("--error-var takes letters, digits, '.' and '_' only (HAProxy's variable names): " + errorVariable);
        }
        try {
            return new AgentConfig(tcp, unix, workers, Path.of(script), maxFrameSize, maxInFlight,
                    Duration.ofMillis(timeoutMillis), Duration.ofMillis(graceMillis), maxPerWorker, maxPending,
                    new ErrorVariable(errorVariable, VarScope.TXN),
                    Optional.ofNullable(runDir).map(Path::of), debug);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(e.getMessage());
        }
    }

    /** A numeric address only: a name would need DNS at start, and HAProxy configs use addresses. */
    private static InetAddress address(String text) {
        String literal = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (!literal.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            throw new ParameterException("--bind takes an IPv4 or IPv6 address: " + text);
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new ParameterException("--bind takes an IPv4 or IPv6 address: " + text);
        }
    }
}
