package dev.spoa.supervisor.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tinylog.Level;
import org.tinylog.core.LogEntry;
import org.tinylog.runtime.PreciseTimestamp;
import org.tinylog.runtime.Timestamp;

class LogLineTest {
    private static final Instant WHEN = Instant.parse("2026-11-22T03:13:11.123Z");

    private static LogEntry entry(String tag, Level level, String message, Throwable exception) {
        Thread thread = new Thread(() -> { }, "spoa-front");
        Timestamp timestamp = new PreciseTimestamp(WHEN.toEpochMilli(), WHEN.getNano() % 1_000_000);
        return new LogEntry(timestamp, thread, Map.of(), null, null, null, -1, tag, level, message, exception);
    }

    @Test
    void jsonEscapesEverythingThatWouldBreakTheLine() {
        String json = LogLine.json(entry(null, Level.WARN, "say \"hi\"\\ \n\ttab \u0001 \u2028 é", null));
        assertTrue(json.contains("\"message\":\"say \\\"hi\\\"\\\\ \\n\\ttab \\u0001 \\u2028 é\""), json);
        assertTrue(json.startsWith("{\"time\":\"2026-11-22T"), json);
        assertTrue(json.contains("\"level\":\"WARN\",\"thread\":\"spoa-front\""), json);
        assertEquals(-1, json.indexOf('\n'), "one line");
    }

    @Test
    void aLineAboutAFrameCarriesItsIdsAsFields() {
        String json = LogLine.json(entry(null, Level.INFO, "connection 3: stream 5 frame 1: aborted by HAProxy", null));
        assertTrue(json.contains(",\"connection\":3,\"stream\":5,\"frame\":1,"), json);
        String connectionOnly = LogLine.json(entry(null, Level.INFO, "connection 12: HAProxy disconnects", null));
        assertTrue(connectionOnly.contains(",\"connection\":12,\"message\""), connectionOnly);
        String other = LogLine.json(entry(null, Level.INFO, "connection refused somewhere", null));
        assertTrue(!other.contains("\"connection\":"), other);
    }

    @Test
    void aWorkersLineNamesTheWorker() {
        LogEntry fromWorker = entry(AgentLogWriter.WORKER_TAG + "4", Level.ERROR, "boom", null);
        assertTrue(LogLine.json(fromWorker).contains("\"thread\":\"worker-4\",\"worker\":4,"), LogLine.json(fromWorker));
        assertTrue(LogLine.text(fromWorker, false).startsWith("ERROR [worker-4] boom"), LogLine.text(fromWorker, false));
    }

    @Test
    void textHasTimeLevelSourceMessageAndTheStackTraceBelow() {
        String text = LogLine.text(entry(null, Level.INFO, "failed", new IllegalStateException("bad")), true);
        String[] lines = text.split(System.lineSeparator());
        assertTrue(lines[0].matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[spoa-front\\] failed"), lines[0]);
        assertEquals("java.lang.IllegalStateException: bad", lines[1]);
        String json = LogLine.json(entry(null, Level.INFO, "failed", new IllegalStateException("bad")));
        assertTrue(json.contains("\"exception\":\"java.lang.IllegalStateException: bad\\n\\tat "), json);
    }
}
