package dev.spoa.worker.lua;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.luaj.vm2.Varargs;

class SleepTest {
    /** Generous: the machines that run the tests can freeze for seconds. */
    private static final long UPPER_BOUND_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Snippets lua = new Snippets();

    SleepTest() {
        new Sleep().install(lua.globals.get("os").checktable());
    }

    @Test
    void sleepsAtLeastTheTimeAskedAndReturnsNothing() {
        long start = System.nanoTime();
        Varargs results = lua.run("return os.usleep(20000)");
        long elapsed = System.nanoTime() - start;
        assertEquals(0, results.narg());
        assertTrue(elapsed >= TimeUnit.MILLISECONDS.toNanos(20), "slept only " + elapsed + " ns");
        assertTrue(elapsed < UPPER_BOUND_NANOS, "slept " + elapsed + " ns");
    }

    @Test
    void subMillisecondAndFractionalSleeps() {
        long start = System.nanoTime();
        lua.run("for i = 1, 10 do os.usleep(150.5) end");
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed >= 10 * 150_500L, "slept only " + elapsed + " ns");
        assertTrue(elapsed < UPPER_BOUND_NANOS, "slept " + elapsed + " ns");
    }

    @Test
    void zeroAndNumericStringsAreFine() {
        lua.run("os.usleep(0) os.usleep('100')");
    }

    @Test
    void anInterruptEndsTheSleepAndStaysSet() {
        Thread.currentThread().interrupt();
        try {
            long start = System.nanoTime();
            lua.run("os.usleep(60 * 1000000)");
            assertTrue(System.nanoTime() - start < UPPER_BOUND_NANOS);
            assertTrue(Thread.currentThread().isInterrupted());
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void badArguments() {
        assertEquals("test.lua:1: bad argument #1 to 'usleep' (non-negative finite number expected, got -1)", lua.error("os.usleep(-1)"));
        assertEquals("test.lua:1: bad argument #1 to 'usleep' (non-negative finite number expected, got nan)", lua.error("os.usleep(0/0)"));
        assertEquals("test.lua:1: bad argument #1 to 'usleep' (non-negative finite number expected, got inf)", lua.error("os.usleep(math.huge)"));
        assertEquals("test.lua:1: bad argument #1 to 'usleep' (number expected, got nil)", lua.error("os.usleep()"));
        assertEquals("test.lua:1: bad argument #1 to 'usleep' (number expected, got string)", lua.error("os.usleep('soon')"));
    }
}
