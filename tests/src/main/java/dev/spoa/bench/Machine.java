package dev.spoa.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The machine the figures come from: CPU model and count (all of the machine's, not only those
 * this JVM may run on), kernel, Java. Figures from another machine are another story.
 */
record Machine(String cpuModel, int cpus, String kernel, String java) {

    static Machine current() {
        List<String> cpuinfo = lines(Path.of("/proc/cpuinfo"));
        String model = cpuinfo.stream().filter(line -> line.startsWith("model name")).findFirst()
                .map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse(System.getProperty("os.arch"));
        int cpus = (int) cpuinfo.stream().filter(line -> line.startsWith("processor")).count();
        String kernel = lines(Path.of("/proc/sys/kernel/osrelease")).stream().findFirst().orElse(System.getProperty("os.version"));
        String java = System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version");
        return new Machine(model, Math.max(cpus, 1), kernel, java);
    }

    /** The CPUs a process may run on (its affinity), as /proc says: "0-1", "1". */
    static String cpusAllowed(long pid) {
        return lines(Path.of("/proc", Long.toString(pid), "status")).stream().filter(line -> line.startsWith("Cpus_allowed_list:"))
                .findFirst().map(line -> line.substring(line.indexOf(':') + 1).strip()).orElse("?");
    }

    String describe() {
        return cpuModel + ", " + cpus + " CPUs, Linux " + kernel + ", " + java;
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
