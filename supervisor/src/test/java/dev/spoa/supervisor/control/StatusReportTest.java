package dev.spoa.supervisor.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.supervisor.metrics.ErrorReason;
import dev.spoa.supervisor.metrics.MetricsSnapshot;
import dev.spoa.supervisor.workers.WorkerPool;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StatusReportTest {

    @Test
    void rendersEveryLineWithItsColumnsAligned(@TempDir Path runDir) {
        Map<ErrorReason, Long> errors = new EnumMap<>(ErrorReason.class);
        errors.put(ErrorReason.HANDLER, 1L);
        errors.put(ErrorReason.TIMEOUT, 8L);
        MetricsSnapshot snapshot = new MetricsSnapshot(Map.of("check-client-ip", 1010L), Map.of("check-client-ip", 1009L), errors,
                new MetricsSnapshot.Histogram(List.of(new MetricsSnapshot.Bucket(Double.POSITIVE_INFINITY, 1009)), 0.5), 5, 1, List.of(), 2, 1,
                List.of(new MetricsSnapshot.Worker(0, 2, 1000, 3), new MetricsSnapshot.Worker(1, 0, 0, 0)));
        long now = System.nanoTime();
        List<WorkerPool.Running> running = List.of(
                new WorkerPool.Running(0, 4242, 7, now - TimeUnit.SECONDS.toNanos(75), true),
                new WorkerPool.Running(1, 123456789, 0, now - TimeUnit.HOURS.toNanos(30), false));
        try (StatusReport report = StatusReport.start(runDir, () -> snapshot, () -> running, 2)) {
            String[] lines = report.render(now).split("\n", -1);

            assertEquals("spoa pid " + ProcessHandle.current().pid() + ", up 0s", lines[0]);
            assertEquals("workers: 1 of 2 ready, 3 restarts", lines[1]);
            assertEquals("  worker pid      generation up        restarts jobs served jobs held", lines[2]);
            assertEquals("  0      4242     7          1m15s     3        1000        2", lines[3]);
            assertEquals("  1      123456789 0          1d6h      0        0           0 (starting)", lines[4]);
            assertEquals("connections: 1 open, 5 accepted", lines[5]);
            assertEquals("jobs in flight: 2", lines[6]);
            assertEquals("NOTIFYs: 1010 received, 1009 answered, 9 of them with the error variable (handler 1, timeout 8)", lines[7]);
            assertTrue(lines[8].startsWith("as of 20"), lines[8]);
            assertEquals("", lines[9]);
            assertEquals(10, lines.length);
        }
    }
}
