package dev.spoa.ipc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Parks on the doorbell word with the Linux futex syscall. The word lives in a MAP_SHARED file
 * mapping, so the shared (not {@code _PRIVATE}) operations are used: the kernel then keys the
 * wait queue on the file page, which is what lets another process wake us.
 */
final class FutexParker implements Parker {

    private static final int FUTEX_WAIT = 0;
    private static final int FUTEX_WAKE = 1;
    private static final long SYS_FUTEX = futexSyscallNumber();

    private final long wordAddress;
    // struct timespec {long tv_sec; long tv_nsec;} for FUTEX_WAIT's relative timeout; reused, as only
    // one thread parks on a doorbell.
    private final ByteBuffer timespec = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
    private final long timespecAddress = Pointer.nativeValue(Native.getDirectBufferPointer(timespec));

    FutexParker(long wordAddress) {
        this.wordAddress = wordAddress;
    }

    @Override
    public void park(int parkedValue, long timeoutNanos) {
        timespec.putLong(0, timeoutNanos / 1_000_000_000L);
        timespec.putLong(8, timeoutNanos % 1_000_000_000L);
        // Returns 0 when woken, -1 with EAGAIN when the word already changed (a ring between our
        // announce and this call: that is how no wake-up is lost), ETIMEDOUT or EINTR. The doorbell
        // re-reads the word and the queue in every case, so errno is not needed.
        LibC.syscall(SYS_FUTEX, wordAddress, FUTEX_WAIT, parkedValue, timespecAddress, 0, 0);
    }

    @Override
    public void unpark() {
        // Wake all: normally one thread waits; if a second ever did, waking one could starve the other.
        LibC.syscall(SYS_FUTEX, wordAddress, FUTEX_WAKE, Integer.MAX_VALUE, 0, 0, 0);
    }

    @Override
    public void close() {
        // Nothing of its own: the mapping belongs to the doorbell.
    }

    private static long futexSyscallNumber() {
        String arch = System.getProperty("os.arch");
        if (!com.sun.jna.Platform.isLinux()) {
            throw new UnsupportedOperationException("futex doorbell needs Linux, not " + System.getProperty("os.name"));
        }
        return switch (arch) {
            case "amd64", "x86_64" -> 202;
            case "aarch64" -> 98;
            default -> throw new UnsupportedOperationException("futex syscall number unknown for " + arch);
        };
    }

}
