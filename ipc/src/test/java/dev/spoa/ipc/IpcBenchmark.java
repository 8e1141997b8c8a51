package dev.spoa.ipc;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Front + one worker process, for each doorbell (futex, FIFO byte): idle CPU of both processes,
 * round-trip percentiles and CPU at fixed job rates, and a saturation run. Not part of
 * {@code mvn verify}: figures on a shared 2-core machine are material to read, not to assert.
 *
 * <p>Run it with the Chronicle JVM flags, which the build writes as a java argument file (the child
 * worker inherits the --add-* ones):
 * <pre>
 * cd ipc &amp;&amp; mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test
 * java @target/test-classes/chronicle.jvm.args -cp target/test-classes:target/classes:$(cat target/bench.cp) \
 *      dev.spoa.ipc.IpcBenchmark [seconds] [spinMicros] [FUTEX,FIFO]
 * </pre>
 * Defaults: 5 s per measurement, the default spin (none), FUTEX,FIFO.
 */
public final class IpcBenchmark {

    private static final int JOB_BYTES = 200;
    private static final int[] RATES = {1_000, 10_000};
    private static final int SATURATION_JOBS = 1_000_000;
    private static final int SATURATION_IN_FLIGHT = 4_096;
    private static final long CLOCK_TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux x86_64 / aarch64

    private IpcBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        long spinMicros = args.length > 1 ? Long.parseLong(args[1]) : TimeUnit.NANOSECONDS.toMicros(Tuning.DEFAULT.spinNanos());
        String[] kinds = args.length > 2 ? args[2].split(",") : new String[] {"FUTEX", "FIFO"};
        List<String> lines = new ArrayList<>();
        for (String kind : kinds) {
            lines.addAll(run(DoorbellKind.valueOf(kind), seconds, spinMicros));
        }
        System.out.printf(Locale.ROOT, "%nJDK %s, %d CPUs, %d s per measurement, spin %d µs, %d-byte jobs%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors(), seconds, spinMicros, JOB_BYTES);
        System.out.println("| doorbell | phase | jobs/s | RTT p50 µs | p90 µs | p99 µs | front CPU % | worker CPU % | front alloc KB/s |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        lines.forEach(System.out::println);
    }

    private static List<String> run(DoorbellKind kind, int seconds, long spinMicros) throws Exception {
        List<String> lines = new ArrayList<>();
        Tuning tuning = Tuning.DEFAULT.withDoorbell(kind).withSpinNanos(TimeUnit.MICROSECONDS.toNanos(spinMicros));
        try (RunDir run = RunDir.createFresh(null)) {
            WorkerQueues q = run.workerQueues(0, 0);
            q.create();
            try (JobWriter jobs = JobWriter.open(q, tuning);
                 ResultReader results = ResultReader.open(q, tuning);
                 Doorbell front = Doorbell.open(run.frontDoorbellFile(), tuning);
                 ChildJvm worker = ChildJvm.start(EchoWorker.class, run.path().toString(), "0", "0",
                         kind.name(), Long.toString(spinMicros))) {
                worker.awaitLine("READY", 60, TimeUnit.SECONDS);
                Receiver receiver = new Receiver(results, front);
                Thread receiverThread = new Thread(receiver, "results");
                receiver.threadId = receiverThread.getId();
                receiverThread.start();
                Sender sender = new Sender(jobs, receiver);
                long self = ProcessHandle.current().pid();

                System.err.printf("%s: warm-up%n", kind);
                sender.paced(10_000, TimeUnit.SECONDS.toNanos(3));
                sender.saturate(200_000);

                System.err.printf("%s: idle%n", kind);
                Thread.sleep(1_000);
                Cpu idle = Cpu.start(self, worker.pid());
                Thread.sleep(TimeUnit.SECONDS.toMillis(seconds));
                lines.add(row(kind, "idle", 0, null, idle.stop(), Double.NaN));

                for (int rate : RATES) {
                    System.err.printf("%s: %d jobs/s%n", kind, rate);
                    sender.paced(rate, TimeUnit.SECONDS.toNanos(1)); // settle
                    Cpu cpu = Cpu.start(self, worker.pid());
                    Phase phase = sender.paced(rate, TimeUnit.SECONDS.toNanos(seconds));
                    // Allocation is per roll (a new file every 1 MiB), not per job: hence per second.
                    lines.add(row(kind, rate + "/s", phase.rate(), phase.rtts(), cpu.stop(),
                            phase.frontAllocated() / 1024.0 / seconds));
                }

                System.err.printf("%s: saturation%n", kind);
                Cpu cpu = Cpu.start(self, worker.pid());
                Phase phase = sender.saturate(SATURATION_JOBS);
                lines.add(row(kind, "max (" + SATURATION_IN_FLIGHT + " in flight)", phase.rate(), phase.rtts(), cpu.stop(), Double.NaN));

                sender.stop();
                worker.waitFor(60, TimeUnit.SECONDS);
                receiver.stop();
                receiverThread.join();
            }
        }
        return lines;
    }

    private static String row(DoorbellKind kind, String phase, double rate, long[] rtts, double[] cpu, double alloc) {
        String p = rtts == null || rtts.length == 0 ? "- | - | -" : String.format(Locale.ROOT, "%.1f | %.1f | %.1f",
                micros(rtts, 0.50), micros(rtts, 0.90), micros(rtts, 0.99));
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %.1f | %.1f | %s |", kind, phase,
                rate == 0 ? "0" : String.format(Locale.ROOT, "%.0f", rate), p, cpu[0], cpu[1],
                Double.isNaN(alloc) ? "-" : String.format(Locale.ROOT, "%.1f", alloc));
    }

    private static double micros(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) (quantile * sorted.length))] / 1_000.0;
    }

    /** Jobs sent, their round trips (sorted), and what the front's two threads allocated meanwhile. */
    private record Phase(long jobs, long nanos, long[] rtts, long frontAllocated) {
        double rate() {
            return jobs * 1e9 / nanos;
        }
    }

    /** The front's sending thread, as the front will batch: everything due goes out with one flush. */
    private static final class Sender {
        private final JobWriter jobs;
        private final Receiver receiver;
        private final byte[] payload = new byte[JOB_BYTES];
        private final long threadId = Thread.currentThread().getId();
        private long nextId;

        Sender(JobWriter jobs, Receiver receiver) {
            this.jobs = jobs;
            this.receiver = receiver;
            Arrays.fill(payload, (byte) 'x');
        }

        Phase paced(int rate, long durationNanos) throws InterruptedException {
            long interval = 1_000_000_000L / rate;
            long firstId = nextId;
            long allocated = allocated() + receiver.allocated();
            long start = System.nanoTime();
            long end = start + durationNanos;
            long due = start;
            while (due < end) {
                long now = System.nanoTime();
                if (now < due) {
                    LockSupport.parkNanos(due - now);
                    continue;
                }
                while (due <= now && due < end) {
                    // The deadline field carries the send time; the echo worker returns it.
                    jobs.append(nextId++, System.nanoTime(), 16_380, payload, 0, payload.length);
                    due += interval;
                }
                jobs.flush();
            }
            allocated = allocated() + receiver.allocated() - allocated;
            return finish(firstId, start, allocated);
        }

        Phase saturate(int count) throws InterruptedException {
            long firstId = nextId;
            long start = System.nanoTime();
            long last = firstId + count;
            while (nextId < last) {
                int batch = 0;
                while (nextId < last && batch < 64 && nextId - receiver.received() < SATURATION_IN_FLIGHT) {
                    jobs.append(nextId++, System.nanoTime(), 16_380, payload, 0, payload.length);
                    batch++;
                }
                if (batch > 0) {
                    jobs.flush();
                } else {
                    Thread.onSpinWait(); // the receiver is behind; it is on the other core
                }
            }
            return finish(firstId, start, -1);
        }

        private Phase finish(long firstId, long start, long frontAllocated) throws InterruptedException {
            long lastId = nextId;
            while (receiver.received() < lastId) {
                Thread.sleep(1);
            }
            long nanos = System.nanoTime() - start;
            long[] rtts = receiver.rtts(firstId, lastId);
            Arrays.sort(rtts);
            return new Phase(lastId - firstId, nanos, rtts, frontAllocated);
        }

        void stop() {
            jobs.append(EchoWorker.STOP, 0, 0, payload, 0, 0);
            jobs.flush();
        }

        long allocated() {
            return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(threadId);
        }
    }

    /** The front's result thread: drain, and when nothing is there, park on the front doorbell. */
    private static final class Receiver implements Runnable, ResultReader.ResultConsumer {
        private final ResultReader results;
        private final Doorbell front;
        // One instance for every park: a method reference written at the call would allocate per call.
        private final BooleanSupplier ready;
        private final long[] rtt = new long[4 << 20];
        private final AtomicBoolean running = new AtomicBoolean(true);
        private volatile long received; // written only by this thread; publishes rtt[] up to it
        private long threadId; // set before the thread starts

        Receiver(ResultReader results, Doorbell front) {
            this.results = results;
            this.front = front;
            this.ready = results::hasNext;
        }

        @Override
        public void run() {
            try {
                while (running.get()) {
                    if (results.drain(this, 256) == 0) {
                        front.await(TimeUnit.MILLISECONDS.toNanos(100), ready);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void accept(long jobId, int outcome, byte[] buf, int offset, int length) {
            if (jobId == EchoWorker.STOP) {
                return;
            }
            long sentAt = 0;
            for (int i = 0; i < 8; i++) {
                sentAt = sentAt << 8 | (buf[offset + i] & 0xFF); // EchoWorker writes the deadline big-endian
            }
            rtt[(int) (jobId % rtt.length)] = System.nanoTime() - sentAt;
            received = jobId + 1;
        }

        long received() {
            return received;
        }

        long[] rtts(long from, long to) {
            long[] out = new long[(int) (to - from)];
            for (long id = from; id < to; id++) {
                out[(int) (id - from)] = rtt[(int) (id % rtt.length)];
            }
            return out;
        }

        long allocated() {
            return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getThreadAllocatedBytes(threadId);
        }

        void stop() {
            running.set(false);
        }
    }

    /** CPU time of two processes from /proc/<pid>/stat (utime + stime), as % of one core. */
    private record Cpu(long[] pids, long[] ticks, long startNanos) {
        static Cpu start(long... pids) throws IOException {
            long[] ticks = new long[pids.length];
            for (int i = 0; i < pids.length; i++) {
                ticks[i] = ticks(pids[i]);
            }
            return new Cpu(pids, ticks, System.nanoTime());
        }

        double[] stop() throws IOException {
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            double[] percent = new double[pids.length];
            for (int i = 0; i < pids.length; i++) {
                percent[i] = 100.0 * (ticks(pids[i]) - ticks[i]) / CLOCK_TICKS_PER_SECOND / seconds;
            }
            return percent;
        }

        private static long ticks(long pid) throws IOException {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // Fields after the command name, which may contain spaces: state is field 3, utime 14, stime 15.
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        }
    }
}
