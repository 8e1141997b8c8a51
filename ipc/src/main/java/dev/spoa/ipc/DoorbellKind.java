package dev.spoa.ipc;

import java.nio.file.Path;

/** How a parked reader sleeps and is woken. Both share the parked-word protocol of {@link Doorbell}. */
enum DoorbellKind {
    /** FUTEX_WAIT / FUTEX_WAKE on the shared word itself: one syscall each side, no extra file. */
    FUTEX {
        @Override
        Parker parker(Path doorbellFile, long wordAddress) {
            return new FutexParker(wordAddress);
        }
    },
    /** poll() on a named pipe next to the word file; the waker writes one byte. */
    FIFO {
        @Override
        Parker parker(Path doorbellFile, long wordAddress) {
            return FifoParker.open(doorbellFile.resolveSibling(doorbellFile.getFileName() + ".fifo"));
        }
    },
    /**
     * For a reader that also waits for sockets: it waits in its selector, and the waker writes one
     * byte on a Unix socket connection to it ({@link FrontBell}).
     */
    SOCKET {
        @Override
        Parker parker(Path doorbellFile, long wordAddress) {
            return new SocketRinger(socketOf(doorbellFile));
        }
    };

    /** Where the reader of a {@link #SOCKET} doorbell listens. */
    static Path socketOf(Path doorbellFile) {
        return doorbellFile.resolveSibling(doorbellFile.getFileName() + ".sock");
    }

    abstract Parker parker(Path doorbellFile, long wordAddress);
}
