package dev.spoa.supervisor.dispatch;

/**
 * Job ids with their deadlines, in submission order. Every job gets the same timeout, so deadlines
 * only grow along the queue and expiry is a look at the head, never a scan of every pending job.
 * Entries of jobs already answered stay until their deadline passes; a job id is just skipped then.
 * Used by the front's thread only.
 */
final class DeadlineQueue {
    private long[] ids = new long[1024];
    private long[] deadlines = new long[1024];
    private int head;
    private int size;

    void add(long jobId, long deadlineNanos) {
        if (size == ids.length) {
            grow();
        }
        int tail = (head + size) & (ids.length - 1);
        ids[tail] = jobId;
        deadlines[tail] = deadlineNanos;
        size++;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Deadline of the oldest entry; only when not empty. */
    long firstDeadline() {
        return deadlines[head];
    }

    /** Removes the oldest entry and returns its job id. */
    long removeFirst() {
        long id = ids[head];
        head = (head + 1) & (ids.length - 1);
        size--;
        return id;
    }

    private void grow() {
        long[] newIds = new long[ids.length * 2];
        long[] newDeadlines = new long[ids.length * 2];
        for (int i = 0; i < size; i++) {
            newIds[i] = ids[(head + i) & (ids.length - 1)];
            newDeadlines[i] = deadlines[(head + i) & (ids.length - 1)];
        }
        ids = newIds;
        deadlines = newDeadlines;
        head = 0;
    }
}
