package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.LuaArgs.argError;
import static dev.spoa.worker.lua.LuaArgs.checkNumber;

import java.util.concurrent.locks.LockSupport;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.OneArgFunction;

/**
 * {@code os.usleep(us)}: the handler's thread sleeps at least {@code us} microseconds (a number
 * &ge; 0, fractions allowed), as precisely as the JVM can park, and returns nothing. There is no
 * cap: a long sleep holds the worker, and HAProxy gets its answer from the agent's job timeout,
 * not from the handler. A negative, NaN, infinite or non-number argument is a Lua error.
 */
final class Sleep {
    /** Adds {@code usleep} to the given {@code os} table. */
    void install(LuaTable osTable) {
        osTable.rawset("usleep", new Usleep());
    }

    private static final class Usleep extends OneArgFunction {
        @Override
        public LuaValue call(LuaValue arg) {
            double micros = checkNumber(arg, 1, "usleep");
            if (!(micros >= 0) || Double.isInfinite(micros)) {
                throw argError(1, "usleep", "non-negative finite number expected, got " + arg.tojstring());
            }
            // Saturates at Long.MAX_VALUE (about 292 years): long enough.
            sleep((long) Math.ceil(micros * 1000));
            return NONE;
        }
    }

    /**
     * Parks until {@code nanos} have passed on the monotonic clock: parkNanos may return early
     * (spurious wake-ups), so it loops on what is left. An interrupt ends the sleep and stays set
     * for whoever owns the thread.
     */
    static void sleep(long nanos) {
        long start = System.nanoTime();
        long left = nanos;
        while (left > 0) {
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            LockSupport.parkNanos(left);
            // Differences of nanoTime are safe from overflow; the deadline start + nanos may not be.
            left = nanos - (System.nanoTime() - start);
        }
    }
}
