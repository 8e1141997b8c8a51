package dev.spoa.worker;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IdleTrimsTest {
    private static final long START = 1_000_000_000_000L;

    private static long at(double seconds) {
        return START + (long) (seconds * TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void trimsAfterOneFiveAndThirtySecondsOfIdlenessThenStops() {
        IdleTrims trims = new IdleTrims(START);
        assertFalse(trims.due(at(0.9)));
        assertTrue(trims.due(at(1.0)));
        assertFalse(trims.due(at(2)), "one trim per step");
        assertFalse(trims.due(at(4.9)));
        assertTrue(trims.due(at(5)));
        assertFalse(trims.due(at(29.9)));
        assertTrue(trims.due(at(30)));
        assertFalse(trims.due(at(600)), "an idle worker stops trimming");
    }

    @Test
    void workStartsTheScheduleAgain() {
        IdleTrims trims = new IdleTrims(START);
        assertTrue(trims.due(at(1)));
        assertTrue(trims.due(at(5)));
        trims.worked(at(10));
        assertFalse(trims.due(at(10.5)));
        assertTrue(trims.due(at(11)));
        assertTrue(trims.due(at(15)));
    }

    @Test
    void aLateCheckTrimsOnceNotOncePerMissedStep() {
        IdleTrims trims = new IdleTrims(START);
        assertTrue(trims.due(at(40)));
        assertFalse(trims.due(at(41)), "the steps it passed are done");
    }
}
