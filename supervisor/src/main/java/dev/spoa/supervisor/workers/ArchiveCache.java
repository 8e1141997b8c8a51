package dev.spoa.supervisor.workers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.tinylog.Logger;

/**
 * The folder where the workers' class-data-sharing archives outlive the agent (--cache-dir), so that
 * from the second start on every worker maps one from its first start: one archive per
 * {@link WorkerCommand#archiveKey() key}, the {@value #KEPT} used last kept, the others removed.
 * Next to each, a directory of what LuaJC made of scripts' chunks (the workers' CompiledChunks),
 * so that no worker loads the compiler for a script an earlier start compiled; an entry is found by
 * the chunk's bytes, so a changed script gets new entries, and entries older than
 * {@value #CHUNK_DAYS} days are removed (one still in use is compiled and stored again).
 *
 * <p>A worker JVM runs whatever an archive holds, so a folder that anyone else may write in, or that
 * belongs to another user, is not used (one WARN line; the agent then builds its archive in the run
 * dir, as without a cache).
 */
final class ArchiveCache {
    /** An agent with other flags or jars next to this one (a second instance, an upgrade) keeps its own. */
    static final int KEPT = 3;
    private static final String PREFIX = "worker-";
    private static final String SUFFIX = ".jsa";
    private static final String CHUNKS_PREFIX = "luajc-";
    static final int CHUNK_DAYS = 30;
    /** A part older than this is left from a build that was killed; younger ones may be another agent's build. */
    private static final Duration ABANDONED = Duration.ofHours(1);

    /** The end of the line that says the folder is not used. */
    private static final String NOT_USED = "not used (no class-data-sharing archive kept between starts)";

    private static final String RWX_USER_ONLY = "rwx------";

    private final Path dir;
    /** This agent's workers' {@link WorkerCommand#archiveKey() key}: computed once, for the archive and the chunks alike. */
    private final String key;

    private ArchiveCache(Path dir, String key) {
        this.dir = dir;
        this.key = key;
    }

    /**
     * The folder, made if missing (mode 700), when it can hold archives safely.
     *
     * @param ours a path this process made (the run dir): the folder must have the same owner
     * @param key  this agent's workers' key
     */
    static Optional<ArchiveCache> open(Path dir, Path ours, String key) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(RWX_USER_ONLY)));
            }
            // Checked and used as the folder it is now: a symbolic link re-pointed later must not lead the workers elsewhere.
            Path real = dir.toRealPath();
            if (!Files.getOwner(real).equals(Files.getOwner(ours))) {
                Logger.warn("the cache dir {} belongs to {}, not to the user the agent runs as: {}", dir, Files.getOwner(real).getName(),
                        NOT_USED);
                return Optional.empty();
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(real);
            if (writableByOthers(mode)) {
                Logger.warn("the cache dir {} is writable by others ({}): {}", dir, PosixFilePermissions.toString(mode), NOT_USED);
                return Optional.empty();
            }
            if (!Files.isWritable(real)) {
                Logger.warn("the cache dir {} is not writable: {}", dir, NOT_USED);
                return Optional.empty();
            }
            return Optional.of(new ArchiveCache(real, key));
        } catch (IOException | UncheckedIOException | UnsupportedOperationException e) {
            Logger.warn("the cache dir {} cannot be used ({}): {}", dir, e, NOT_USED);
            return Optional.empty();
        }
    }

    Path dir() {
        return dir;
    }

    String key() {
        return key;
    }

    private static boolean writableByOthers(Set<PosixFilePermission> mode) {
        return mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** Where the archive of this key is kept (it may not be there yet). */
    Path archive(String key) {
        return dir.resolve(PREFIX + key + SUFFIX);
    }

    /**
     * Where the workers of this agent's key share compiled chunks: made here for this user alone
     * (workers would make it with their umask), and used only if it is a folder of ours that no one
     * else may write in, as the cache dir itself: its class files run in every worker.
     */
    Optional<Path> compiledChunks() {
        Path chunks = compiledChunks(key);
        try {
            if (!Files.isDirectory(chunks, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(chunks, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(RWX_USER_ONLY)));
            }
            if (Files.getOwner(chunks, LinkOption.NOFOLLOW_LINKS).equals(Files.getOwner(dir))
                    && !writableByOthers(Files.getPosixFilePermissions(chunks, LinkOption.NOFOLLOW_LINKS))) {
                Files.setLastModifiedTime(chunks, FileTime.from(Instant.now())); // in use: not pruned as abandoned
                return Optional.of(chunks);
            }
            Logger.warn("{} is not a folder of the agent's user alone: compiled chunks are shared in the run dir", chunks);
        } catch (IOException | UncheckedIOException e) {
            Logger.warn("cannot use {} for compiled chunks ({}): they are shared in the run dir", chunks, e.toString());
        }
        return Optional.empty();
    }

    /** The chunks folder of a key (it may not be there). */
    Path compiledChunks(String key) {
        return dir.resolve(CHUNKS_PREFIX + key);
    }

    /** Where this process builds the archive of this key before it moves it into place: never a path another agent maps. */
    Path part(String key) {
        return dir.resolve(PREFIX + key + SUFFIX + ".part" + ProcessHandle.current().pid());
    }

    /**
     * Marks the archive as used now, so that {@link #prune} keeps it over those used longer ago. Best
     * effort, as all the housekeeping here: the archive serves whether or not this works.
     */
    void used(Path archive) {
        try {
            Files.setLastModifiedTime(archive, FileTime.from(Instant.now()));
        } catch (IOException e) {
            Logger.debug("cannot mark {} as used: {}", archive, e);
        }
    }

    /**
     * Removes the archives beyond the {@value #KEPT} used last ({@code current} is always kept),
     * abandoned parts, and compiled chunks as {@link #pruneCompiledChunks} says. Another agent may be
     * building or pruning in the same folder: a file that went meanwhile is skipped, and nothing here
     * fails the archive this agent uses.
     */
    void prune(Path current) {
        List<Path> files;
        try (var list = Files.list(dir)) {
            files = list.toList();
        } catch (IOException | UncheckedIOException e) {
            Logger.debug("cannot list {}: {}", dir, e);
            return;
        }
        Instant now = Instant.now();
        List<Path> archives = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            if (!name.startsWith(PREFIX) || file.equals(current)) {
                continue;
            }
            if (name.endsWith(SUFFIX)) {
                archives.add(file);
            } else if (name.contains(SUFFIX + ".part") && lastModified(file).toInstant().isBefore(now.minus(ABANDONED))) {
                delete(file);
            }
        }
        archives.sort(Comparator.comparing(ArchiveCache::lastModified).reversed());
        for (Path old : archives.subList(Math.min(KEPT - 1, archives.size()), archives.size())) {
            Logger.debug("removing the class-data-sharing archive {}, not used lately", old);
            delete(old);
        }
        for (Path file : files) { // after the archives: a folder whose archive just went goes too
            if (file.getFileName().toString().startsWith(CHUNKS_PREFIX) && Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS)) {
                pruneCompiledChunks(file, now);
            }
        }
    }

    /**
     * Compiled chunks go with their archive, unless their folder was used within the hour (another
     * agent's, whose archive is still being built); of those kept, the entries older than
     * {@value #CHUNK_DAYS} days and what a worker killed while it wrote one left.
     */
    private void pruneCompiledChunks(Path chunks, Instant now) {
        boolean kept = Files.exists(archive(chunks.getFileName().toString().substring(CHUNKS_PREFIX.length())))
                || lastModified(chunks).toInstant().isAfter(now.minus(ABANDONED));
        try (var entries = Files.list(chunks)) {
            for (Path entry : entries.toList()) {
                Instant written = lastModified(entry).toInstant();
                boolean aside = entry.getFileName().toString().startsWith(".");
                if (!kept || written.isBefore(now.minus(aside ? ABANDONED : Duration.ofDays(CHUNK_DAYS)))) {
                    delete(entry);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            Logger.debug("cannot prune {}: {}", chunks, e);
            return;
        }
        if (!kept) {
            delete(chunks);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            Logger.debug("cannot remove {}: {}", file, e);
        }
    }

    /** A file's time; the epoch for one that went meanwhile (it sorts last, and counts as abandoned). */
    private static FileTime lastModified(Path file) {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }
}
