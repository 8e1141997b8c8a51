package dev.spoa.testkit;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling for something another process will do: in seconds, because the machine may freeze for some. */
public final class Wait {
    private Wait() {
    }

    /** Whether {@code condition} became true within {@code timeout}, looking every 100 ms. */
    public static boolean until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long giveUp = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - giveUp > 0) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
    }
}
