package dev.spoa.ipc;

import java.nio.file.Path;

import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * A worker that dies mid-append: it writes {@code count} complete results, then opens one more
 * record, writes half of it, prints READY and waits to be SIGKILLed.
 *
 * <p>Arguments: runDir worker generation count.
 */
public final class HalfWriter {

    private HalfWriter() {
    }

    public static void main(String[] args) throws Exception {
        Path runDir = Path.of(args[0]);
        WorkerQueues q = new WorkerQueues(runDir, Integer.parseInt(args[1]), Long.parseLong(args[2]));
        int count = Integer.parseInt(args[3]);
        byte[] payload = new byte[50];
        try (ResultWriter results = ResultWriter.open(q, runDir.resolve("front.doorbell"))) {
            for (int i = 0; i < count; i++) {
                results.append(i, 0, payload, 0, payload.length);
            }
            results.flush();
        }
        SingleChronicleQueue queue = Queues.open(q.resultsDir(), Tuning.DEFAULT);
        ExcerptAppender appender = queue.createAppender();
        DocumentContext dc = appender.writingDocument(); // never closed: the header stays "not complete"
        dc.wire().bytes().writeStopBit(count).writeStopBit(0); // ResultRecord's first fields
        System.out.println("READY");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
