package dev.spoa.supervisor;

import com.beust.jcommander.JCommander;
import com.beust.jcommander.ParameterDescription;
import com.beust.jcommander.ParameterException;
import dev.spoa.supervisor.control.Control;
import dev.spoa.supervisor.control.ControlException;
import dev.spoa.supervisor.logging.LogSettings;
import dev.spoa.supervisor.logging.LogSetup;
import dev.spoa.worker.lua.LuaScriptHandler;
import dev.spoa.worker.lua.ScriptLoadException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code spoa-supervisor start|check [-c FILE] [flags]}: parses the command line (and the
 * configuration file, whose settings the flags override) and runs or checks the agent;
 * {@code stop|reload|status --pid-file FILE} act on a running one. A bad flag
 * or setting is one line on stderr and exit status 2; a problem found before start (script, port)
 * is one line and status 1; a clean stop (SIGTERM, SIGINT) is status 0.
 */
public final class Main {
    static final String PROGRAM = "spoa-supervisor";
    /** Settings whose value names a file or directory: relative ones start at the configuration file's directory. */
    private static final Set<String> PATH_SETTINGS = Set.of("file", "unix", "run-dir", "cache-dir", "log-file", "pid-file",
            "lua-path");
    /** The word a path setting takes instead of a path: not taken from the file's directory. */
    private static final Map<String, String> PATH_WORDS = Map.of("cache-dir", StartCommand.NO_CACHE_DIR);

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        StartCommand command;
        String name;
        AgentConfig config;
        LogSettings logging;
        try {
            StartCommand start = new StartCommand();
            CheckCommand check = new CheckCommand();
            ControlCommand stop = new ControlCommand();
            ControlCommand reload = new ControlCommand();
            ControlCommand status = new ControlCommand();
            JCommander commandLine = JCommander.newBuilder().programName(PROGRAM).addCommand("start", start)
                    .addCommand("check", check).addCommand("stop", stop).addCommand("reload", reload).addCommand("status", status)
                    .build();
            if (args.length > 0 && List.of("stop", "reload", "status").contains(args[0])
                    && !List.of(args).contains("-h") && !List.of(args).contains("--help")) {
                commandLine.parse(args);
                return control(args[0], Map.of("stop", stop, "reload", reload, "status", status).get(args[0]), out, err);
            }
            commandLine.parse(args);
            name = commandLine.getParsedCommand();
            if (name == null || start.help || check.help) {
                StringBuilder usage = new StringBuilder();
                commandLine.getUsageFormatter().usage(usage);
                (name == null ? err : out).print(usage);
                return name == null ? 2 : 0;
            }
            command = name.equals("check") ? check : start;
            if (command.config != null) {
                command = withConfigFile(command, Arrays.copyOfRange(args, 1, args.length));
            }
            config = command.toConfig();
            logging = command.logSettings();
            command.checkDaemon();
        } catch (ParameterException e) {
            err.println(PROGRAM + ": " + e.getMessage() + " (see " + PROGRAM + " start --help)");
            return 2;
        } catch (ConfigFile.ConfigException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            return 2;
        }
        if (command instanceof CheckCommand) {
            return check(config, out, err);
        }
        // tinylog's configuration freezes at the first log line: it is set before anything logs.
        try {
            LogSetup.configure(logging, config.debug());
        } catch (IOException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            return 1;
        }
        try {
            // bin/spoa-supervisor waits for this line to return from start --daemon.
            Runnable serving = command.daemon
                    ? () -> out.println(PROGRAM + ": started in the background (pid " + ProcessHandle.current().pid() + ")")
                    : () -> { };
            return Agent.run(config, serving);
        } catch (StartupException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            return 1;
        }
    }

    private static int control(String name, ControlCommand command, PrintStream out, PrintStream err) {
        Path pidFile = Path.of(command.pidFile);
        try {
            switch (name) {
                case "stop" -> Control.stop(pidFile, Duration.ofSeconds(command.waitSeconds), out);
                case "reload" -> Control.reload(pidFile, out);
                default -> Control.status(pidFile, command.runDir == null ? null : Path.of(command.runDir), out);
            }
            return 0;
        } catch (ControlException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            return 1;
        }
    }

    /**
     * The settings of the file, then the command line's flags over them, in a fresh command of the
     * same kind: each parse starts from the values the previous one left.
     */
    static StartCommand withConfigFile(StartCommand parsed, String[] flags) throws ConfigFile.ConfigException {
        StartCommand merged = parsed instanceof CheckCommand ? new CheckCommand() : new StartCommand();
        JCommander fromFile = JCommander.newBuilder().addObject(merged).build();
        JCommander probe = JCommander.newBuilder().addObject(new StartCommand()).build();
        probe.parse(); // JCommander describes its parameters only once it has parsed
        Map<String, Boolean> settings = new TreeMap<>();
        for (ParameterDescription parameter : probe.getParameters()) {
            String longName = Arrays.stream(parameter.getNames().split(",")).map(String::strip)
                    .filter(flag -> flag.startsWith("--")).findFirst().orElseThrow();
            Class<?> type = parameter.getParameterized().getType();
            settings.put(longName.substring(2), type == boolean.class || type == Boolean.class);
        }
        settings.remove("config");
        settings.remove("help");
        Path file = Path.of(parsed.config);
        List<String> fileFlags = ConfigFile.read(file, settings, PATH_SETTINGS, PATH_WORDS);
        try {
            fromFile.parse(fileFlags.toArray(String[]::new));
        } catch (ParameterException e) {
            throw new ConfigFile.ConfigException(file + ": " + e.getMessage());
        }
        JCommander.newBuilder().addObject(merged).build().parse(flags);
        return merged;
    }

    /** Everything start would check before binding, the script compiled and its top level run; nothing started. */
    private static int check(AgentConfig config, PrintStream out, PrintStream err) {
        try {
            Set<String> messages = LuaScriptHandler.load(config.script(), config.script(), config.luaSettings(0)).messages();
            out.println(PROGRAM + ": configuration OK; " + config.script() + " registers " + messages.size() + " messages "
                    + messages);
            return 0;
        } catch (ScriptLoadException e) {
            err.println(PROGRAM + ": " + e.getMessage());
            return 1;
        }
    }
}
