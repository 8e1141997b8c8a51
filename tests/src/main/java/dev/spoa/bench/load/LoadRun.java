package dev.spoa.bench.load;

import java.util.ArrayList;
import java.util.List;

/** A load run under way: its schedule, and its figures once every generator thread is done. */
public final class LoadRun {
    private final Schedule schedule;
    private final List<Thread> threads;
    private final List<LoadLoop> loops;

    LoadRun(Schedule schedule, List<Thread> threads, List<LoadLoop> loops) {
        this.schedule = schedule;
        this.threads = List.copyOf(threads);
        this.loops = List.copyOf(loops);
    }

    public Schedule schedule() {
        return schedule;
    }

    /** Waits for the end of the drain, then merges the threads' figures. */
    public LoadResult await() throws InterruptedException {
        for (Thread thread : threads) {
            thread.join();
        }
        LatencyHistogram latency = new LatencyHistogram();
        long acks = 0;
        long errors = 0;
        long empty = 0;
        long missing = 0;
        long mismatched = 0;
        long unanswered = 0;
        long backlog = 0;
        List<String> failures = new ArrayList<>();
        for (LoadLoop loop : loops) {
            LoadResult part = loop.result();
            latency.add(part.latency());
            acks += part.acks();
            errors += part.errors();
            empty += part.empty();
            missing += part.missing();
            mismatched += part.mismatched();
            unanswered += part.unanswered();
            backlog += part.backlog();
            failures.addAll(part.failures());
        }
        return new LoadResult(schedule.window(), acks, latency, errors, empty, missing, mismatched, unanswered, backlog,
                failures);
    }
}
