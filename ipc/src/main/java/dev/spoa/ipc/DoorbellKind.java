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
    };

    abstract Parker parker(Path doorbellFile, long wordAddress);
}
