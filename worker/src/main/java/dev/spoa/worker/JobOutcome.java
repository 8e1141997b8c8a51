package dev.spoa.worker;

/** The outcome codes a worker puts on each result record (the queue layer treats them as opaque). */
public final class JobOutcome {
    /** The handler ran: the payload is its action list. */
    public static final int ACTIONS = 0;
    /** A handler failed: the payload has the actions of the others and the error variable. */
    public static final int HANDLER_ERROR = 1;
    /** The answer was too big for the ACK: the payload sets the error variable to "too-big". */
    public static final int TOO_BIG = 2;
    /** Not a job: the worker has loaded its script and takes jobs from now on. */
    public static final int READY = 100;

    private JobOutcome() {
    }
}
