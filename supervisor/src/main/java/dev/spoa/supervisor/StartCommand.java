package dev.spoa.supervisor;

import com.beust.jcommander.Parameter;
import com.beust.jcommander.ParameterException;
import com.beust.jcommander.Parameters;
import dev.spoa.protocol.VarScope;
import dev.spoa.supervisor.logging.LogSettings;
import dev.spoa.supervisor.metrics.MetricsServer;
import dev.spoa.supervisor.system.Group;
import dev.spoa.supervisor.system.RunAs;
import dev.spoa.supervisor.system.SocketAccess;
import dev.spoa.worker.ErrorVariable;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * The flags of {@code spoa-supervisor start} (and {@code check}, which takes the same); the original
 * agent's short forms (-p, -n, -f, -d) are kept. Every long flag can also be a setting of the
 * configuration file named by {@code -c} ({@link ConfigFile}).
 */
@Parameters(commandDescription = "Start the agent in the foreground")
class StartCommand {
    @Parameter(names = {"-c", "--config"}, description = "A configuration file: one 'name = value' per line, names being "
            + "these flags' long names; flags given here override it (see conf/spoa.conf)")
    String config;

    @Parameter(names = {"-f", "--file"}, description = "The Lua script every worker runs (required)")
    String script;

    @Parameter(names = {"-p", "--port"}, description = "TCP port to listen on (default 12345)")
    Integer port;

    @Parameter(names = "--bind", description = "Address to listen on (default 127.0.0.1)")
    String bind;

    @Parameter(names = "--unix", description = "Listen on this Unix socket; with -p or --bind, on TCP as well")
    String unixSocket;

    @Parameter(names = "--unix-mode", description = "Permissions of the Unix socket, in octal (e.g. 660: its owner and group "
            + "may connect); default: what the umask gives")
    String unixMode;

    @Parameter(names = "--unix-group", description = "Group of the Unix socket (e.g. haproxy's, with --unix-mode 660)")
    String unixGroup;

    @Parameter(names = {"-n", "--workers"}, description = "Number of worker processes")
    int workers = 5;

    @Parameter(names = "--worker-heap", description = "Heap limit of each worker JVM in MB: a handler that needs more gets its job "
            + "answered with the error variable and its worker replaced")
    int workerHeapMegabytes = AgentConfig.DEFAULT_WORKER_HEAP_MB;

    @Parameter(names = "--lua-path", description = "Where require looks for modules, after the script's directory and before "
            + "LUA_PATH: directories or Lua path templates (/usr/share/lua/5.2/?.lua), separated by ';'")
    String luaPath;

    @Parameter(names = "--lua-sandbox", description = "Handlers may not run programs (os.execute, io.popen), write or remove "
            + "files, exit, use Java (luajava) or load bytecode")
    boolean luaSandbox;

    @Parameter(names = "--lua-interpreter", description = "Run handlers in luaj's interpreter instead of compiling them to JVM "
            + "bytecode (LuaJC): slower, for a script LuaJC gets wrong")
    boolean luaInterpreter;

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

    @Parameter(names = "--busy-poll", description = "Microseconds the front keeps polling for the next request after the last "
            + "one before it sleeps (default 0: it sleeps at once). Spares each request the wake-up of a sleeping core (100-300 us "
            + "in a VM) at the cost of that core while requests keep coming; as HAProxy's busy-polling, but only while they do")
    long busyPollMicros = 0;

    @Parameter(names = "--error-var", description = "Variable (txn scope) set to handler, timeout, worker-died, overloaded or too-big "
            + "when the handler's answer cannot be given")
    String errorVariable = ErrorVariable.DEFAULT_NAME;

    @Parameter(names = "--run-dir", description = "Where the queues live: a fresh folder is made inside (default /dev/shm, else the temp dir)")
    String runDir;

    @Parameter(names = "--cache-dir", description = "Where the workers' class-data-sharing archive is kept between starts, so "
            + "that workers start sooner and take less memory (default: systemd's CacheDirectory=, else $XDG_CACHE_HOME/spoa or "
            + "~/.cache/spoa; none with --user); 'none' for none")
    String cacheDir;
    /** What --cache-dir takes for no cache dir. */
    static final String NO_CACHE_DIR = "none";

    /** The environment the defaults are read from; tests give their own. */
    Function<String, String> environment = System::getenv;

    @Parameter(names = "--metrics", description = "Serve metrics in Prometheus' text format at http://ADDR:PORT/metrics "
            + "(ADDR:PORT, e.g. 127.0.0.1:9100)")
    String metrics;

    @Parameter(names = "--user", description = "Started as root: bind the sockets, then run as this user (the workers too); "
            + "the run dir and its files belong to it")
    String user;

    @Parameter(names = "--group", description = "With --user: the group to run as (default: the user's primary group)")
    String group;

    @Parameter(names = "--log-file", description = "Write the log (the workers' lines too) to this file instead of the console, "
            + "rotated at midnight and past --log-file-size: the files are FILE.0, FILE.1... and FILE links to the newest")
    String logFile;

    @Parameter(names = "--log-file-size", description = "Rotate the log file once it would grow past this size (10M, 500K, bytes; "
            + "default 10M)")
    String logFileSize;

    @Parameter(names = "--log-files-kept", description = "Rotated log files kept besides the current one (default 10)")
    Integer logFilesKept;

    @Parameter(names = "--syslog", description = "Send the log to the local syslog (/dev/log, facility daemon, tag spoa) "
            + "instead of the console")
    boolean syslog;

    @Parameter(names = "--syslog-address", description = "Send syslog messages here instead: another socket path, or HOST:PORT "
            + "for a syslog server over UDP (implies --syslog)")
    String syslogAddress;

    @Parameter(names = "--log-format", description = "text, or json: one JSON object per line (time, level, thread, message; "
            + "worker, connection, stream, frame when the line is about one)")
    String logFormat;

    @Parameter(names = "--pid-file", description = "Write the agent's pid here once it serves (for stop, reload and status)")
    String pidFile;

    @Parameter(names = "--daemon", description = "Run in the background (bin/spoa-supervisor detaches it and returns once it "
            + "serves); needs --pid-file and --log-file or --syslog. Under systemd, leave it out")
    boolean daemon;

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
        if (busyPollMicros < 0 || busyPollMicros > AgentConfig.MAX_BUSY_POLL.toNanos() / 1000) {
            throw new ParameterException("--busy-poll must be between 0 and " + AgentConfig.MAX_BUSY_POLL.toNanos() / 1000
                    + " microseconds: " + busyPollMicros);
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
                    Duration.ofNanos(busyPollMicros * 1000), new ErrorVariable(errorVariable, VarScope.TXN),
                    Optional.ofNullable(runDir).map(Path::of), cacheDir(), debug,
                    Optional.ofNullable(metrics).map(MetricsServer::parseAddress),
                    runAs(), unixSocketAccess(), Optional.ofNullable(pidFile).map(Path::of),
                    new AgentConfig.Lua(luaPath(), luaSandbox, !luaInterpreter, workerHeapMegabytes));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(e.getMessage());
        }
    }

    /**
     * --cache-dir; else systemd's CacheDirectory= (its first folder, $CACHE_DIRECTORY), else the
     * user's cache ($XDG_CACHE_HOME/spoa, ~/.cache/spoa). None with --user: the home this JVM knows
     * is the one of the user who started it, not of the one it becomes.
     */
    private Optional<Path> cacheDir() {
        if (cacheDir != null) {
            if (cacheDir.equals(NO_CACHE_DIR)) {
                return Optional.empty();
            }
            if (cacheDir.isBlank()) {
                throw new ParameterException("--cache-dir needs a folder (or none)");
            }
            return Optional.of(Path.of(cacheDir).toAbsolutePath().normalize());
        }
        String systemd = environment.apply("CACHE_DIRECTORY");
        if (systemd != null && !systemd.isBlank()) {
            return Optional.of(Path.of(systemd.split(":")[0]));
        }
        if (user != null) {
            return Optional.empty();
        }
        String xdg = environment.apply("XDG_CACHE_HOME");
        if (xdg != null && Path.of(xdg).isAbsolute()) { // the XDG spec: a relative one is to be ignored
            return Optional.of(Path.of(xdg, "spoa"));
        }
        String home = environment.apply("HOME");
        return home == null || !Path.of(home).isAbsolute() ? Optional.empty() : Optional.of(Path.of(home, ".cache", "spoa"));
    }

    /** --lua-path's entries, each made absolute: workers do not share the operator's working directory. */
    private List<String> luaPath() {
        List<String> entries = new ArrayList<>();
        if (luaPath != null) {
            for (String entry : luaPath.split(";")) {
                if (!entry.isBlank()) {
                    entries.add(Path.of(entry.strip()).toAbsolutePath().normalize().toString());
                }
            }
        }
        return entries;
    }

    /** --user and --group, looked up now: a user or group that does not exist is a bad flag. */
    private Optional<RunAs> runAs() {
        if (user == null) {
            if (group != null) {
                throw new ParameterException("--group needs --user: it is the group the agent runs as once root is dropped");
            }
            return Optional.empty();
        }
        return Optional.of(RunAs.lookUp(user, Optional.ofNullable(group)));
    }

    private SocketAccess unixSocketAccess() {
        OptionalInt mode = unixMode == null ? OptionalInt.empty() : OptionalInt.of(SocketAccess.parseMode(unixMode));
        Optional<Group> socketGroup;
        try {
            socketGroup = Optional.ofNullable(unixGroup).map(Group::named);
        } catch (IllegalArgumentException e) {
            throw new ParameterException("--unix-group: " + e.getMessage());
        }
        return new SocketAccess(mode, socketGroup);
    }

    /** --daemon's needs: a detached agent is found through its pid file and speaks through its log. */
    void checkDaemon() {
        if (daemon && pidFile == null) {
            throw new ParameterException("--daemon needs --pid-file: stop, reload and status find the agent through it");
        }
        if (daemon && logFile == null && !syslog && syslogAddress == null) {
            throw new ParameterException("--daemon needs --log-file or --syslog: a detached agent has no console to log to");
        }
    }

    /** Where the log goes and in which form; every problem is a ParameterException with one clear line. */
    LogSettings logSettings() {
        try {
            return LogSettings.fromFlags(logFormat, logFile, logFileSize, logFilesKept, syslog, syslogAddress);
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
