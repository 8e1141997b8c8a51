package dev.spoa.supervisor.dispatch;

/**
 * Where the ACK of a job goes: the connection its NOTIFY came from. Called on the front's thread
 * only (results are collected there).
 */
public interface AckSink {
    /**
     * The encoded action list for the ACK of this stream-id/frame-id, in {@code actions[offset,
     * offset + length)}; only valid during the call.
     */
    void deliver(long streamId, long frameId, byte[] actions, int offset, int length);

    /** The front's number for the connection, which log lines about its frames carry. */
    long id();

    /** False once the connection is gone: its results are then dropped quietly. */
    boolean isOpen();
}
