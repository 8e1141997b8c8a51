package dev.spoa.ipc;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

import org.tinylog.Logger;

/**
 * Deletes the cycle files a queue's only reader has finished with, so that a queue under continuous
 * load holds at most the cycle being read and the ones not read yet (tmpfs is memory).
 *
 * <p>The rule: once the tailer stands in cycle c, every file of a cycle below c goes. That is safe
 * because the tailer only leaves a cycle at its end-of-file marker, which the single writer writes
 * when it rolls to a later cycle and never touches the old one again. Deciding from the tailer's
 * position, checked after reads, avoids StoreFileListener.onReleased, which also fires when a queue
 * closes and would then delete the current cycle (DESIGN §6). A file still mapped by the writer is
 * fine to unlink: Linux frees it with the last mapping.
 */
final class ConsumedCycles {

    private static final String SUFFIX = SingleChronicleQueue.SUFFIX;

    private final SingleChronicleQueue queue;
    private final ExcerptTailer tailer;
    private final Path dir;
    private final RollingResourcesCache names;
    private int cleanedBelow = Integer.MIN_VALUE;

    ConsumedCycles(SingleChronicleQueue queue, ExcerptTailer tailer) {
        this.queue = queue;
        this.tailer = tailer;
        this.dir = queue.file().toPath();
        // Chronicle's own name <-> cycle mapping, so parsing can never disagree with the writer.
        this.names = new RollingResourcesCache(queue.rollCycle(), queue.epoch(),
                name -> new File(dir.toFile(), name + SUFFIX),
                file -> file.getName().substring(0, file.getName().length() - SUFFIX.length()));
    }

    /** Call after reading: costs an int comparison unless the tailer entered a new cycle. */
    void afterRead() {
        int current = tailer.cycle();
        if (current > cleanedBelow) {
            cleanedBelow = current;
            deleteBelow(current);
        }
    }

    private void deleteBelow(int current) {
        int deleted = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                int cycle;
                try {
                    cycle = names.parseCount(name.substring(0, name.length() - SUFFIX.length()));
                } catch (RuntimeException notACycleFile) {
                    continue;
                }
                if (cycle < current && Files.deleteIfExists(file)) {
                    deleted++;
                }
            }
        } catch (IOException e) {
            Logger.warn(e, "cannot delete consumed cycles in {}", dir);
            return;
        }
        if (deleted > 0) {
            // Chronicle caches the first and last cycle; let it see the files are gone.
            queue.refreshDirectoryListing();
            Logger.debug("deleted {} consumed cycle file(s) before cycle {} in {}", deleted, current, dir);
        }
    }
}
