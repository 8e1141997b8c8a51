package dev.spoa.supervisor.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DeadlineQueueTest {

    @Test
    void keepsSubmissionOrderThroughWrapAndGrowth() {
        DeadlineQueue queue = new DeadlineQueue();
        long next = 0;
        long expected = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 900; i++) {
                queue.add(next, next * 10);
                next++;
            }
            for (int i = 0; i < 700; i++) {
                assertEquals(expected * 10, queue.firstDeadline());
                assertEquals(expected++, queue.removeFirst());
            }
        }
        while (!queue.isEmpty()) {
            assertEquals(expected++, queue.removeFirst());
        }
        assertEquals(next, expected);
        assertTrue(queue.isEmpty());
    }
}
