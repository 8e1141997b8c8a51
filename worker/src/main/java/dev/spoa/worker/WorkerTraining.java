package dev.spoa.worker;

import dev.spoa.ipc.JobReader;
import dev.spoa.ipc.JobWriter;
import dev.spoa.ipc.ResultReader;
import dev.spoa.ipc.ResultWriter;
import dev.spoa.ipc.RunDir;
import dev.spoa.ipc.WorkerQueues;
import dev.spoa.ipc.WorkerStatus;
import dev.spoa.protocol.Action;
import dev.spoa.protocol.ActionList;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.FrameHeader;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.MessageList;
import dev.spoa.protocol.Notify;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import dev.spoa.protocol.WireWriter;
import dev.spoa.worker.lua.LuaScriptHandler;
import dev.spoa.worker.lua.ScriptLoadException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tinylog.Logger;

/**
 * A rehearsal of a worker's start, run once at agent start so that the JVM records which classes
 * a worker loads (the supervisor dumps them into a class-data-sharing archive: workers started
 * later skip most of their class loading). Takes a worker's command line, whose run dir is a
 * throwaway one, and goes through what {@link WorkerMain} does: tinylog, the parent watch, the
 * operator's script loaded (its top level runs, as in every worker), the queues opened from both
 * ends, READY, one job through decode, handler and encode, its result read back. The operator's
 * handler functions are never called (they may have side effects): the job goes to a handler of
 * our own. Exits with status 0 when all went through, 1 otherwise.
 */
public final class WorkerTraining {
    private static final String MESSAGE = "spoa-training";
    /** Calls every setter of the spoa table, so that the handler path's classes are loaded too. */
    private static final String SCRIPT = """
            spoa.register_message("%s", function(args, name)
              spoa.set_var_str("name", spoa.scope.txn, name)
              for _, arg in ipairs(args) do
                spoa.set_var_str("arg_" .. arg.name, spoa.scope.txn, tostring(arg.value))
              end
              spoa.set_var_null("null", spoa.scope.sess)
              spoa.set_var_boolean("bool", spoa.scope.req, args.ok)
              spoa.set_var_int32("int32", spoa.scope.res, -1)
              spoa.set_var_uint32("uint32", spoa.scope.proc, 1)
              spoa.set_var_int64("int64", spoa.scope.txn, args.n)
              spoa.set_var_uint64("uint64", spoa.scope.txn, "18446744073709551615")
              spoa.set_var_ipv4("ipv4", spoa.scope.txn, args.ip)
              spoa.set_var_ipv6("ipv6", spoa.scope.txn, "2001:db8::1")
              spoa.set_var_bin("bin", spoa.scope.txn, string.rep("x", 3))
              spoa.unset_var("gone", spoa.scope.txn)
              -- The libraries' classes too (their first call in a worker would load them otherwise).
              local doc = json.decode(json.encode({ list = json.array({ 1, "x" }), null = json.null }))
              spoa.set_var_str("lib", spoa.scope.txn, crypto.sha256(base64.decode(base64.encode(doc.list[2])))
                .. crypto.hmac("sha1", "k", "v") .. tostring(re.match("a1", "[0-9]")) .. (re.gsub("ab", "b", "c"))
                .. time.format(time.parse("2024-01-02", "%%Y-%%m-%%d"), "%%F") .. tostring(net.ip_in(args.ip, "192.0.2.0/24"))
                .. string.iconv("x", "UTF-8", "ISO-8859-1") .. tostring(time.now() > 0))
              os.usleep(1)
            end)
            """.formatted(MESSAGE);

    private WorkerTraining() {
    }

    public static void main(String[] args) {
        WorkerArguments arguments = WorkerArguments.parse(args);
        WorkerMain.configureLogging(arguments.debug()); // as a worker: the same logging classes load
        if (!ParentWatch.dieWithParent(arguments.parentPid())) {
            Logger.error("the front (pid {}) is gone; stopping", arguments.parentPid());
            System.exit(1);
        }
        int status = 0;
        try {
            rehearse(arguments);
        } catch (ScriptLoadException e) {
            Logger.error("cannot load the script: {}", e.getMessage());
            status = 1;
        } catch (Exception | LinkageError e) {
            Logger.error(e, "the rehearsal of a worker's start failed");
            status = 1;
        }
        // Not a return: Chronicle may leave non-daemon threads behind, and the recording ends with the JVM.
        System.exit(status);
    }

    private static void rehearse(WorkerArguments arguments) throws Exception {
        // Loaded, never run: its classes belong in the archive as well.
        Logger.debug("rehearsing the start of {}", WorkerMain.class.getName());
        LuaScriptHandler operators = LuaScriptHandler.load(arguments.script(), arguments.scriptOrigin(), arguments.lua());
        Path dir = arguments.runDir();
        Path script = dir.resolve("training.lua");
        Files.writeString(script, SCRIPT, StandardCharsets.UTF_8);
        LuaScriptHandler ours = LuaScriptHandler.load(script);
        Logger.debug("operator's script {} loaded (messages {}); the job goes to {}", arguments.script(), operators.messages(), MESSAGE);

        WorkerQueues queues = new WorkerQueues(dir, arguments.worker(), arguments.generation());
        queues.create();
        WorkerStatus.create(queues);
        WorkerStatus status = WorkerStatus.open(queues);
        try (JobReader jobs = JobReader.open(queues);
                ResultWriter results = ResultWriter.open(queues, RunDir.frontDoorbellFile(dir));
                JobWriter front = JobWriter.open(queues);
                ResultReader answers = ResultReader.open(queues)) {
            status.beat();
            results.append(0, JobOutcome.READY, new byte[0], 0, 0);
            results.flush();

            byte[] frame = new byte[4096];
            WireWriter frameWriter = new WireWriter(frame);
            new Notify(1, 1, List.of(new Message(MESSAGE, List.of(
                    new Argument("ip", TypedData.Ipv4.parse("192.0.2.1")),
                    new Argument("n", new TypedData.Int64(42)),
                    new Argument("ok", new TypedData.Bool(true)),
                    new Argument("host", TypedData.Text.of("example.com")))))).encode(frameWriter, frame.length);
            FrameHeader header = FrameHeader.read(frame, 0, frameWriter.position(), frame.length);
            front.append(1, System.nanoTime() + TimeUnit.SECONDS.toNanos(10), 16 * 1024, frame, header.payloadOffset(),
                    header.payloadLength());
            front.flush();

            JobReader.Job job = jobs.poll(10, TimeUnit.SECONDS);
            if (job == null) {
                throw new IllegalStateException("the job did not come through the queue");
            }
            status.started(job.jobId(), job.deadlineNanos());
            List<Message> messages = MessageList.decode(job.messages(), 0, job.messages().length);
            HandlerOutcome outcome = ours.handle(messages);
            if (outcome.failed()) {
                throw new IllegalStateException("the training handler failed: " + outcome.failure());
            }
            List<Action> answer = new ArrayList<>(outcome.actions());
            answer.add(new ErrorVariable(arguments.errorVariable(), VarScope.TXN).set(ErrorVariable.HANDLER));
            WireWriter writer = new WireWriter(new byte[job.maxAckPayload()]);
            ActionList.encode(answer, writer);
            results.append(job.jobId(), JobOutcome.ACTIONS, writer.buffer(), 0, writer.position());
            status.finished();
            results.flush();

            int[] seen = new int[1];
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (seen[0] < 2) { // READY and the answer
                if (answers.drain((jobId, result, buf, offset, length) -> seen[0]++, 16) == 0) {
                    if (System.nanoTime() - giveUp > 0) {
                        throw new IllegalStateException("the results did not come back through the queue");
                    }
                    Thread.sleep(1);
                }
            }
        }
        queues.delete();
    }
}
