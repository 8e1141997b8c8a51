package dev.spoa.ipc;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import org.tinylog.Logger;

/**
 * Deletes the cycle files a queue's only reader has finished with, so that a queue under continuous
 * load holds at most the cycle being read and the ones not read yet (tmpfs is memory).
 *
 * <p>The rule: once the tailer is at a record of cycle c, the file of the cycle it read before
 * goes. That is safe because the tailer only leaves a cycle at its end-of-file marker, which the
 * single writer writes when it rolls to a later cycle and never touches the old one again. Deciding
 * from the tailer's position, checked at every record, avoids StoreFileListener.onReleased,
 * which also fires when a queue closes and would then delete the current cycle (DESIGN §6). A file
 * still mapped by the writer is fine to unlink: Linux frees it with the last mapping.
 *
 * <p>Every cycle file holds at least one record (the writer creates a cycle to append a record to
 * it), so a reader that checks at every record sees every cycle and can name the one to delete:
 * one unlink a roll, no directory listing. Listing the directory and parsing each name with a date
 * formatter, as this did first, was 1.6-2.5 ms of the worker's 3.4-6.4 ms job-queue roll (timed
 * inside the agent), in code too rarely run to be compiled. The listing is not refreshed after the
 * unlink: the reader's queue refreshes its own when it looks for the next cycle, and the writer's
 * is another instance, which {@link JobWriter#replay} refreshes before it reads from the start.
 * Only a move forward deletes: were the tailer ever to go back, nothing it has still to read goes.
 */
final class ConsumedCycles {

    private final ExcerptTailer tailer;
    private final File dir;
    private final RollingResourcesCache names;
    private int cycle = Integer.MIN_VALUE;

    ConsumedCycles(SingleChronicleQueue queue, ExcerptTailer tailer) {
        this.tailer = tailer;
        this.dir = queue.file();
        // Chronicle's own cycle -> name mapping, so the name can never disagree with the writer's.
        this.names = new RollingResourcesCache(queue.rollCycle(), queue.epoch(),
                name -> new File(dir, name + SingleChronicleQueue.SUFFIX),
                file -> file.getName().substring(0, file.getName().length() - SingleChronicleQueue.SUFFIX.length()));
    }

    /**
     * Call at each record, as soon as it is present (before its content is checked, so that a
     * record that fails to decode still counts): costs an int comparison unless the tailer entered
     * a new cycle.
     */
    void atRecord() {
        int current = tailer.cycle();
        if (current > cycle) {
            int left = cycle;
            cycle = current;
            if (left != Integer.MIN_VALUE) {
                delete(left);
            }
        }
    }

    private void delete(int left) {
        File file = names.resourceFor(left).path;
        try {
            if (Files.deleteIfExists(file.toPath())) {
                Logger.debug("deleted consumed cycle file {}", file);
            }
        } catch (IOException e) {
            Logger.warn(e, "cannot delete consumed cycle file {}", file);
        }
    }
}
