package dev.spoa.supervisor.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class JobTableTest {

    /**
     * The table against a HashMap under the front's pattern: ids handed out in order, answered
     * mostly in order but some late and some never (timeouts), the table growing past its first
     * size and every removal shifting entries back across the end of the array.
     */
    @Test
    void agreesWithAHashMapOverMillionsOfJobs() {
        JobTable<String> table = new JobTable<>();
        Map<Long, String> expected = new HashMap<>();
        List<Long> held = new ArrayList<>();
        Random random = new Random(42);
        long nextId = 1;
        for (int step = 0; step < 2_000_000; step++) {
            int inFlight = step < 1_000_000 ? 3000 : 200; // grows, then mostly empties
            if (held.size() < inFlight && random.nextInt(3) > 0) {
                long id = nextId++;
                String value = "job" + id;
                table.put(id, value);
                expected.put(id, value);
                held.add(id);
            } else if (!held.isEmpty()) {
                // mostly the oldest (answered in order), sometimes any (a slow worker's)
                int index = random.nextInt(10) > 0 ? 0 : random.nextInt(held.size());
                long id = held.remove(index);
                assertEquals(expected.remove(id), table.remove(id), "job " + id);
            }
            if (step % 1000 == 0) {
                long probe = 1 + random.nextInt((int) nextId);
                assertEquals(expected.get(probe), table.get(probe), "job " + probe);
                assertEquals(expected.size(), table.size());
            }
        }
        for (Map.Entry<Long, String> entry : expected.entrySet()) {
            assertEquals(entry.getValue(), table.get(entry.getKey()));
        }
        assertNull(table.get(nextId));
        assertEquals(expected.size(), table.size());
    }

    @Test
    void removesAndReplacesOnlyTheSameObject() {
        JobTable<String> table = new JobTable<>();
        String first = new String("a");
        String equalButOther = new String("a");
        table.put(7, first);

        assertFalse(table.remove(7, equalButOther));
        assertFalse(table.replace(7, equalButOther, "b"));
        assertSame(first, table.get(7));

        String moved = "moved";
        assertTrue(table.replace(7, first, moved));
        assertFalse(table.remove(7, first));
        assertTrue(table.remove(7, moved));
        assertNull(table.get(7));
        assertEquals(0, table.size());
        assertFalse(table.remove(7, moved));
        assertNull(table.remove(7));
    }

    @Test
    void findsItsLowestIdAndGrowsToHoldWhatItIsGiven() {
        JobTable<String> table = new JobTable<>();
        assertEquals(Long.MAX_VALUE, table.lowestId());
        int firstCapacity = table.capacity();
        for (long id = 100; id < 100 + firstCapacity; id++) {
            table.put(id, "job");
        }
        assertTrue(table.capacity() >= 2 * firstCapacity, "at most half full: " + table.capacity());
        assertEquals(100, table.lowestId());
        table.remove(100);
        table.remove(102);
        assertEquals(101, table.lowestId());
    }

    @Test
    void listsTheIdsWhoseValueMatches() {
        JobTable<String> table = new JobTable<>();
        for (long id = 1; id <= 5000; id++) {
            table.put(id, id % 3 == 0 ? "dead" : "alive");
        }
        List<Long> ids = table.idsWhere("dead"::equals);
        assertEquals(1666, ids.size());
        for (long id : ids) {
            assertEquals(0, id % 3);
            assertEquals("dead", table.remove(id));
        }
        assertEquals(5000 - 1666, table.size());
        assertTrue(table.idsWhere("dead"::equals).isEmpty());
    }
}
