package dev.spoa.bench;

import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.Wait;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a killed worker takes to be serving again: starts the agent (bin/spoa-supervisor), then
 * SIGKILLs worker 0 again and again, and reads in the agent's log when the front saw it die, when it
 * started the new JVM, and when that JVM said READY (from then on it gets jobs). Prints each kill
 * and the median and max of each span. Figures to read, not to assert: the machine is shared.
 *
 * <pre>
 * bin/spoa-bench-restart [--kills N] [--workers N] [--java JAVA_HOME] [--no-cds] [--script FILE]
 * </pre>
 */
public final class RestartBenchmark {
    private static final DateTimeFormatter LOG_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** A worker killed sooner than 1 s after READY counts as a crash loop and is restarted after a pause: stay above. */
    private static final Duration BETWEEN_KILLS = Duration.ofMillis(2500);

    private RestartBenchmark() {
    }

    private static String value(String[] args, int index) {
        if (index >= args.length) {
            throw new IllegalArgumentException(args[index - 1] + " needs a value");
        }
        return args[index];
    }

    private static int number(String[] args, int index) {
        String value = value(args, index);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(args[index - 1] + " needs a number, not " + value);
        }
    }

    /** One kill: milliseconds from the kill to each event the front logged. */
    private record Kill(long noticed, long started, long ready) {
    }

    public static void main(String[] args) throws Exception {
        int kills = 10;
        int workers = 2;
        String javaHome = null;
        boolean cds = true;
        Path script = AgentProcess.root().resolve("conf/examples/ip_reputation.lua");
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--kills" -> kills = number(args, ++i);
                    case "--workers" -> workers = number(args, ++i);
                    case "--java" -> javaHome = value(args, ++i);
                    case "--no-cds" -> cds = false;
                    case "--script" -> script = Path.of(value(args, ++i)).toAbsolutePath();
                    default -> throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            System.err.println("spoa-bench-restart: " + e.getMessage()
                    + "; usage: [--kills N] [--workers N] [--java JAVA_HOME] [--no-cds] [--script FILE]");
            System.exit(2);
        }
        Map<String, String> environment = new HashMap<>();
        if (javaHome != null) {
            environment.put("PATH", Path.of(javaHome, "bin") + ":" + System.getenv("PATH"));
        }
        if (!cds) {
            environment.put("SPOA_JAVA_OPTS", "-Dspoa.cds=false");
        }
        int port = AgentProcess.freePort();
        try (AgentProcess agent = AgentProcess.start(List.of("-f", script.toString(), "-p", Integer.toString(port),
                "-n", Integer.toString(workers)), workers, environment)) {
            long agentStarted = agent.process().info().startInstant().map(Instant::toEpochMilli).orElse(0L);
            System.out.printf("agent pid %d, %d workers, %s%n", agent.process().pid(), workers,
                    javaHome == null ? "java from PATH" : javaHome);
            System.out.printf("all workers ready %d ms after the agent started%n", lastReady(agent.log()) - agentStarted);
            if (!Wait.until(WAIT, () -> agent.log().contains("workers start with"))) {
                System.out.println("no word about the class-data-sharing archive in the log (not wired in?)");
            }
            agent.log().lines().filter(line -> line.contains("class-data-sharing archive")).forEach(System.out::println);

            List<Kill> results = new ArrayList<>();
            System.out.printf("%5s %10s %10s %10s %10s%n", "kill", "noticed", "started", "ready", "JVM start");
            for (int i = 1; i <= kills; i++) {
                Thread.sleep(BETWEEN_KILLS.toMillis());
                ProcessHandle worker = workerZero(agent);
                long generation = generation(worker);
                long killed = System.currentTimeMillis();
                worker.destroyForcibly();
                String ready = "worker 0 (generation " + (generation + 1) + ") ready";
                if (!Wait.until(WAIT, () -> agent.log().contains(ready))) {
                    throw new IllegalStateException("no \"" + ready + "\" within " + WAIT.toSeconds() + " s:\n" + agent.log());
                }
                String log = agent.log();
                Kill kill = new Kill(
                        time(log, "worker 0 \\(generation " + generation + "\\) \\(pid \\d+\\) was killed") - killed,
                        time(log, "worker 0 started \\(pid \\d+, generation " + (generation + 1) + "\\)") - killed,
                        time(log, Pattern.quote(ready)) - killed);
                results.add(kill);
                System.out.printf("%5d %10d %10d %10d %10d%n", i, kill.noticed(), kill.started(), kill.ready(),
                        kill.ready() - kill.started());
            }
            System.out.printf("%5s %10d %10d %10d %10d%n", "med", median(results, Kill::noticed), median(results, Kill::started),
                    median(results, Kill::ready), median(results, kill -> kill.ready() - kill.started()));
            System.out.printf("%5s %10d %10d %10d %10d%n", "max", max(results, Kill::noticed), max(results, Kill::started),
                    max(results, Kill::ready), max(results, kill -> kill.ready() - kill.started()));
            System.out.println("(ms after the SIGKILL: the front saw the exit, started the new JVM, got its READY; "
                    + "JVM start = ready - started)");
            agent.stop(WAIT);
        }
    }

    private static ProcessHandle workerZero(AgentProcess agent) throws InterruptedException {
        List<ProcessHandle> found = new ArrayList<>();
        Wait.until(WAIT, () -> {
            found.clear();
            agent.workers().stream().filter(worker -> argument(worker, "--worker").equals(Optional.of("0"))).forEach(found::add);
            return found.size() == 1;
        });
        if (found.size() != 1) {
            throw new IllegalStateException("worker 0 is not running:\n" + agent.log());
        }
        return found.get(0);
    }

    private static long generation(ProcessHandle worker) {
        return Long.parseLong(argument(worker, "--generation").orElseThrow());
    }

    private static Optional<String> argument(ProcessHandle process, String name) {
        String[] arguments = process.info().arguments().orElse(new String[0]);
        for (int i = 0; i + 1 < arguments.length; i++) {
            if (arguments[i].equals(name)) {
                return Optional.of(arguments[i + 1]);
            }
        }
        return Optional.empty();
    }

    /** The time stamp of the log line matching {@code regex}, in epoch milliseconds. */
    private static long time(String log, String regex) {
        Matcher matcher = Pattern.compile("^(\\S+ \\S+) .*" + regex, Pattern.MULTILINE).matcher(log);
        if (!matcher.find()) {
            throw new IllegalStateException("no line matching " + regex + " in:\n" + log);
        }
        return LocalDateTime.parse(matcher.group(1), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    private static long lastReady(String log) {
        Matcher matcher = Pattern.compile("^(\\S+ \\S+) .*worker \\d+ \\(generation 0\\) ready", Pattern.MULTILINE).matcher(log);
        long last = 0;
        while (matcher.find()) {
            last = Math.max(last, LocalDateTime.parse(matcher.group(1), LOG_TIME).atZone(ZoneId.systemDefault()).toInstant()
                    .toEpochMilli());
        }
        return last;
    }

    private static long median(List<Kill> kills, ToLongFunction<Kill> span) {
        long[] values = kills.stream().mapToLong(span).sorted().toArray();
        return values.length % 2 == 1 ? values[values.length / 2] : (values[values.length / 2 - 1] + values[values.length / 2]) / 2;
    }

    private static long max(List<Kill> kills, ToLongFunction<Kill> span) {
        return kills.stream().mapToLong(span).max().orElse(0);
    }
}
