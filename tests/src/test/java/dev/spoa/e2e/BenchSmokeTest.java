package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.testkit.AgentProcess;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The benchmark's CI smoke run: {@code bin/spoa-bench --quick --no-pin} starts the agent, runs every
 * scenario for a second and prints a line of figures for each. Only that it runs is checked, never
 * how fast: the machine is shared.
 *
 * <p>The bench's main class is run with this test's class path rather than through bin/spoa-bench,
 * whose first step is a Maven build when sources are newer than its last one: no Maven inside a
 * Maven run. The agent itself is started through bin/spoa-supervisor, as in every e2e test.
 */
class BenchSmokeTest {
    private static final long TIME_LIMIT_SECONDS = 240; // far more than it takes: the machine may freeze
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
    private static final Pattern NUMBERS_LINE = Pattern.compile(
            "acks/s [\\d,]+  p50 \\S+ p90 \\S+ p99 \\S+ p99\\.9 \\S+ max \\S+  front cpu [\\d.]+% rss \\d+MB pss \\d+MB"
                    + "  workers cpu [\\d.]+% rss \\d+MB pss \\d+MB  errors \\d+ unanswered 0  gen cpu [\\d.]+%.*");

    private record Outcome(int status, String output, String errors) {
    }

    @Test
    void theQuickRunPrintsALineOfFiguresPerScenarioAndDrawsTheChart(@TempDir Path dir) throws Exception {
        Path chart = dir.resolve("bench.png");
        Path table = dir.resolve("bench.tsv");
        Outcome outcome = bench(dir, "--quick", "--no-pin", "--workers", "2", "--chart", chart.toString(), "--results",
                table.toString());
        String report = "stdout:\n" + outcome.output() + "\nstderr:\n" + outcome.errors();
        assertEquals(0, outcome.status(), report);
        assertFalse(outcome.errors().contains("\tat "), "no stack trace:\n" + report);

        List<String> lines = outcome.output().lines().filter(line -> !line.startsWith("#")).toList();
        List<String> scenarios = List.of("1x1", "8x1", "8x16", "64x16", "rate-1000", "rate-5000");
        assertEquals(scenarios.size() + 1, lines.size(), report);
        for (int i = 0; i < scenarios.size(); i++) {
            String[] parts = lines.get(i).split("\\s+", 2);
            assertEquals(scenarios.get(i), parts[0], report);
            assertTrue(NUMBERS_LINE.matcher(parts[1]).matches(), "a line of figures: " + lines.get(i));
        }
        assertTrue(lines.get(scenarios.size()).matches("idle +front cpu [\\d.]+% rss \\d+MB pss \\d+MB  workers cpu [\\d.]+% .*"),
                lines.get(scenarios.size()));
        assertTrue(outcome.output().lines().anyMatch(line -> line.startsWith("# ") && line.contains("CPUs")), report);

        assertPng(chart);
        List<String> rows = Files.readAllLines(table);
        assertEquals(1 + scenarios.size() + 1, rows.size(), rows.toString());
        assertTrue(rows.get(0).startsWith("scenario\tagent\t"), rows.get(0));
    }

    @Test
    void aBadFlagIsOneLineAndStatusTwo(@TempDir Path dir) throws Exception {
        for (String[] flags : List.of(new String[] {"--duration", "soon"}, new String[] {"--scenarios", "9x9"},
                new String[] {"--no-such-flag"}, new String[] {"--compare", "nowhere"})) {
            Outcome outcome = bench(dir, flags);
            assertEquals(2, outcome.status(), Arrays.toString(flags) + ": " + outcome);
            List<String> lines = outcome.errors().lines().filter(line -> !line.isBlank()).toList();
            assertEquals(1, lines.size(), outcome.errors());
            assertTrue(lines.get(0).startsWith("spoa-bench: "), lines.get(0));
            assertTrue(outcome.output().isEmpty(), outcome.output());
        }
    }

    private static void assertPng(Path file) throws IOException {
        assertTrue(Files.size(file) > 5_000, "a chart, not an empty image: " + Files.size(file) + " bytes");
        try (InputStream in = Files.newInputStream(file); DataInputStream data = new DataInputStream(in)) {
            byte[] signature = new byte[8];
            data.readFully(signature);
            assertArrayEquals(PNG_SIGNATURE, signature, "PNG signature");
            data.readInt(); // the IHDR chunk's length
            byte[] type = new byte[4];
            data.readFully(type);
            assertEquals("IHDR", new String(type, StandardCharsets.US_ASCII));
            int width = data.readInt();
            int height = data.readInt();
            assertTrue(width >= 800 && height >= 600, width + "x" + height);
        }
    }

    /** Runs the bench's main class in its own JVM, from the repository's root, as bin/spoa-bench does. */
    private static Outcome bench(Path dir, String... flags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.awt.headless=true", "-cp", classPath(), "dev.spoa.bench.SpoaBench"));
        command.addAll(List.of(flags));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process process = new ProcessBuilder(command).directory(AgentProcess.root().toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
        if (!process.waitFor(TIME_LIMIT_SECONDS, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            throw new AssertionError("the bench did not end within " + TIME_LIMIT_SECONDS + " s:\n" + Files.readString(out)
                    + Files.readString(err));
        }
        return new Outcome(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Surefire's class path for the tests (java.class.path may be a manifest-only jar pointing at it). */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
