package dev.spoa.ipc;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;

/**
 * The few libc calls the doorbells need, bound by JNA direct mapping: the cheapest JNA call path
 * (no proxy, no argument boxing), which matters because a ring or a park is on every batch's path.
 * Pointers are passed as raw addresses ({@code long}).
 */
final class LibC {

    static {
        Native.register(LibC.class, NativeLibrary.getInstance(Platform.C_LIBRARY_NAME));
    }

    static final int O_WRONLY = 0x1;
    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final short POLLIN = 0x1;

    private LibC() {
    }

    /** glibc's syscall(2); its x86_64 and aarch64 versions only move registers, so fixed arity is fine. */
    static native long syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6);

    static native int mkfifo(String path, int mode);

    static native int open(String path, int flags);

    static native int close(int fd);

    static native long read(int fd, long buf, long count);

    static native long write(int fd, long buf, long count);

    static native int poll(long fds, long nfds, int timeoutMillis);
}
