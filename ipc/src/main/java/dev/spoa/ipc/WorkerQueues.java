package dev.spoa.ipc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The directories and doorbell file of one worker incarnation: {@code <runDir>/w<worker>-g<generation>}.
 * A replacement worker gets a new generation, hence new, empty queues: nothing a dead incarnation
 * left behind (half-written records, unread jobs) can be replayed to it.
 *
 * @param runDir     the run dir of the front
 * @param worker     the worker slot, from 0
 * @param generation the incarnation of that slot, from 0; never reused within a run
 */
public record WorkerQueues(Path runDir, int worker, long generation) {

    public WorkerQueues {
        Objects.requireNonNull(runDir, "runDir");
        if (worker < 0 || generation < 0) {
            throw new IllegalArgumentException("worker " + worker + ", generation " + generation);
        }
    }

    /** {@code <runDir>/w<worker>-g<generation>} */
    public Path dir() {
        return runDir.resolve("w" + worker + "-g" + generation);
    }

    /** The job queue: written by the front, read by the worker. */
    public Path jobsDir() {
        return dir().resolve("jobs");
    }

    /** The result queue: written by the worker, read by the front. */
    public Path resultsDir() {
        return dir().resolve("results");
    }

    /** The doorbell the worker parks on and the front rings after appending jobs. */
    public Path jobsDoorbellFile() {
        return dir().resolve("jobs.doorbell");
    }

    /** What the worker is doing ({@link WorkerStatus}), mapped by both sides. */
    public Path statusFile() {
        return dir().resolve("status");
    }

    /** Creates the directories; fails if this incarnation's directory already exists, as it must be fresh. */
    public void create() {
        try {
            Files.createDirectory(dir());
            Files.createDirectory(jobsDir());
            Files.createDirectory(resultsDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the queues of " + this, e);
        }
    }

    /**
     * Deletes the incarnation's directory and everything in it; nothing if it is gone already.
     * Safe while a dead process still had files open or mapped: on Linux the memory is released
     * when the last mapping goes.
     */
    public void delete() {
        try {
            Dirs.deleteRecursively(dir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the queues of " + this, e);
        }
    }

    @Override
    public String toString() {
        return "worker " + worker + " generation " + generation + " (" + dir() + ")";
    }
}
