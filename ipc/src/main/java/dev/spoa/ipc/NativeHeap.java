package dev.spoa.ipc;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * Gives the C heap's free pages back to the system: glibc's {@code malloc_trim}. The JVM frees its
 * own native allocations (above all the JIT compilers' arenas, large while they compile) to glibc,
 * which keeps them for later: measured after the benchmark's warm-up, a trim returned 15 MB of a
 * worker's 91 MB RSS and 36 MB of the front's 128 MB. JDK 17 has no such trim of its own before
 * 17.0.9 (and then only as an experimental flag), so the agent calls it where it is idle.
 *
 * <p>A no-op where the C library has no {@code malloc_trim} (musl, say).
 */
public final class NativeHeap {

    private NativeHeap() {
    }

    /**
     * Returns the C heap's free memory to the system; measured in the front at rest, ~2.4 ms a call
     * (glibc walks every arena, whatever there is to return). Safe from any thread.
     *
     * @return whether memory was returned (false also where the C library cannot trim)
     */
    public static boolean trim() {
        return Glibc.AVAILABLE && Glibc.malloc_trim(0) == 1;
    }

    /** Whether the C library has {@code malloc_trim}. */
    static boolean available() {
        return Glibc.AVAILABLE;
    }

    /** Bound on first use, so that a C library without malloc_trim costs nothing but this answer. */
    private static final class Glibc {
        static final boolean AVAILABLE = bind();

        /** {@code size_t pad} as a long: right on the 64-bit Linux the agent runs on (LP64). */
        static native int malloc_trim(long pad);

        private static boolean bind() {
            try {
                Native.register(Glibc.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
                return true;
            } catch (LinkageError | RuntimeException e) {
                return false;
            }
        }
    }
}
