package dev.spoa.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What an agent costs, read from Linux's /proc: CPU time (utime + stime of /proc/PID/stat) over a
 * window, as a percentage of one core, and memory at the end of it: RSS (VmRSS, every page the
 * process maps, shared ones counted in full) and PSS (smaps_rollup's Pss, shared pages divided
 * among the processes sharing them, so the sum over processes is what they take together). For the
 * front process, and apart for all its children together (the workers).
 */
final class ProcessStats {
    private static final Pattern HEAP_FLAG = Pattern.compile(
            "-Xm[sxn]\\S*|-XX:[+-]Use\\w*GC|-XX:\\w*RAMPercentage=\\S*|-XX:(Max|Initial)HeapSize=\\S*|-XX:[+-]TieredCompilation");
    private static final long DEFAULT_CLOCK_TICKS = 100;

    private final long pid;
    private final long ticksPerSecond;

    /** {@code ticksPerSecond}: {@link #clockTicksPerSecond()}, asked once. */
    ProcessStats(long pid, long ticksPerSecond) {
        this.pid = pid;
        this.ticksPerSecond = ticksPerSecond;
    }

    long pid() {
        return pid;
    }

    /** CPU ticks used so far by the front and by each child, and when they were read. */
    record CpuTimes(long nanoTime, long frontTicks, Map<Long, Long> childTicks) {
    }

    /** One process or a group of them: CPU % of one core over the window, RSS and PSS in bytes (-1: unknown). */
    record Usage(double cpuPercent, long rssBytes, long pssBytes, int processes) {
    }

    /** The front, and its children together. */
    record AgentUsage(Usage front, Usage workers) {
    }

    CpuTimes cpuTimes() {
        Map<Long, Long> children = new HashMap<>();
        for (long child : children(pid)) {
            children.put(child, ticks(child));
        }
        return new CpuTimes(System.nanoTime(), ticks(pid), children);
    }

    /** CPU since {@code start}, memory now. Children that started in the window count from zero; those that ended, not at all. */
    AgentUsage since(CpuTimes start) {
        CpuTimes end = cpuTimes();
        double seconds = (end.nanoTime() - start.nanoTime()) / 1e9;
        long childTicks = 0;
        long childRss = 0;
        long childPss = 0;
        for (Map.Entry<Long, Long> child : end.childTicks().entrySet()) {
            childTicks += child.getValue() - start.childTicks().getOrDefault(child.getKey(), 0L);
            childRss += Math.max(0, rss(child.getKey()));
            childPss += Math.max(0, pss(child.getKey()));
        }
        Usage front = new Usage(percent(end.frontTicks() - start.frontTicks(), seconds), rss(pid), pss(pid), 1);
        Usage workers = new Usage(percent(childTicks, seconds), childRss, childPss, end.childTicks().size());
        return new AgentUsage(front, workers);
    }

    private double percent(long ticks, double seconds) {
        return seconds <= 0 ? 0 : 100.0 * ticks / ticksPerSecond / seconds;
    }

    /** CPU ticks this process (alone, not its children) has used so far. */
    long ownTicks() {
        return ticks(pid);
    }

    /** Ticks as a percentage of one core over {@code nanos}. */
    double percentOfOneCore(long ticks, long nanos) {
        return percent(ticks, nanos / 1e9);
    }

    /**
     * CPU ticks the whole machine has been busy so far, all cores together: the first line of
     * /proc/stat, user + nice + system + irq + softirq (guest time is already counted in user;
     * steal is the hypervisor's business, idle and iowait are no work).
     */
    static long machineBusyTicks() {
        String line = read(Path.of("/proc/stat")).lines().findFirst().orElse("");
        String[] fields = line.trim().split("\\s+");
        if (fields.length < 9 || !fields[0].equals("cpu")) {
            return 0;
        }
        long busy = 0;
        for (int column : new int[] {1, 2, 3, 6, 7}) {
            busy += Long.parseLong(fields[column]);
        }
        return busy;
    }

    /**
     * The heap, GC and JIT flags of a JVM's command line ("-Xmx256m -XX:+UseSerialGC"), "(JVM defaults)"
     * for a JVM started without any, "" for a process that is no JVM.
     */
    static String heapFlags(long pid) {
        List<String> commandLine = commandLine(pid);
        if (commandLine.isEmpty() || !(commandLine.get(0).equals("java") || commandLine.get(0).endsWith("/java"))) {
            return "";
        }
        List<String> flags = new ArrayList<>();
        for (String argument : commandLine) {
            if (HEAP_FLAG.matcher(argument).matches()) {
                flags.add(argument);
            }
        }
        return flags.isEmpty() ? "(JVM defaults)" : String.join(" ", flags);
    }

    /** The flags of the first child (the workers all run with the same ones), or "" when there is none. */
    static String childHeapFlags(long pid) {
        List<Long> children = children(pid);
        return children.isEmpty() ? "" : heapFlags(children.get(0));
    }

    static List<String> commandLine(long pid) {
        String line = read(Path.of("/proc", Long.toString(pid), "cmdline"));
        return line.isEmpty() ? List.of() : List.of(line.split("\0"));
    }

    /** The processes this one started and that still run (the JDK finds them by their parent pid in /proc). */
    static List<Long> children(long pid) {
        return ProcessHandle.of(pid).map(process -> process.children().map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    /** utime + stime: fields 14 and 15 of /proc/PID/stat, counted after the command name, which may hold spaces. */
    static long ticks(long pid) {
        String stat = read(Path.of("/proc", Long.toString(pid), "stat"));
        int afterName = stat.lastIndexOf(')');
        if (afterName < 0) {
            return 0;
        }
        String[] fields = stat.substring(afterName + 2).split(" ");
        return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields[0] is field 3, the state
    }

    static long rss(long pid) {
        return kilobytes(Path.of("/proc", Long.toString(pid), "status"), "VmRSS:");
    }

    static long pss(long pid) {
        return kilobytes(Path.of("/proc", Long.toString(pid), "smaps_rollup"), "Pss:");
    }

    private static long kilobytes(Path file, String label) {
        for (String line : read(file).split("\n")) {
            if (line.startsWith(label)) {
                String value = line.substring(label.length()).trim();
                return Long.parseLong(value.substring(0, value.indexOf(' '))) * 1024;
            }
        }
        return -1;
    }

    /** The file's text, or "" when it is gone (a process that just ended) or unreadable. */
    private static String read(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** USER_HZ, what /proc counts CPU time in: {@code getconf CLK_TCK}, 100 (Linux's value everywhere) if that fails. */
    static long clockTicksPerSecond() {
        try {
            Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String output = new String(getconf.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
            return getconf.waitFor() == 0 ? Long.parseLong(output) : DEFAULT_CLOCK_TICKS;
        } catch (IOException | NumberFormatException e) {
            return DEFAULT_CLOCK_TICKS;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return DEFAULT_CLOCK_TICKS;
        }
    }
}
