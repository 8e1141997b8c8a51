package dev.spoa.supervisor.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ArchiveCacheTest {

    @Test
    void aMissingFolderIsMadeForTheUserAlone(@TempDir Path dir) throws Exception {
        Path cacheDir = dir.resolve("home/.cache/spoa");
        ArchiveCache cache = ArchiveCache.open(cacheDir, dir, "k").orElseThrow();
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cacheDir)));
        assertEquals(cacheDir.resolve("worker-0123.jsa"), cache.archive("0123"));
        assertTrue(cache.part("0123").getFileName().toString().startsWith("worker-0123.jsa.part"));
    }

    @Test
    void aSymbolicLinkIsFollowedOnceAtStart(@TempDir Path dir) throws Exception {
        // Re-pointed later, the link must not lead the workers to another folder than the one checked.
        Path real = Files.createDirectory(dir.resolve("real"));
        Path link = Files.createSymbolicLink(dir.resolve("link"), real);
        assertEquals(real.toRealPath(), ArchiveCache.open(link, dir, "k").orElseThrow().dir());
    }

    @Test
    void compiledChunksHaveAFolderOfTheUsersAlone(@TempDir Path dir) throws Exception {
        ArchiveCache cache = ArchiveCache.open(dir.resolve("cache"), dir, "k").orElseThrow();
        Path chunks = cache.compiledChunks().orElseThrow();
        assertEquals(cache.compiledChunks("k"), chunks);
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(chunks)));
        // Their class files run in every worker: a folder others may write in is not used.
        Files.setPosixFilePermissions(chunks, PosixFilePermissions.fromString("rwxrwx---"));
        assertEquals(Optional.empty(), cache.compiledChunks());
        Files.delete(chunks);
        Files.createSymbolicLink(chunks, Files.createDirectory(dir.resolve("elsewhere")));
        assertEquals(Optional.empty(), cache.compiledChunks());
    }

    @Test
    void aFolderOthersMayWriteInIsNotUsed(@TempDir Path dir) throws Exception {
        // A worker JVM runs what an archive holds.
        Path cacheDir = Files.createDirectory(dir.resolve("cache"));
        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwxrwxr-x"));
        assertEquals(Optional.empty(), ArchiveCache.open(cacheDir, dir, "k"));
        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwxr-xrwx"));
        assertEquals(Optional.empty(), ArchiveCache.open(cacheDir, dir, "k"));
        Files.setPosixFilePermissions(cacheDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertTrue(ArchiveCache.open(cacheDir, dir, "k").isPresent());
    }

    @Test
    void aFolderOfAnotherUserIsNotUsed(@TempDir Path dir) throws Exception {
        assumeTrue(System.getProperty("user.name").equals("root"), "only root can give a folder away");
        Path cacheDir = Files.createDirectory(dir.resolve("cache"));
        Files.setOwner(cacheDir, cacheDir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody"));
        assertEquals(Optional.empty(), ArchiveCache.open(cacheDir, dir, "k"));
    }

    @Test
    void theArchivesUsedLastAreKeptAndAbandonedPartsRemoved(@TempDir Path dir) throws Exception {
        ArchiveCache cache = ArchiveCache.open(dir.resolve("cache"), dir, "k").orElseThrow();
        Instant now = Instant.now();
        List<String> keys = List.of("a", "b", "c", "d", "e");
        for (int i = 0; i < keys.size(); i++) { // "a" used last, "e" longest ago
            Path archive = Files.writeString(cache.archive(keys.get(i)), keys.get(i));
            Files.setLastModifiedTime(archive, FileTime.from(now.minus(Duration.ofMinutes(i + 1))));
        }
        Path abandoned = Files.writeString(cache.dir().resolve("worker-f.jsa.part123"), "half");
        Files.setLastModifiedTime(abandoned, FileTime.from(now.minus(Duration.ofHours(2))));
        Path part = Files.writeString(cache.dir().resolve("worker-g.jsa.part456"), "half"); // another agent's, now
        Path other = Files.writeString(cache.dir().resolve("notes.txt"), "not ours");
        // Compiled chunks go with their archive, and those kept lose their entries older than 30 days.
        Path freshEntry = Files.writeString(Files.createDirectories(cache.compiledChunks("a")).resolve("fresh"), "x");
        Path oldEntry = Files.writeString(cache.compiledChunks("a").resolve("old"), "x");
        Files.setLastModifiedTime(oldEntry, FileTime.from(now.minus(Duration.ofDays(ArchiveCache.CHUNK_DAYS + 1))));
        Path abandonedAside = Files.writeString(cache.compiledChunks("a").resolve(".writing-1.tmp"), "half");
        Files.setLastModifiedTime(abandonedAside, FileTime.from(now.minus(Duration.ofHours(2))));
        Path writing = Files.writeString(cache.compiledChunks("a").resolve(".writing-2.tmp"), "half");
        Files.writeString(Files.createDirectories(cache.compiledChunks("d")).resolve("entry"), "x");
        Files.setLastModifiedTime(cache.compiledChunks("d"), FileTime.from(now.minus(Duration.ofHours(2))));
        // Another agent's, whose archive is not there yet: used within the hour.
        Path building = Files.writeString(Files.createDirectories(cache.compiledChunks("g")).resolve("entry"), "x");

        cache.prune(cache.archive("e")); // the one this agent maps, however old
        try (var left = Files.list(cache.dir())) {
            assertEquals(List.of(cache.compiledChunks("a"), cache.compiledChunks("g"), other, cache.archive("a"), cache.archive("b"),
                    cache.archive("e"), part), left.sorted().toList());
        }
        try (var left = Files.list(cache.compiledChunks("a"))) {
            assertEquals(List.of(writing, freshEntry), left.sorted().toList());
        }
        assertTrue(Files.exists(building));

        cache.used(cache.archive("e"));
        assertTrue(Files.getLastModifiedTime(cache.archive("e")).toInstant().isAfter(now.minusSeconds(1)));
    }
}
