package dev.spoa.supervisor.metrics;

import dev.spoa.worker.ErrorVariable;

/** Why an ACK carries the error variable instead of the handler's answer; the label is the variable's value. */
public enum ErrorReason {
    /** A handler raised an error (the worker's result says so). */
    HANDLER(ErrorVariable.HANDLER),
    /** No result before the job's deadline. */
    TIMEOUT(ErrorVariable.TIMEOUT),
    /** Its worker died and no other could take it in time (or it was a poison message). */
    WORKER_DIED(ErrorVariable.WORKER_DIED),
    /** No worker could take it: answered at once. */
    OVERLOADED(ErrorVariable.OVERLOADED),
    /** The handler's answer did not fit in an ACK. */
    TOO_BIG(ErrorVariable.TOO_BIG);

    private final String label;

    ErrorReason(String label) {
        this.label = label;
    }

    /** The error variable's value, which is also the metric's {@code reason} label. */
    public String label() {
        return label;
    }
}
