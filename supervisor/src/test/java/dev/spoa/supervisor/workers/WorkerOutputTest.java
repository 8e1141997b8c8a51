package dev.spoa.supervisor.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tinylog.Level;

class WorkerOutputTest {
    private record Logged(int worker, Level level, String text) {
    }

    private final List<Logged> logged = new CopyOnWriteArrayList<>();

    private static String lines(int count) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < count; i++) {
            text.append("INFO line ").append(i).append('\n');
        }
        return text.toString();
    }

    @Test
    void aDeadWorkersLastLinesAreAllRelayedBeforeCloseReturns() throws Exception {
        WorkerOutput output = new WorkerOutput(WorkerOutput.CAPACITY, (worker, level, text) -> logged.add(new Logged(worker, level, text)));
        output.follow(3, 42, new ByteArrayInputStream((lines(500) + "Exception in thread \"main\" java.lang.Error: last words\n")
                .getBytes(StandardCharsets.UTF_8)));
        output.close(Duration.ofSeconds(30));
        assertEquals(501, logged.size());
        assertEquals(new Logged(3, Level.INFO, "line 0"), logged.get(0));
        assertEquals(new Logged(3, Level.ERROR, "Exception in thread \"main\" java.lang.Error: last words"), logged.get(500));
    }

    @Test
    void whenTheLogCannotKeepUpLinesAreDroppedAndCountedNeverLeftInThePipe() throws Exception {
        CountDownLatch logStuck = new CountDownLatch(1);
        WorkerOutput output = new WorkerOutput(10, (worker, level, text) -> {
            try {
                logStuck.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            logged.add(new Logged(worker, level, text));
        });
        // A pipe smaller than what the worker writes: the writer would block if nobody read it.
        PipedInputStream pipe = new PipedInputStream(1024);
        PipedOutputStream worker = new PipedOutputStream(pipe);
        output.follow(1, 7, pipe);
        Thread writer = new Thread(() -> {
            try (worker) {
                for (int i = 0; i < 1000; i++) {
                    worker.write(("INFO line " + i + "\n").getBytes(StandardCharsets.UTF_8));
                    worker.flush();
                }
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        writer.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(!writer.isAlive(), "the worker wrote everything while the log was stuck");
        logStuck.countDown();
        output.close(Duration.ofSeconds(30));

        long relayed = logged.stream().filter(line -> line.text().startsWith("line ")).count();
        long dropped = 0;
        Pattern notice = Pattern.compile("(\\d+) lines of this worker's output were dropped: the log did not keep up");
        for (Logged line : logged) {
            Matcher matcher = notice.matcher(line.text());
            if (matcher.matches()) {
                assertEquals(Level.WARN, line.level());
                dropped += Long.parseLong(matcher.group(1));
            }
        }
        assertTrue(dropped > 0, "some were dropped: " + logged.size() + " logged");
        assertEquals(1000, relayed + dropped, "every line is either logged or counted");
    }
}
