package dev.spoa.supervisor.dispatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.ipc.JobReader;
import dev.spoa.ipc.RunDir;
import dev.spoa.ipc.WorkerQueues;
import dev.spoa.ipc.WorkerStatus;
import dev.spoa.protocol.ActionList;
import dev.spoa.protocol.TypedData;
import dev.spoa.supervisor.AgentConfig;
import dev.spoa.supervisor.metrics.ErrorReason;
import dev.spoa.supervisor.metrics.MetricsSnapshot;
import dev.spoa.supervisor.system.SocketAccess;
import dev.spoa.worker.ErrorVariable;
import dev.spoa.worker.JobOutcome;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Routing, the error answers, rescuing a dead worker's jobs and judging workers from their status,
 * over real queues in a temporary run dir. Time is passed in, so nothing here waits.
 */
class DispatcherTest {
    private static final ErrorVariable ERROR = new ErrorVariable();
    private static final byte[] MESSAGES = {1, 2, 3};

    private RunDir runDir;
    private final Map<Long, byte[]> answers = new ConcurrentHashMap<>();
    private final AckSink sink = new AckSink() {
        @Override
        public void deliver(long streamId, long frameId, byte[] actions, int offset, int length) {
            answers.put(streamId, Arrays.copyOfRange(actions, offset, offset + length));
        }

        @Override
        public long id() {
            return 1;
        }

        @Override
        public boolean isOpen() {
            return true;
        }
    };

    @BeforeEach
    void createRunDir(@TempDir Path dir) {
        runDir = RunDir.createFresh(dir);
    }

    @AfterEach
    void removeRunDir() {
        runDir.close();
    }

    private static Dispatcher dispatcher(long timeoutMillis, long graceMillis, int maxPerWorker, int maxPending) {
        return new Dispatcher(new AgentConfig(Optional.of(new InetSocketAddress(0)), Optional.empty(), 1, Path.of("x.lua"), 16380,
                64, Duration.ofMillis(timeoutMillis), Duration.ofMillis(graceMillis), maxPerWorker, maxPending, Duration.ZERO, ERROR,
                Optional.empty(), Optional.empty(), false, Optional.empty(), Optional.empty(), SocketAccess.AS_CREATED, Optional.empty(),
                AgentConfig.Lua.defaults()));
    }

    private static Dispatcher dispatcher(long timeoutMillis) {
        return dispatcher(timeoutMillis, 1000, 1000, 10_000);
    }

    private WorkerChannel readyChannel(int worker) {
        return readyChannel(worker, 0);
    }

    private WorkerChannel readyChannel(int worker, long generation) {
        WorkerQueues queues = runDir.workerQueues(worker, generation);
        queues.create();
        WorkerChannel channel = new WorkerChannel(queues);
        channel.markReady();
        return channel;
    }

    /** What the result collector does when a worker's process is gone and its last results are in. */
    private static void dies(WorkerChannel channel) {
        channel.markGone();
        channel.results().close();
        channel.retired = true;
    }

    private static List<JobReader.Job> jobsIn(WorkerChannel channel) {
        List<JobReader.Job> jobs = new ArrayList<>();
        channel.jobs().replay(jobs::add);
        return jobs;
    }

    private static String errorIn(byte[] actions) throws Exception {
        var action = (dev.spoa.protocol.Action.SetVar) ActionList.decode(actions, 0, actions.length).get(0);
        assertEquals(ERROR.name(), action.name());
        return ((TypedData.Text) action.value()).asString();
    }

    @Test
    void noReadyWorkerIsAnsweredOverloadedAtOnce() throws Exception {
        Dispatcher dispatcher = dispatcher(1000);
        dispatcher.submit(sink, 1, 1, MESSAGES, 0, MESSAGES.length, 1000);
        assertEquals(ErrorVariable.OVERLOADED, errorIn(answers.get(1L)));
        assertEquals(0, dispatcher.pendingJobs());
    }

    @Test
    void jobsGoToTheLeastBusyWorkerAndResultsBackToTheirStream() throws Exception {
        Dispatcher dispatcher = dispatcher(10_000);
        WorkerChannel first = readyChannel(0);
        WorkerChannel second = readyChannel(1);
        dispatcher.add(first);
        dispatcher.add(second);
        for (long stream = 1; stream <= 4; stream++) {
            dispatcher.submit(sink, stream, 1, MESSAGES, 0, MESSAGES.length, 1000);
        }
        dispatcher.flush();
        assertEquals(2, first.outstanding());
        assertEquals(2, second.outstanding());

        try (JobReader jobs = JobReader.open(first.queues())) {
            JobReader.Job job = jobs.poll(10, TimeUnit.SECONDS);
            assertNotNull(job);
            assertArrayEquals(MESSAGES, job.messages());
            assertEquals(1000, job.maxAckPayload());
            byte[] actions = {9, 9};
            dispatcher.complete(first, job.jobId(), JobOutcome.ACTIONS, actions, 0, 2, System.nanoTime());
            assertEquals(1, first.outstanding());
            assertEquals(1, answers.size());
            assertArrayEquals(actions, answers.values().iterator().next());
        }
    }

    /**
     * Ready workers whose status files say each did {@code jobs} jobs taking {@code millisPerJob[i]}
     * ms of handler time each, and a supervision turn that reads them (where the front learns the pace).
     */
    private WorkerChannel[] workersThatTook(Dispatcher dispatcher, int jobs, long... millisPerJob) throws InterruptedException {
        WorkerChannel[] channels = new WorkerChannel[millisPerJob.length];
        for (int worker = 0; worker < channels.length; worker++) {
            channels[worker] = readyChannel(worker);
            dispatcher.add(channels[worker]);
            WorkerStatus status = WorkerStatus.open(channels[worker].queues());
            for (long job = 1; job <= jobs; job++) {
                status.started(job, 0);
                if (millisPerJob[worker] > 0) {
                    Thread.sleep(millisPerJob[worker]);
                }
                status.finished();
            }
        }
        dispatcher.superviseWorkers(System.nanoTime());
        return channels;
    }

    /** NOTIFYs on streams 1 to {@code count}. */
    private void submitStreams(Dispatcher dispatcher, int count) {
        for (long stream = 1; stream <= count; stream++) {
            dispatcher.submit(sink, stream, 1, MESSAGES, 0, MESSAGES.length, 1000);
        }
    }

    @Test
    void jobsArePackedOntoAWorkerThatDoesThemQuickly() throws Exception {
        Dispatcher dispatcher = dispatcher(10_000);
        // Many jobs: the first calls of a cold JVM are slow, and the pace is their average.
        WorkerChannel[] workers = workersThatTook(dispatcher, 1000, 0, 0);
        submitStreams(dispatcher, 10);
        assertEquals(10, workers[0].outstanding(), "a batch for the worker that does it in a fraction of a millisecond");
        assertEquals(0, workers[1].outstanding());
    }

    @Test
    void theWorkerThatComesFirstForPackingChangesEverySecondSoThatAllStayWarm() throws Exception {
        Dispatcher dispatcher = dispatcher(10_000);
        WorkerChannel[] workers = workersThatTook(dispatcher, 1000, 0, 0);
        long start = System.nanoTime();
        dispatcher.superviseWorkers(start + TimeUnit.MILLISECONDS.toNanos(1500));
        submitStreams(dispatcher, 10);
        assertEquals(0, workers[0].outstanding());
        assertEquals(10, workers[1].outstanding(), "a second on, the second worker takes the batch");
    }

    @Test
    void noBatchQueuesBehindAJobThatRunsLong() throws Exception {
        Dispatcher dispatcher = dispatcher(10_000);
        WorkerChannel[] workers = workersThatTook(dispatcher, 1000, 0, 0);
        WorkerStatus first = WorkerStatus.open(workers[0].queues());
        first.started(4242, System.nanoTime() + TimeUnit.SECONDS.toNanos(60)); // a job that hangs, well before its deadline
        Thread.sleep(2); // past the packing budget
        dispatcher.superviseWorkers(System.nanoTime());
        submitStreams(dispatcher, 10);
        assertEquals(0, workers[0].outstanding(), "the hanging worker gets no batch, fast as it was");
        assertEquals(10, workers[1].outstanding());
    }

    @Test
    void jobsOfASlowHandlerAreSpreadSoThatNoneWaitsBehindAnother() throws Exception {
        Dispatcher dispatcher = dispatcher(10_000);
        WorkerChannel[] workers = workersThatTook(dispatcher, 8, 1, 1);
        submitStreams(dispatcher, 4);
        assertEquals(2, workers[0].outstanding());
        assertEquals(2, workers[1].outstanding());
    }

    @Test
    void pastTheDeadlineTheErrorVariableAnswersAndTheLateResultIsDropped() throws Exception {
        Dispatcher dispatcher = dispatcher(1);
        WorkerChannel channel = readyChannel(0);
        dispatcher.add(channel);
        dispatcher.submit(sink, 5, 2, MESSAGES, 0, MESSAGES.length, 1000);
        long next = dispatcher.expire(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        assertEquals(Long.MAX_VALUE, next);
        assertEquals(ErrorVariable.TIMEOUT, errorIn(answers.get(5L)));
        assertEquals(1, channel.outstanding(), "the worker still holds the job");
        dispatcher.complete(channel, 1, JobOutcome.ACTIONS, new byte[] {1}, 0, 1, System.nanoTime());
        assertEquals(ErrorVariable.TIMEOUT, errorIn(answers.get(5L)), "the late result changes nothing");
        assertEquals(0, channel.outstanding());
        assertEquals(0, dispatcher.pendingJobs());
    }

    @Test
    void expiryAnswersOnlyTheJobsStillPendingAndSaysWhenTheNextDeadlineIs() throws Exception {
        Dispatcher dispatcher = dispatcher(10_000);
        WorkerChannel channel = readyChannel(0);
        dispatcher.add(channel);
        long start = System.nanoTime();
        for (long stream = 1; stream <= 3; stream++) {
            dispatcher.submit(sink, stream, 1, MESSAGES, 0, MESSAGES.length, 1000);
        }
        dispatcher.complete(channel, 2, JobOutcome.ACTIONS, new byte[] {7}, 0, 1, System.nanoTime()); // out of order

        long wait = dispatcher.expire(start + TimeUnit.SECONDS.toNanos(4));
        assertTrue(wait >= TimeUnit.SECONDS.toNanos(6) && wait < TimeUnit.SECONDS.toNanos(7), "until job 1's deadline: " + wait);
        assertEquals(2, dispatcher.pendingJobs());

        long later = System.nanoTime() + TimeUnit.SECONDS.toNanos(11);
        assertEquals(Long.MAX_VALUE, dispatcher.expire(later));
        assertEquals(ErrorVariable.TIMEOUT, errorIn(answers.get(1L)));
        assertArrayEquals(new byte[] {7}, answers.get(2L), "answered by its worker, not timed out");
        assertEquals(ErrorVariable.TIMEOUT, errorIn(answers.get(3L)));
        assertEquals(0, dispatcher.pendingJobs());

        dispatcher.submit(sink, 4, 1, MESSAGES, 0, MESSAGES.length, 1000);
        long next = dispatcher.expire(System.nanoTime());
        assertTrue(next > TimeUnit.SECONDS.toNanos(9) && next <= TimeUnit.SECONDS.toNanos(10), "a new job's deadline: " + next);
        assertNull(answers.get(4L));
    }

    @Test
    void expiryFindsThePendingJobsPastALongRunOfAnsweredOnes() throws Exception {
        Dispatcher dispatcher = dispatcher(10_000);
        WorkerChannel channel = readyChannel(0);
        dispatcher.add(channel);
        dispatcher.submit(sink, 1, 1, MESSAGES, 0, MESSAGES.length, 1000); // job 1: held to its deadline
        for (long job = 2; job <= 5000; job++) { // far more ids than the table has slots, each answered at once
            dispatcher.submit(sink, 2, job, MESSAGES, 0, MESSAGES.length, 1000);
            dispatcher.complete(channel, job, JobOutcome.ACTIONS, new byte[] {7}, 0, 1, System.nanoTime());
        }
        dispatcher.submit(sink, 3, 1, MESSAGES, 0, MESSAGES.length, 1000); // job 5001: held too
        assertEquals(2, dispatcher.pendingJobs());

        assertEquals(Long.MAX_VALUE, dispatcher.expire(System.nanoTime() + TimeUnit.SECONDS.toNanos(11)));
        assertEquals(ErrorVariable.TIMEOUT, errorIn(answers.get(1L)));
        assertArrayEquals(new byte[] {7}, answers.get(2L));
        assertEquals(ErrorVariable.TIMEOUT, errorIn(answers.get(3L)), "the job past the run of answered ids");
        assertEquals(0, dispatcher.pendingJobs());
    }

    @Test
    void theCapsAnswerOverloadedInsteadOfQueueing() throws Exception {
        Dispatcher perWorker = dispatcher(10_000, 1000, 2, 10_000);
        perWorker.add(readyChannel(0));
        for (long stream = 1; stream <= 3; stream++) {
            perWorker.submit(sink, stream, 1, MESSAGES, 0, MESSAGES.length, 1000);
        }
        assertNull(answers.get(2L));
        assertEquals(ErrorVariable.OVERLOADED, errorIn(answers.get(3L)), "the only worker holds its 2 jobs");

        Dispatcher global = dispatcher(10_000, 1000, 1000, 3);
        global.add(readyChannel(1));
        global.add(readyChannel(2));
        for (long stream = 11; stream <= 14; stream++) {
            global.submit(sink, stream, 1, MESSAGES, 0, MESSAGES.length, 1000);
        }
        assertNull(answers.get(13L));
        assertEquals(ErrorVariable.OVERLOADED, errorIn(answers.get(14L)), "3 jobs pending in all");
    }

    @Test
    void aHandlerPastItsDeadlineGetsNoNewJobAndIsKilledAfterTheGrace() throws Exception {
        Dispatcher dispatcher = dispatcher(100, 1000, 1000, 10_000);
        WorkerChannel runaway = readyChannel(0);
        WorkerChannel healthy = readyChannel(1);
        AtomicInteger kills = new AtomicInteger();
        runaway.killWith(kills::incrementAndGet);
        healthy.killWith(() -> { throw new AssertionError("the healthy worker is killed"); });
        dispatcher.add(runaway);
        dispatcher.add(healthy);
        dispatcher.submit(sink, 1, 1, MESSAGES, 0, MESSAGES.length, 1000);
        JobReader.Job job = jobsIn(runaway).get(0);
        WorkerStatus worker = WorkerStatus.open(runaway.queues());
        WorkerStatus.open(healthy.queues()).beat();
        worker.started(job.jobId(), job.deadlineNanos());
        long deadline = job.deadlineNanos();

        dispatcher.superviseWorkers(deadline - 1);
        assertTrue(runaway.takesJobs(), "before its deadline it is only busy");
        dispatcher.superviseWorkers(deadline + TimeUnit.MILLISECONDS.toNanos(500));
        assertFalse(runaway.takesJobs(), "late: no new job");
        assertEquals(0, kills.get(), "slow is not stuck: the grace period has not passed");
        dispatcher.submit(sink, 2, 1, MESSAGES, 0, MESSAGES.length, 1000);
        assertEquals(1, healthy.outstanding(), "the next job goes to the other worker");
        dispatcher.complete(healthy, jobsIn(healthy).get(0).jobId(), JobOutcome.ACTIONS, new byte[] {1}, 0, 1, System.nanoTime());

        dispatcher.superviseWorkers(deadline + TimeUnit.MILLISECONDS.toNanos(1500));
        assertEquals(1, kills.get());
        dispatcher.superviseWorkers(deadline + TimeUnit.MILLISECONDS.toNanos(2000));
        assertEquals(1, kills.get(), "killed once");
        assertFalse(runaway.takesJobs());
    }

    @Test
    void aWorkerHoldingJobsWhoseLoopStoppedTurningIsKilled() throws Exception {
        Dispatcher dispatcher = dispatcher(100, 1000, 1000, 10_000);
        WorkerChannel frozen = readyChannel(0);
        AtomicInteger kills = new AtomicInteger();
        frozen.killWith(kills::incrementAndGet);
        dispatcher.add(frozen);
        WorkerStatus.open(frozen.queues()).beat(); // then nothing: a SIGSTOPped process, say
        long beat = frozen.status().heartbeat();

        dispatcher.superviseWorkers(beat + TimeUnit.SECONDS.toNanos(1));
        assertEquals(0, kills.get(), "an idle worker owes no beat");
        dispatcher.submit(sink, 1, 1, MESSAGES, 0, MESSAGES.length, 1000);
        dispatcher.superviseWorkers(beat + TimeUnit.MILLISECONDS.toNanos(1900));
        dispatcher.superviseWorkers(beat + TimeUnit.MILLISECONDS.toNanos(2500));
        assertEquals(1, kills.get(), "holding a job, silent for more than timeout + grace");
    }

    @Test
    void noWorkerIsKilledRightAfterTheMachineStalled() throws Exception {
        Dispatcher dispatcher = dispatcher(100, 1000, 1000, 10_000);
        WorkerChannel channel = readyChannel(0);
        AtomicInteger kills = new AtomicInteger();
        channel.killWith(kills::incrementAndGet);
        dispatcher.add(channel);
        dispatcher.submit(sink, 1, 1, MESSAGES, 0, MESSAGES.length, 1000);
        JobReader.Job job = jobsIn(channel).get(0);
        WorkerStatus.open(channel.queues()).started(job.jobId(), job.deadlineNanos());

        long before = System.nanoTime();
        dispatcher.superviseWorkers(before);
        long thawed = before + TimeUnit.SECONDS.toNanos(5); // the front's previous turn was 5 s ago
        dispatcher.superviseWorkers(thawed);
        assertEquals(0, kills.get(), "every process stalled alike");
        assertFalse(channel.takesJobs(), "but it is late, so it gets no new job");
        dispatcher.superviseWorkers(thawed + TimeUnit.MILLISECONDS.toNanos(1100));
        assertEquals(1, kills.get(), "still running it a grace period later: killed");
    }

    @Test
    void aDeadWorkersJobsGoToAnotherWorkerWithTheirDeadline() throws Exception {
        Dispatcher dispatcher = dispatcher(10_000);
        WorkerChannel dying = readyChannel(0);
        dispatcher.add(dying);
        for (long stream = 1; stream <= 3; stream++) {
            dispatcher.submit(sink, stream, 1, new byte[] {(byte) stream}, 0, 1, 1000 + (int) stream);
        }
        List<JobReader.Job> sent = jobsIn(dying);
        dispatcher.complete(dying, sent.get(0).jobId(), JobOutcome.ACTIONS, new byte[] {7}, 0, 1, System.nanoTime()); // answered before it died
        WorkerChannel survivor = readyChannel(1);
        dispatcher.add(survivor);
        dies(dying);
        dispatcher.flush();

        assertEquals(1, answers.size(), "nothing answered but the job it finished");
        List<JobReader.Job> moved = jobsIn(survivor);
        assertEquals(2, moved.size());
        for (int i = 0; i < 2; i++) {
            JobReader.Job original = sent.get(i + 1);
            assertEquals(original.jobId(), moved.get(i).jobId());
            assertEquals(original.deadlineNanos(), moved.get(i).deadlineNanos(), "the same deadline: no extra time");
            assertEquals(original.maxAckPayload(), moved.get(i).maxAckPayload());
            assertArrayEquals(original.messages(), moved.get(i).messages());
        }
        assertEquals(2, survivor.outstanding());
        assertTrue(dispatcher.channels().equals(List.of(survivor)), "the front lets go of the dead incarnation");

        dispatcher.complete(survivor, moved.get(1).jobId(), JobOutcome.ACTIONS, new byte[] {8}, 0, 1, System.nanoTime());
        assertArrayEquals(new byte[] {8}, answers.get(3L), "the other worker's answer reaches the stream");
    }

    @Test
    void aJobRunningInTwoWorkersThatBothDiedIsNotTriedAgain() throws Exception {
        Dispatcher dispatcher = dispatcher(10_000);
        WorkerChannel first = readyChannel(0);
        dispatcher.add(first);
        dispatcher.submit(sink, 1, 1, MESSAGES, 0, MESSAGES.length, 1000); // the poison
        dispatcher.submit(sink, 2, 1, MESSAGES, 0, MESSAGES.length, 1000); // queued behind it
        long poison = jobsIn(first).get(0).jobId();
        WorkerStatus.open(first.queues()).started(poison, 0);

        WorkerChannel second = readyChannel(1);
        dispatcher.add(second);
        dies(first);
        dispatcher.flush();
        assertEquals(2, second.outstanding(), "one death: both are tried again");
        WorkerStatus.open(second.queues()).started(poison, 0);

        WorkerChannel third = readyChannel(2);
        dispatcher.add(third);
        dies(second);
        dispatcher.flush();
        assertEquals(ErrorVariable.WORKER_DIED, errorIn(answers.get(1L)), "two deaths while running it: poison");
        assertNull(answers.get(2L), "the job queued behind it never ran: it goes on");
        assertEquals(1, third.outstanding());
    }

    @Test
    void aDeadWorkersJobsGetWorkerDiedWhenNoOtherWorkerTakesThemOrTheirDeadlinePassed() throws Exception {
        Dispatcher dispatcher = dispatcher(10_000);
        WorkerChannel only = readyChannel(0);
        dispatcher.add(only);
        dispatcher.submit(sink, 1, 1, MESSAGES, 0, MESSAGES.length, 1000);
        dies(only);
        dispatcher.submit(sink, 7, 1, MESSAGES, 0, MESSAGES.length, 1000);
        assertEquals(ErrorVariable.OVERLOADED, errorIn(answers.get(7L)), "a gone worker takes no new job");
        dispatcher.flush();
        assertEquals(ErrorVariable.WORKER_DIED, errorIn(answers.get(1L)));
        assertTrue(dispatcher.channels().isEmpty(), "the front lets go of a retired worker");

        Dispatcher quick = dispatcher(1);
        WorkerChannel dying = readyChannel(1);
        quick.add(dying);
        quick.submit(sink, 9, 1, MESSAGES, 0, MESSAGES.length, 1000);
        Thread.sleep(5); // past the 1 ms deadline, not yet expired by the front
        quick.add(readyChannel(2));
        dies(dying);
        quick.flush();
        assertEquals(ErrorVariable.WORKER_DIED, errorIn(answers.get(9L)), "no time left to try elsewhere");
    }

    @Test
    void everyAnswerIsCountedUnderItsMessageAndReasonWhereItIsGiven() throws Exception {
        byte[] hello = {5, 'h', 'e', 'l', 'l', 'o', 0};
        Dispatcher dispatcher = dispatcher(1);
        dispatcher.submit(sink, 1, 1, hello, 0, hello.length, 1000); // no worker yet: overloaded
        WorkerChannel channel = readyChannel(0);
        dispatcher.add(channel);
        for (long stream = 2; stream <= 4; stream++) {
            dispatcher.submit(sink, stream, 1, hello, 0, hello.length, 1000);
        }
        MetricsSnapshot held = dispatcher.metrics().snapshot();
        assertEquals(3, held.jobsInFlight());
        assertEquals(3, held.workers().get(0).queueDepth());
        assertEquals(1, held.workersReady());
        assertEquals(Map.of("hello", 4L), held.notifiesByMessage());
        assertEquals(Map.of("hello", 1L), held.acksByMessage());

        dispatcher.complete(channel, 1, JobOutcome.ACTIONS, new byte[] {1}, 0, 1, System.nanoTime());
        dispatcher.complete(channel, 2, JobOutcome.HANDLER_ERROR, new byte[] {1}, 0, 1, System.nanoTime());
        dispatcher.expire(System.nanoTime() + TimeUnit.SECONDS.toNanos(1)); // the third times out
        dispatcher.complete(channel, 3, JobOutcome.ACTIONS, new byte[] {1}, 0, 1, System.nanoTime()); // late: dropped, not counted

        MetricsSnapshot done = dispatcher.metrics().snapshot();
        assertEquals(Map.of("hello", 4L), done.acksByMessage());
        assertEquals(4, done.ackLatency().count());
        assertEquals(1L, done.errorAcks().get(ErrorReason.OVERLOADED));
        assertEquals(1L, done.errorAcks().get(ErrorReason.HANDLER));
        assertEquals(1L, done.errorAcks().get(ErrorReason.TIMEOUT));
        assertEquals(3, done.errors());
        assertEquals(0, done.jobsInFlight());
        assertEquals(0, done.workers().get(0).queueDepth());
        assertEquals(3, done.workers().get(0).results(), "the late result too: the worker did the work");
    }
}
