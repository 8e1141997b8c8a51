package dev.spoa.ipc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import net.openhft.chronicle.bytes.Bytes;
import org.junit.jupiter.api.Test;

/** The record layouts on their own, on heap bytes: what the fields cost and what a corrupt record does. */
class RecordsTest {

    @Test
    void theBenchmarksJobTakesUnderTwoThirdsOfItsFixedWidthSize() {
        byte[] messages = new byte[21]; // the bench's check-client-ip message with its IPv4 argument
        Bytes<?> out = Bytes.allocateElasticOnHeap(128);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        int written = JobRecord.write(out, 2_500_000, deadline, 16_380, 7, 1_250_000, 1, messages, 0, messages.length);
        assertEquals(written, out.writePosition(), "the size returned is the size written");
        int fixedWidth = 48 + messages.length;
        assertTrue(written <= 45, written + " bytes, against " + fixedWidth + " with fixed-width fields");

        Bytes<?> result = Bytes.allocateElasticOnHeap(64);
        assertTrue(ResultRecord.write(result, 2_500_000, 0, new byte[14], 0, 14) <= 20, "a result's fields take 6 bytes or less here");
    }

    @Test
    void everyFieldKeepsItsExtremes() {
        byte[] messages = {1, 2, 3};
        for (long value : new long[] {Long.MIN_VALUE, -1, 0, 127, 128, Long.MAX_VALUE}) {
            int anInt = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
            Bytes<?> bytes = Bytes.allocateElasticOnHeap(128);
            int written = JobRecord.write(bytes, value, value, anInt, value, value, value, messages, 0, messages.length);
            assertTrue(written <= JobRecord.MAX_HEADER + messages.length, value + ": " + written + " bytes");
            JobReader.Job job = JobRecord.read(bytes);
            assertEquals(value, job.jobId());
            assertEquals(value, job.deadlineNanos());
            assertEquals(anInt, job.maxAckPayload());
            assertEquals(value, job.connection());
            assertEquals(value, job.streamId());
            assertEquals(value, job.frameId());
            assertArrayEquals(messages, job.messages());
            assertEquals(0, bytes.readRemaining());
        }
    }

    @Test
    void aCorruptRecordFailsWithoutAllocatingWhatItClaims() {
        Bytes<?> tooBig = Bytes.allocateElasticOnHeap(64);
        tooBig.writeStopBit(1).writeStopBit(2).writeStopBit(1L << 40); // maxAckPayload past an int
        tooBig.writeStopBit(0).writeStopBit(0).writeStopBit(0).writeStopBit(0);
        assertThrows(IllegalStateException.class, () -> JobRecord.read(tooBig));

        Bytes<?> huge = Bytes.allocateElasticOnHeap(64);
        huge.writeStopBit(1).writeStopBit(2).writeStopBit(3).writeStopBit(4).writeStopBit(5).writeStopBit(6);
        huge.writeStopBit(Integer.MAX_VALUE).write(new byte[8]); // a length of 2 GB, 8 bytes behind it
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> JobRecord.read(huge));
        assertTrue(e.getMessage().contains("length " + Integer.MAX_VALUE + ", 8 bytes left"), e.getMessage());

        Bytes<?> whole = Bytes.allocateElasticOnHeap(64);
        JobRecord.write(whole, 1, 2, 3, 4, 5, 6, new byte[10], 0, 10);
        Bytes<?> cut = Bytes.allocateElasticOnHeap(64);
        cut.write(whole, 0, whole.writePosition() - 1); // the record short of its last byte
        assertThrows(IllegalStateException.class, () -> JobRecord.read(cut), "its length is past its end");
    }
}
