package dev.spoa.supervisor.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tinylog.Level;

class WorkerLinesTest {
    private record Entry(Level level, String text) {
    }

    private final List<Entry> entries = new ArrayList<>();
    private final WorkerLines lines = new WorkerLines((level, text) -> entries.add(new Entry(level, text)));

    private void feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        lines.feed(bytes, 0, bytes.length);
    }

    @Test
    void theWorkersLevelIsKept() {
        feed("ERROR cannot load the script: x.lua:3: boom\nWARN job 7: x.lua:9: nil value\nINFO hello\nDEBUG detail\n");
        lines.end();
        assertEquals(List.of(new Entry(Level.ERROR, "cannot load the script: x.lua:3: boom"), new Entry(Level.WARN, "job 7: x.lua:9: nil value"),
                new Entry(Level.INFO, "hello"), new Entry(Level.DEBUG, "detail")), entries);
    }

    @Test
    void indentedLinesStayWithTheirEntry() {
        feed("ERROR failed: java.lang.IllegalStateException: boom\n    at a.B.c(B.java:1)\n  Caused by: x\n    ... 3 more\nINFO next\n");
        lines.end();
        assertEquals(2, entries.size(), entries.toString());
        assertEquals(Level.ERROR, entries.get(0).level());
        assertEquals("failed: java.lang.IllegalStateException: boom\n  at a.B.c(B.java:1)\nCaused by: x\n  ... 3 more",
                entries.get(0).text());
    }

    @Test
    void aMessagesOwnNewlinesComeBackAsTheyWereWritten() {
        feed("WARN first line\n  second line\n    indented third\n  \nINFO next\n");
        lines.end();
        assertEquals(new Entry(Level.WARN, "first line\nsecond line\n  indented third\n"), entries.get(0));
    }

    @Test
    void onlyTheJvmsOwnOutputMayStillGrowWhenThePipeIsEmpty() {
        feed("INFO logged in one go\n");
        assertTrue(!lines.mayContinue());
        feed("Exception in thread \"main\" java.lang.Error\n");
        assertTrue(lines.mayContinue(), "the JVM prints a stack trace line by line");
    }

    @Test
    void theJvmsOwnOutputIsRelayedAtWarnOrAtErrorWhenItIsFatal() {
        feed("OpenJDK 64-Bit Server VM warning: something odd\n");
        feed("Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n\tat org.luaj.vm2.X.y(X.java:1)\n");
        feed("Caused by: java.lang.Error: inner\n");
        feed("#\n# A fatal error has been detected by the Java Runtime Environment:\n#\n");
        lines.end();
        assertEquals(3, entries.size(), entries.toString());
        assertEquals(new Entry(Level.WARN, "OpenJDK 64-Bit Server VM warning: something odd"), entries.get(0));
        assertEquals(Level.ERROR, entries.get(1).level());
        assertTrue(entries.get(1).text().endsWith("\tat org.luaj.vm2.X.y(X.java:1)\nCaused by: java.lang.Error: inner"), entries.get(1).text());
        assertEquals(new Entry(Level.ERROR, "#\n# A fatal error has been detected by the Java Runtime Environment:\n#"), entries.get(2));
    }

    @Test
    void anEntryEndsWhenNothingMoreIsWaiting() {
        feed("INFO first\n");
        assertTrue(entries.isEmpty(), "an indented line may still follow");
        lines.pause();
        assertEquals(List.of(new Entry(Level.INFO, "first")), entries);
        feed("  a late continuation\n");
        lines.pause();
        assertEquals(new Entry(Level.INFO, "a late continuation"), entries.get(1), "keeps the level of the entry it continues");
    }

    @Test
    void linesArriveInPiecesAndTheLastNeedsNoNewline() {
        feed("WA");
        feed("RN half");
        feed(" a line\r\nINFO no newline at the end");
        lines.pause();
        assertEquals(List.of(new Entry(Level.WARN, "half a line")), entries);
        lines.end();
        assertEquals(new Entry(Level.INFO, "no newline at the end"), entries.get(1));
    }

    @Test
    void aRunawayLineIsCut() {
        feed("INFO " + "x".repeat(WorkerLines.MAX_LINE_BYTES * 2) + "\n");
        lines.end();
        assertTrue(entries.size() >= 2, "cut into pieces");
        assertTrue(entries.stream().allMatch(entry -> entry.text().length() <= WorkerLines.MAX_LINE_BYTES), "no piece longer than the limit");
    }

    @Test
    void anEndlessEntryIsCut() {
        StringBuilder trace = new StringBuilder("ERROR deep\n");
        for (int i = 0; i < 10_000; i++) {
            trace.append("    at frame").append(i).append('\n');
        }
        feed(trace.toString());
        lines.end();
        assertEquals(1, entries.size());
        assertTrue(entries.get(0).text().length() < WorkerLines.MAX_ENTRY_CHARS + 100);
        assertTrue(entries.get(0).text().endsWith("(cut: longer than " + WorkerLines.MAX_ENTRY_CHARS + " characters)"));
    }
}
