package dev.spoa.ipc;

/**
 * The sleeping and waking half of a {@link Doorbell}; the doorbell owns the parked-word protocol
 * that decides when either is needed.
 */
interface Parker extends AutoCloseable {

    /**
     * Sleeps until {@link #unpark()} or the timeout, returning early (never late) when the word
     * at the doorbell's address no longer holds {@code parkedValue}. Spurious returns are allowed.
     */
    void park(int parkedValue, long timeoutNanos);

    /** Wakes whoever is parked; may be called when nobody is. */
    void unpark();

    @Override
    void close();
}
