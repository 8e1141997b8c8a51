package dev.spoa.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void bucketsCoverEveryValueOnceWithinATenthOfAPercent() {
        long previousHighest = -1;
        for (int index = 0; index <= LatencyHistogram.index(LatencyHistogram.HIGHEST); index++) {
            long lowest = LatencyHistogram.lowest(index);
            long highest = LatencyHistogram.highest(index);
            assertEquals(previousHighest + 1, lowest, "bucket " + index + " starts where the previous one ended");
            assertEquals(index, LatencyHistogram.index(lowest));
            assertEquals(index, LatencyHistogram.index(highest));
            assertTrue(highest - lowest <= Math.max(0, lowest / 1000), "bucket " + index + ": " + lowest + ".." + highest);
            previousHighest = highest;
        }
    }

    @Test
    void percentilesOfAUniformSpread() {
        LatencyHistogram histogram = new LatencyHistogram();
        for (long micros = 1; micros <= 10_000; micros++) {
            histogram.record(micros * 1000);
        }
        assertEquals(10_000, histogram.total());
        assertClose(5_000_000, histogram.percentile(50));
        assertClose(9_900_000, histogram.percentile(99));
        assertClose(9_990_000, histogram.percentile(99.9));
        assertEquals(10_000_000, histogram.max());
        assertEquals(10_000_000, histogram.percentile(100));
    }

    @Test
    void mergingAddsCountsAndKeepsTheMaximum() {
        LatencyHistogram a = new LatencyHistogram();
        LatencyHistogram b = new LatencyHistogram();
        for (int i = 0; i < 99; i++) {
            a.record(100_000);
        }
        b.record(70_000_000_000L); // past the top: counted at the top, the maximum stays exact
        a.add(b);
        assertEquals(100, a.total());
        assertClose(100_000, a.percentile(99));
        assertEquals(70_000_000_000L, a.max());
        assertEquals(70_000_000_000L, a.percentile(100), "the 100th percentile is the maximum");
    }

    @Test
    void anEmptyHistogramSaysZero() {
        assertEquals(0, new LatencyHistogram().percentile(99));
    }

    private static void assertClose(long expected, long actual) {
        assertTrue(Math.abs(expected - actual) <= expected / 1000 + 1, expected + " vs " + actual);
    }
}
