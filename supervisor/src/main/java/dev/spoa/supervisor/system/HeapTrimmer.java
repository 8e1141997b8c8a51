package dev.spoa.supervisor.system;

import dev.spoa.ipc.NativeHeap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every ten seconds, hands the front's free C heap back to the system ({@link NativeHeap}): the
 * JIT compiles the front's hot paths in bursts (at start, and again when the load changes shape),
 * and glibc keeps what the compilers freed. From a thread of its own, as the front's thread never
 * idles under load. A trim costs ~2.4 ms (measured at rest), 0.02 % of a core at this pace.
 */
public final class HeapTrimmer implements AutoCloseable {
    private static final long EVERY_SECONDS = 10;

    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread trimmer = new Thread(task, "spoa-heap-trim");
        trimmer.setDaemon(true);
        return trimmer;
    });

    private HeapTrimmer() {
    }

    public static HeapTrimmer start() {
        HeapTrimmer trimmer = new HeapTrimmer();
        trimmer.thread.scheduleWithFixedDelay(NativeHeap::trim, EVERY_SECONDS, EVERY_SECONDS, TimeUnit.SECONDS);
        return trimmer;
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
