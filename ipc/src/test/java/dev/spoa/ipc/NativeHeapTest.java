package dev.spoa.ipc;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class NativeHeapTest {

    /** Many small blocks freed out of order stay in glibc's free lists until a trim hands their pages back. */
    @Test
    void freedCHeapIsReturnedToTheSystem() throws Exception {
        assumeTrue(NativeHeap.available(), "the C library has no malloc_trim (not glibc)");
        com.sun.jna.Memory[] blocks = new com.sun.jna.Memory[20_000];
        for (int i = 0; i < blocks.length; i++) {
            blocks[i] = new com.sun.jna.Memory(4096);
            blocks[i].setByte(0, (byte) 1); // touched: resident
        }
        for (int i = 0; i < blocks.length - 1; i++) { // the last one stays, so the heap cannot simply shrink from the top
            blocks[i].close();
        }
        long before = rssKb();
        assertTrue(NativeHeap.trim(), "glibc's malloc_trim says it returned memory");
        long after = rssKb();
        assertTrue(before - after > 40_000, "about 80 MB were freed; RSS " + before + " kB -> " + after + " kB");
        blocks[blocks.length - 1].close();
    }

    private static long rssKb() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS");
    }
}
