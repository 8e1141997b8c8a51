package dev.spoa.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class WorkerArgumentsTest {
    private static final String[] REQUIRED = {"--worker", "1", "--generation", "0", "--run-dir", "/dev/shm/spoa-1", "--script",
            "/dev/shm/spoa-1/scripts/v1-x.lua", "--parent-pid", "1", "--workers", "2"};

    private static String[] with(String... more) {
        String[] all = new String[REQUIRED.length + more.length];
        System.arraycopy(REQUIRED, 0, all, 0, REQUIRED.length);
        System.arraycopy(more, 0, all, REQUIRED.length, more.length);
        return all;
    }

    @Test
    void compiledChunksAreSharedInTheRunDirUnlessTheSupervisorKeepsThemElsewhere() {
        assertEquals(Path.of("/dev/shm/spoa-1/luajc"), WorkerArguments.parse(REQUIRED).lua().compiledChunks());
        assertEquals(Path.of("/var/cache/spoa/luajc-0123"),
                WorkerArguments.parse(with("--compiled-chunks", "/var/cache/spoa/luajc-0123")).lua().compiledChunks());
    }
}
