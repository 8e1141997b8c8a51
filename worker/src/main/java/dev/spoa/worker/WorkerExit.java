package dev.spoa.worker;

/** Exit statuses a worker chooses, so that the supervisor's log can say why it went. */
public final class WorkerExit {
    /** The script could not be loaded or its spoa.on_init failed. */
    public static final int CANNOT_START = 1;
    /**
     * A handler exhausted the heap: its job was answered with the error variable, and the worker
     * exits because whatever the handler left in its globals may keep the heap full.
     */
    public static final int OUT_OF_MEMORY = 90;

    private WorkerExit() {
    }
}
