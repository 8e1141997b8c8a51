package dev.spoa.supervisor.dispatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.ipc.JobReader;
import dev.spoa.ipc.RunDir;
import dev.spoa.ipc.WorkerQueues;
import dev.spoa.protocol.ActionList;
import dev.spoa.protocol.TypedData;
import dev.spoa.worker.ErrorVariable;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing and the error answers, over real queues in a temporary run dir. */
class DispatcherTest {
    private static final ErrorVariable ERROR = new ErrorVariable();
    private static final byte[] MESSAGES = {1, 2, 3};

    private RunDir runDir;
    private final Map<Long, byte[]> answers = new ConcurrentHashMap<>();
    private final AckSink sink = new AckSink() {
        @Override
        public void deliver(long streamId, long frameId, byte[] actions) {
            answers.put(streamId, actions);
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

    private WorkerChannel readyChannel(int worker) {
        WorkerQueues queues = runDir.workerQueues(worker, 0);
        queues.create();
        WorkerChannel channel = new WorkerChannel(queues);
        channel.markReady();
        return channel;
    }

    private static String errorIn(byte[] actions) throws Exception {
        var action = (dev.spoa.protocol.Action.SetVar) ActionList.decode(actions, 0, actions.length).get(0);
        assertEquals(ERROR.name(), action.name());
        return ((TypedData.Text) action.value()).asString();
    }

    @Test
    void noReadyWorkerIsAnsweredOverloadedAtOnce() throws Exception {
        Dispatcher dispatcher = new Dispatcher(TimeUnit.SECONDS.toNanos(1), ERROR);
        dispatcher.submit(sink, 1, 1, MESSAGES, 0, MESSAGES.length, 1000);
        assertEquals(ErrorVariable.OVERLOADED, errorIn(answers.get(1L)));
        assertEquals(0, dispatcher.pendingJobs());
    }

    @Test
    void jobsGoToTheLeastBusyWorkerAndResultsBackToTheirStream() throws Exception {
        Dispatcher dispatcher = new Dispatcher(TimeUnit.SECONDS.toNanos(10), ERROR);
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
            dispatcher.complete(first, job.jobId(), actions, 0, 2);
            assertEquals(1, first.outstanding());
            assertEquals(1, answers.size());
            assertArrayEquals(actions, answers.values().iterator().next());
        }
    }

    @Test
    void pastTheDeadlineTheErrorVariableAnswersAndTheLateResultIsDropped() throws Exception {
        Dispatcher dispatcher = new Dispatcher(TimeUnit.MILLISECONDS.toNanos(1), ERROR);
        WorkerChannel channel = readyChannel(0);
        dispatcher.add(channel);
        dispatcher.submit(sink, 5, 2, MESSAGES, 0, MESSAGES.length, 1000);
        long next = dispatcher.expire(System.nanoTime() + TimeUnit.SECONDS.toNanos(1));
        assertEquals(Long.MAX_VALUE, next);
        assertEquals(ErrorVariable.TIMEOUT, errorIn(answers.get(5L)));
        assertEquals(1, channel.outstanding(), "the worker still holds the job");
        dispatcher.complete(channel, 1, new byte[] {1}, 0, 1);
        assertEquals(ErrorVariable.TIMEOUT, errorIn(answers.get(5L)), "the late result changes nothing");
        assertEquals(0, channel.outstanding());
        assertEquals(0, dispatcher.pendingJobs());
    }

    @Test
    void aWorkerThatReturnsNothingPastTimeoutAndGraceIsKilledAndTakesNoMoreJobs() throws Exception {
        Dispatcher dispatcher = new Dispatcher(TimeUnit.MILLISECONDS.toNanos(100), ERROR);
        WorkerChannel stuck = readyChannel(0);
        java.util.concurrent.atomic.AtomicInteger kills = new java.util.concurrent.atomic.AtomicInteger();
        stuck.killWith(kills::incrementAndGet);
        dispatcher.add(stuck);
        dispatcher.submit(sink, 1, 1, MESSAGES, 0, MESSAGES.length, 1000);
        long now = System.nanoTime();
        dispatcher.killStuckWorkers(now + TimeUnit.MILLISECONDS.toNanos(500));
        assertEquals(0, kills.get(), "slow is not stuck: the grace period has not passed");
        dispatcher.killStuckWorkers(now + TimeUnit.SECONDS.toNanos(2));
        assertEquals(1, kills.get());
        dispatcher.killStuckWorkers(now + TimeUnit.SECONDS.toNanos(3));
        assertEquals(1, kills.get(), "killed once");
        dispatcher.submit(sink, 3, 1, MESSAGES, 0, MESSAGES.length, 1000);
        assertEquals(ErrorVariable.OVERLOADED, errorIn(answers.get(3L)), "a stuck worker takes no new job");
    }

    @Test
    void aGoneWorkersJobsAreAnsweredWorkerDied() throws Exception {
        Dispatcher dispatcher = new Dispatcher(TimeUnit.SECONDS.toNanos(10), ERROR);
        WorkerChannel channel = readyChannel(0);
        dispatcher.add(channel);
        dispatcher.submit(sink, 1, 1, MESSAGES, 0, MESSAGES.length, 1000);
        dispatcher.submit(sink, 3, 1, MESSAGES, 0, MESSAGES.length, 1000);
        channel.markGone();
        dispatcher.retire(channel);
        channel.retired.complete(null);
        assertEquals(ErrorVariable.WORKER_DIED, errorIn(answers.get(1L)));
        assertEquals(ErrorVariable.WORKER_DIED, errorIn(answers.get(3L)));
        dispatcher.submit(sink, 7, 1, MESSAGES, 0, MESSAGES.length, 1000);
        assertEquals(ErrorVariable.OVERLOADED, errorIn(answers.get(7L)), "a gone worker takes no new job");
        dispatcher.flush();
        assertTrue(dispatcher.channels().isEmpty(), "the front lets go of a retired worker");
        channel.results().close();
    }
}
