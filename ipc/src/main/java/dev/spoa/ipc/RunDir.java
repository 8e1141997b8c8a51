package dev.spoa.ipc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.tinylog.Logger;

/**
 * The directory holding every queue and doorbell of one front process: created fresh at start
 * under a unique name, so no file of an earlier run can ever be replayed, and deleted on clean
 * exit. It lives on /dev/shm (memory: no disk I/O behind the mapped queues) when that exists.
 *
 * <p>A front that was SIGKILLed cannot delete its run dir, and on tmpfs that is memory lost until
 * reboot; so each run dir records its owner's pid, and {@link #createFresh} removes the run dirs of
 * owners that are gone. Directories without that record are never touched.
 */
public final class RunDir implements AutoCloseable {

    static final String PREFIX = "spoa-";
    static final String OWNER_FILE = "owner.pid";
    private static final Path SHM = Path.of("/dev/shm");

    private final Path path;
    private boolean closed;

    private RunDir(Path path) {
        this.path = path;
    }

    /**
     * Creates a new, uniquely named run dir ({@code spoa-*}) under {@code parentOrNull}, or under
     * /dev/shm if that is a writable directory, else under {@code java.io.tmpdir}.
     */
    public static RunDir createFresh(Path parentOrNull) {
        Path parent = parentOrNull != null ? parentOrNull : defaultParent();
        try {
            Files.createDirectories(parent);
            removeStale(parent);
            // createTempDirectory picks an unused name atomically and makes it rwx------.
            Path dir = Files.createTempDirectory(parent, PREFIX);
            Files.writeString(dir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
            Logger.debug("run dir {}", dir);
            return new RunDir(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a run dir under " + parent, e);
        }
    }

    public Path path() {
        return path;
    }

    /** The doorbell the front parks on and every worker rings when it appends results. */
    public Path frontDoorbellFile() {
        return frontDoorbellFile(path);
    }

    /** The same, for a worker that was only told the run dir's path. */
    public static Path frontDoorbellFile(Path runDir) {
        return runDir.resolve("front.doorbell");
    }

    /** The queues of one worker incarnation in this run dir. */
    public WorkerQueues workerQueues(int worker, long generation) {
        return new WorkerQueues(path, worker, generation);
    }

    /** Deletes the run dir and everything in it. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Dirs.deleteRecursively(path);
            Logger.debug("deleted run dir {}", path);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete run dir " + path, e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }

    private static Path defaultParent() {
        if (Files.isDirectory(SHM) && Files.isWritable(SHM)) {
            return SHM;
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * The run dir of the agent with this pid, under {@code parentOrNull} (or the default parent),
     * for the commands that look at a running agent from outside.
     */
    public static Optional<Path> ownedBy(Path parentOrNull, long pid) {
        Path parent = parentOrNull != null ? parentOrNull : defaultParent();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path dir : dirs) {
                if (owner(dir).filter(owner -> owner == pid).isPresent()) {
                    return Optional.of(dir);
                }
            }
        } catch (IOException e) {
            Logger.debug("cannot list {}: {}", parent, e.getMessage());
        }
        return Optional.empty();
    }

    /** Deletes the {@code spoa-*} dirs under {@code parent} whose recorded owner process is gone. */
    static void removeStale(Path parent) throws IOException {
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path dir : dirs) {
                Optional<Long> owner = owner(dir);
                if (owner.isPresent() && ProcessHandle.of(owner.get()).isEmpty()) {
                    Logger.info("removing run dir {} left by process {}, which is gone", dir, owner.get());
                    try {
                        Dirs.deleteRecursively(dir);
                    } catch (IOException e) {
                        Logger.warn(e, "cannot remove stale run dir {}", dir);
                    }
                }
            }
        }
    }

    private static Optional<Long> owner(Path dir) {
        try {
            String text = Files.readString(dir.resolve(OWNER_FILE), StandardCharsets.US_ASCII).trim();
            return Optional.of(Long.parseLong(text));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // not ours, or being written right now: leave it alone
        }
    }
}
