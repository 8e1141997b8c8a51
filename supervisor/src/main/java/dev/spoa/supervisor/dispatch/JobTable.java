package dev.spoa.supervisor.dispatch;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The pending jobs by job id: an open-addressing table with linear probing over a {@code long[]}
 * of ids and an array of values. A {@code HashMap<Long, V>} boxed the id on every put, get and
 * remove and allocated a node per job; at 5,000 NOTIFYs/s that was most of the front's garbage,
 * and a young collection of the front every second and a half is a millisecond added to the
 * requests that wait for it. Removal shifts the following entries of the run back instead of
 * leaving tombstones, so lookups stay short after millions of jobs.
 *
 * <p>The front's thread only, but for {@link #size}, which other threads read for the metrics.
 */
final class JobTable<V> {
    private static final int MIN_CAPACITY = 1024;

    private long[] ids;
    private Object[] values;
    /** capacity - 1, the capacity being a power of two. */
    private int mask;
    /** Read by the metrics' threads: a count a moment old is good enough there. */
    private volatile int size;

    JobTable() {
        ids = new long[MIN_CAPACITY];
        values = new Object[MIN_CAPACITY];
        mask = MIN_CAPACITY - 1;
    }

    int size() {
        return size;
    }

    /** How many slots the table has (twice the most jobs it held at once, at least). */
    int capacity() {
        return values.length;
    }

    /** The smallest id in the table, or {@code Long.MAX_VALUE} when it is empty: one pass over every slot. */
    long lowestId() {
        long lowest = Long.MAX_VALUE;
        for (int slot = 0; slot < values.length; slot++) {
            if (values[slot] != null && ids[slot] < lowest) {
                lowest = ids[slot];
            }
        }
        return lowest;
    }

    V get(long id) {
        int slot = find(id);
        return slot < 0 ? null : value(slot);
    }

    /** Adds a job that is not in the table yet (job ids are never reused). */
    void put(long id, V value) {
        if (value == null) {
            throw new IllegalArgumentException("null value for job " + id);
        }
        if (size >= (values.length >> 1)) {
            grow();
        }
        int slot = home(id);
        while (values[slot] != null) {
            if (ids[slot] == id) {
                values[slot] = value;
                return;
            }
            slot = (slot + 1) & mask;
        }
        ids[slot] = id;
        values[slot] = value;
        size++;
    }

    /** Removes the job and returns what it held, or null if it is not there. */
    V remove(long id) {
        int slot = find(id);
        if (slot < 0) {
            return null;
        }
        V value = value(slot);
        delete(slot);
        return value;
    }

    /** Removes the job only if it still holds {@code expected} (the same object). */
    boolean remove(long id, V expected) {
        int slot = find(id);
        if (slot < 0 || values[slot] != expected) {
            return false;
        }
        delete(slot);
        return true;
    }

    /** Replaces what the job holds only if it still holds {@code expected} (the same object). */
    boolean replace(long id, V expected, V replacement) {
        if (replacement == null) {
            throw new IllegalArgumentException("null value for job " + id);
        }
        int slot = find(id);
        if (slot < 0 || values[slot] != expected) {
            return false;
        }
        values[slot] = replacement;
        return true;
    }

    /** The ids of the jobs whose value matches, copied out so that the caller may remove them. */
    List<Long> idsWhere(Predicate<V> test) {
        List<Long> matching = new ArrayList<>();
        for (int slot = 0; slot < values.length; slot++) {
            if (values[slot] != null && test.test(value(slot))) {
                matching.add(ids[slot]);
            }
        }
        return matching;
    }

    private int find(long id) {
        int slot = home(id);
        while (values[slot] != null) {
            if (ids[slot] == id) {
                return slot;
            }
            slot = (slot + 1) & mask;
        }
        return -1;
    }

    /**
     * Fibonacci hashing: consecutive ids land far apart, so a run of them does not make one long
     * probe chain. The slot is the product's top log2(capacity) bits, the best mixed ones.
     */
    private int home(long id) {
        return (int) ((id * 0x9E3779B97F4A7C15L) >>> Long.numberOfLeadingZeros(mask));
    }

    /**
     * Empties the slot, then moves back every later entry of the run that may not stay behind the
     * hole: one whose home is not in the cyclic range (hole, its slot].
     */
    private void delete(int slot) {
        int hole = slot;
        int next = (hole + 1) & mask;
        while (values[next] != null) {
            int home = home(ids[next]);
            boolean staysAfterHole = hole <= next ? hole < home && home <= next : hole < home || home <= next;
            if (!staysAfterHole) {
                ids[hole] = ids[next];
                values[hole] = values[next];
                hole = next;
            }
            next = (next + 1) & mask;
        }
        values[hole] = null;
        size--;
    }

    private void grow() {
        long[] oldIds = ids;
        Object[] oldValues = values;
        ids = new long[oldIds.length * 2];
        values = new Object[oldValues.length * 2];
        mask = values.length - 1;
        for (int slot = 0; slot < oldValues.length; slot++) {
            if (oldValues[slot] != null) {
                int target = home(oldIds[slot]);
                while (values[target] != null) {
                    target = (target + 1) & mask;
                }
                ids[target] = oldIds[slot];
                values[target] = oldValues[slot];
            }
        }
    }

    @SuppressWarnings("unchecked")
    private V value(int slot) {
        return (V) values[slot];
    }
}
