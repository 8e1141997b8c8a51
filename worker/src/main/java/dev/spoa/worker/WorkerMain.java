package dev.spoa.worker;

import dev.spoa.ipc.JobReader;
import dev.spoa.ipc.NativeHeap;
import dev.spoa.ipc.ResultWriter;
import dev.spoa.ipc.RunDir;
import dev.spoa.ipc.WorkerQueues;
import dev.spoa.ipc.WorkerStatus;
import dev.spoa.protocol.Action;
import dev.spoa.protocol.ActionList;
import dev.spoa.protocol.FrameTooBigException;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.MessageList;
import dev.spoa.protocol.NameCache;
import dev.spoa.protocol.SpopException;
import dev.spoa.protocol.VarScope;
import dev.spoa.protocol.WireWriter;
import dev.spoa.worker.lua.LuaScriptHandler;
import dev.spoa.worker.lua.ScriptLoadException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;
import org.tinylog.configuration.Configuration;

/**
 * A worker process, started by the supervisor: takes jobs from its queue, runs the Lua handler on
 * each job's messages, and appends the encoded actions as the result. It tells the front it is
 * ready once its script is loaded, and dies with the front.
 */
public final class WorkerMain {
    private static final byte[] NOTHING = new byte[0];

    private final WorkerArguments arguments;
    private final MessageHandler handler;
    private final ErrorVariable errorVariable;
    private final NameCache names = new NameCache();
    private final List<Action> answer = new ArrayList<>();
    private byte[] payload = new byte[64 * 1024];
    private final WireWriter writer = new WireWriter(payload);
    /**
     * Freed when a handler exhausts the heap, so that answering its job and logging why have room
     * even when the handler left its garbage reachable (in a global). The answer is then one error
     * variable, written into the payload buffer there is, so this only has to hold a log line and a
     * few small objects. The JVM zeroes an array as it allocates it: all of it stays resident, and
     * 1 MB here was 1 MB of every worker's RSS.
     */
    private byte[] reserve = new byte[256 * 1024];
    private boolean outOfMemory;

    private WorkerMain(WorkerArguments arguments, MessageHandler handler) {
        this.arguments = arguments;
        this.handler = handler;
        this.errorVariable = new ErrorVariable(arguments.errorVariable(), VarScope.TXN);
    }

    public static void main(String[] args) {
        WorkerArguments arguments = WorkerArguments.parse(args);
        configureLogging(arguments.debug());
        if (!ParentWatch.dieWithParent(arguments.parentPid())) {
            Logger.error("the front (pid {}) is gone; stopping", arguments.parentPid());
            System.exit(1);
        }
        LuaScriptHandler handler;
        try {
            handler = LuaScriptHandler.load(arguments.script(), arguments.scriptOrigin(), arguments.lua());
            handler.start();
        } catch (ScriptLoadException e) {
            Logger.error("cannot load the script: {}", e.getMessage());
            System.exit(WorkerExit.CANNOT_START);
            return;
        }
        Logger.debug("loaded {}: messages {}", arguments.script(), handler.messages());
        if (handler.releaseCompiler()) {
            // The Lua compiler (LuaJC and BCEL, ~400 classes) is unreachable now that the script is
            // in: one full collection (~10 ms) unloads it before the first job, instead of whenever
            // the old generation next fills, which may be never.
            System.gc();
        }
        new WorkerMain(arguments, handler).run();
    }

    /**
     * tinylog's configuration freezes at the first log line: this goes in first. Everything goes to
     * stdout as "LEVEL message", the lines after an entry's first indented: the front reads the
     * pipe and logs each entry at its level, with the time and the worker's tag (WorkerOutput).
     */
    static void configureLogging(boolean debug) {
        Configuration.replace(Map.of(
                "writer", "console",
                "writer.stream", "out",
                "writer.format", "{level} {message|indent=2}",
                "level", debug ? "debug" : "info"));
    }

    private void run() {
        WorkerQueues queues = new WorkerQueues(arguments.runDir(), arguments.worker(), arguments.generation());
        Path frontDoorbell = RunDir.frontDoorbellFile(arguments.runDir());
        WorkerStatus status = WorkerStatus.open(queues);
        try (JobReader jobs = JobReader.open(queues); ResultWriter results = ResultWriter.open(queues, frontDoorbell)) {
            status.beat();
            results.append(0, JobOutcome.READY, NOTHING, 0, 0);
            results.flush();
            Logger.debug("ready on {}", queues);
            boolean unflushed = false;
            IdleTrims trims = new IdleTrims(System.nanoTime());
            while (true) {
                // While answers wait to be flushed, only look for more work without waiting: then flush
                // the whole batch with one wake-up of the front.
                JobReader.Job job = jobs.poll(unflushed ? 0 : 1, TimeUnit.SECONDS);
                if (job == null) {
                    status.beat(); // idle, or between batches: alive either way
                    if (unflushed) {
                        results.flush();
                        unflushed = false;
                        trims.worked(System.nanoTime());
                    } else if (trims.due(System.nanoTime())) {
                        // Hand back what the JIT's arenas left in the C heap.
                        NativeHeap.trim();
                    }
                    continue;
                }
                status.started(job.jobId(), job.deadlineNanos());
                int outcome = answer(job);
                results.append(job.jobId(), outcome, payload, 0, writer.position());
                status.finished();
                unflushed = true;
                if (outOfMemory) {
                    results.flush();
                    System.out.flush(); // the log line saying why, before the halt
                    // halt, not exit: shutdown hooks would need the memory the handler may still hold.
                    Runtime.getRuntime().halt(WorkerExit.OUT_OF_MEMORY);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a log line about a job starts with: the frame it answers, as the front's lines name it. */
    private static String origin(JobReader.Job job) {
        return "connection " + job.connection() + ": stream " + job.streamId() + " frame " + job.frameId() + " (job " + job.jobId() + ")";
    }

    /** Runs the handler on one job and leaves the encoded actions in {@code payload[0, writer.position())}. */
    private int answer(JobReader.Job job) {
        answer.clear();
        int outcome = JobOutcome.ACTIONS;
        try {
            List<Message> messages = MessageList.decode(job.messages(), 0, job.messages().length, names);
            HandlerOutcome result = handler.handle(messages);
            List<Action> actions = result.actions();
            for (int i = 0; i < actions.size(); i++) { // not addAll: it copies through toArray, an array per job
                answer.add(actions.get(i));
            }
            if (result.failed()) {
                Logger.warn("{}: {}", origin(job), result.failure());
                answer.add(errorVariable.set(ErrorVariable.HANDLER));
                outcome = JobOutcome.HANDLER_ERROR;
            }
        } catch (OutOfMemoryError e) {
            reserve = null;
            answer.clear();
            try {
                Logger.error("{}: the handler ran out of memory (the worker's heap is {} MB at most); answering with the error "
                        + "variable, then the worker is replaced", origin(job), Runtime.getRuntime().maxMemory() >> 20);
            } catch (OutOfMemoryError again) {
                // The answer matters more than the line; the worker's exit status still says why it went.
            }
            answer.add(errorVariable.set(ErrorVariable.HANDLER));
            outcome = JobOutcome.HANDLER_ERROR;
            outOfMemory = true;
        } catch (SpopException e) {
            // The front validated these bytes; if they still do not decode, it is a bug worth a loud line.
            Logger.error("{}: messages do not decode: {}", origin(job), e.getMessage());
            answer.add(errorVariable.set(ErrorVariable.HANDLER));
            outcome = JobOutcome.HANDLER_ERROR;
        }
        // Out of memory, the answer is the error variable alone: no larger buffer for it (there may be no room for one).
        if (payload.length < job.maxAckPayload() && !outOfMemory) {
            payload = new byte[job.maxAckPayload()];
        }
        writer.reset(payload, 0, Math.min(payload.length, job.maxAckPayload()));
        try {
            ActionList.encode(answer, writer);
        } catch (FrameTooBigException e) {
            Logger.warn("{}: the answer does not fit in the ACK ({} bytes at most); sending {}", origin(job),
                    job.maxAckPayload(), ErrorVariable.TOO_BIG);
            try {
                ActionList.encode(List.of(errorVariable.set(ErrorVariable.TOO_BIG)), writer);
            } catch (FrameTooBigException impossible) {
                throw new IllegalStateException("an ACK always has room for the error variable", impossible);
            }
            outcome = JobOutcome.TOO_BIG;
        }
        return outcome;
    }
}
