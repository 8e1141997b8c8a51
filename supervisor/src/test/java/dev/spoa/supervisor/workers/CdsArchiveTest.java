package dev.spoa.supervisor.workers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.ipc.JobWriter;
import dev.spoa.ipc.ResultReader;
import dev.spoa.ipc.WorkerQueues;
import dev.spoa.ipc.WorkerStatus;
import dev.spoa.protocol.Action;
import dev.spoa.protocol.ActionList;
import dev.spoa.protocol.Argument;
import dev.spoa.protocol.FrameHeader;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.Notify;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import dev.spoa.protocol.WireWriter;
import dev.spoa.supervisor.TestConfigs;
import dev.spoa.worker.JobOutcome;
import java.io.File;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole chain with real JVMs: the training run, the dump and the check give an archive, and a
 * worker started with it (and -Xshare:on, so that it fails rather than start without it) says READY
 * and answers a job, with nothing on its output but its own lines.
 */
class CdsArchiveTest {
    private static final Duration WAIT = Duration.ofSeconds(120); // three JVMs on a machine that may freeze for seconds

    /** This JVM's class path without its directories (target/classes): an archive needs jars. */
    private static String jars() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> entry.endsWith(".jar"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    @Test
    void aWorkerStartedWithTheArchiveServes(@TempDir Path dir) throws Exception {
        Path script = dir.resolve("echo.lua");
        Files.writeString(script, """
                spoa.register_message("echo", function(args)
                  spoa.set_var_str("said", spoa.scope.txn, args.what)
                end)
                """);
        Path runDir = Files.createDirectories(dir.resolve("run"));
        WorkerCommand command = new WorkerCommand(TestConfigs.parse("-f", script.toString()), runDir, jars());

        Path archive;
        try (CdsArchive build = CdsArchive.build(command, runDir, script, Optional.empty())) {
            archive = build.result().get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
        }
        assertTrue(Files.size(archive) > 0);
        try (var left = Files.list(archive.getParent())) {
            assertEquals(List.of(archive), left.toList(), "only the archive stays");
        }
        command.useArchive(archive);

        WorkerQueues queues = new WorkerQueues(runDir, 0, 0);
        queues.create();
        WorkerStatus.create(queues);
        List<String> line = new ArrayList<>(command.forWorker(0, 0, script));
        assertTrue(line.contains("-XX:SharedArchiveFile=" + archive), line.toString());
        line.add(1, "-Xshare:on");
        Path output = dir.resolve("worker.out");
        Process worker = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try (JobWriter jobs = JobWriter.open(queues); ResultReader results = ResultReader.open(queues)) {
            assertEquals(JobOutcome.READY, next(results, worker, output).outcome());

            byte[] frame = new byte[256];
            WireWriter writer = new WireWriter(frame);
            new Notify(1, 1, List.of(new Message("echo", List.of(new Argument("what", TypedData.Text.of("hello"))))))
                    .encode(writer, frame.length);
            FrameHeader header = FrameHeader.read(frame, 0, writer.position(), frame.length);
            jobs.append(7, System.nanoTime() + WAIT.toNanos(), 1024, frame, header.payloadOffset(), header.payloadLength());
            jobs.flush();

            Result answer = next(results, worker, output);
            assertEquals(7, answer.jobId());
            assertEquals(JobOutcome.ACTIONS, answer.outcome());
            assertEquals(List.<Action>of(new Action.SetVar(VarScope.TXN, "said", TypedData.Text.of("hello"))),
                    ActionList.decode(answer.payload(), 0, answer.payload().length));
        } finally {
            worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
        String printed = Files.readString(output);
        assertFalse(printed.contains("[warning]") || printed.contains("[error]") || printed.toLowerCase().contains("shared archive"),
                "the JVM said something about the archive:\n" + printed);
    }

    @Test
    void aKeptArchiveIsCheckedNotBuiltAgainAndOneThatNoLongerMapsIsReplaced(@TempDir Path dir) throws Exception {
        Setup setup = Setup.in(dir, "echo.lua", "spoa.register_message('echo', function(args) end)");
        ArchiveCache cache = ArchiveCache.open(dir.resolve("cache"), setup.runDir(), setup.command().archiveKey()).orElseThrow();

        Path built = archive(setup.command(), setup.runDir(), setup.script(), cache);
        assertEquals(cache.archive(setup.command().archiveKey()), built);
        Object file = Files.readAttributes(built, BasicFileAttributes.class).fileKey(); // device and inode
        try (var left = Files.list(cache.dir())) {
            assertEquals(List.of(built), left.toList(), "no part left");
        }
        try (var left = Files.list(setup.runDir().resolve("cds"))) {
            assertEquals(List.of(), left.toList(), "nothing of the build left in the run dir");
        }

        Files.setLastModifiedTime(built, FileTime.fromMillis(0));
        assertEquals(built, archive(setup.command(), setup.runDir(), setup.script(), cache));
        assertEquals(file, Files.readAttributes(built, BasicFileAttributes.class).fileKey(), "the same file, not a new one");
        assertTrue(Files.getLastModifiedTime(built).toMillis() > 0, "marked as used");

        // Cut short (a disk that filled up, say): the check fails, and a new one is built in its place.
        Files.setPosixFilePermissions(built, PosixFilePermissions.fromString("rw-------"));
        try (var channel = FileChannel.open(built, StandardOpenOption.WRITE)) {
            channel.truncate(Files.size(built) / 2);
        }
        assertEquals(built, archive(setup.command(), setup.runDir(), setup.script(), cache));
        assertNotEquals(file, Files.readAttributes(built, BasicFileAttributes.class).fileKey());
        Process check = new ProcessBuilder(setup.command().forArchiveCheck(built)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("check.out").toFile()).start();
        assertTrue(check.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertEquals(0, check.exitValue(), Files.readString(dir.resolve("check.out")));
    }

    /** A script of this text, a run dir and the command of workers running it, in {@code dir}. */
    private record Setup(Path script, Path runDir, WorkerCommand command) {
        static Setup in(Path dir, String name, String lua) throws IOException {
            Path script = Files.writeString(dir.resolve(name), lua);
            Path runDir = Files.createDirectories(dir.resolve("run"));
            return new Setup(script, runDir, new WorkerCommand(TestConfigs.parse("-f", script.toString()), runDir, jars()));
        }
    }

    private static Path archive(WorkerCommand command, Path runDir, Path script, ArchiveCache cache) throws Exception {
        try (CdsArchive build = CdsArchive.build(command, runDir, script, Optional.of(cache))) {
            return build.result().get(WAIT.toSeconds() * 3, TimeUnit.SECONDS);
        }
    }

    @Test
    void aWorkersOwnClassLoaderNeverLoadsTheLuaCompiler(@TempDir Path dir) throws Exception {
        // The training run starts a worker as the agent does, and lists every class the JVM's own
        // loaders load: luaj's runtime is there, LuaJC and BCEL are not (their loader goes once the
        // script is compiled, see dev.spoa.worker.lua.jc), nor their lambdas once the list is
        // cleaned for the dump.
        Path script = dir.resolve("compiled.lua");
        Files.writeString(script, """
                local function twice(x) return x * 2 end
                spoa.register_message("m", function(args) spoa.set_var_int32("n", spoa.scope.txn, twice(21)) end)
                """);
        Path runDir = Files.createDirectories(dir.resolve("run"));
        Path trainingDir = Files.createDirectories(dir.resolve("training"));
        Path classList = dir.resolve("worker.classlist");
        WorkerCommand command = new WorkerCommand(TestConfigs.parse("-f", script.toString()), runDir, jars());
        Process training = new ProcessBuilder(command.forTraining(script, trainingDir, classList)).redirectErrorStream(true)
                .redirectOutput(dir.resolve("training.out").toFile()).start();
        assertTrue(training.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS), "the training run ended");
        assertEquals(0, training.exitValue(), Files.readString(dir.resolve("training.out")));
        String classes = String.join("\n", CdsArchive.listedCallersOnly(Files.readAllLines(classList)));
        assertTrue(classes.contains("org/luaj/vm2/LuaValue"), "luaj's runtime is listed");
        assertTrue(classes.contains("dev/spoa/worker/lua/jc/ChunkClassLoader"), "the script was compiled");
        assertFalse(classes.contains("org/apache/bcel/"), "BCEL in the workers' own loader");
        assertFalse(classes.contains("org/luaj/vm2/luajc/"), "LuaJC in the workers' own loader");
        assertFalse(classes.contains("org/apache/commons/"), "BCEL's libraries in the workers' own loader");
    }

    @Test
    void lambdasOfUnlistedClassesAreDropped() {
        List<String> list = List.of("java/lang/Object id: 0", "# a comment", "dev/spoa/A",
                "@lambda-proxy dev/spoa/A apply ()Ljava/util/function/Function; x",
                "@lambda-proxy org/apache/bcel/generic/Type get ()Ljava/util/function/Supplier; y",
                "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L_L");
        assertEquals(List.of("java/lang/Object id: 0", "# a comment", "dev/spoa/A", "@lambda-proxy dev/spoa/A apply ()Ljava/util/function/Function; x",
                "@lambda-form-invoker [LF_RESOLVE] java.lang.invoke.DirectMethodHandle$Holder invokeStatic L_L"),
                CdsArchive.listedCallersOnly(list));
    }

    @Test
    void aFailedBuildLeavesWorkersAsTheyWere(@TempDir Path dir) throws Exception {
        Setup setup = Setup.in(dir, "broken.lua", "this is not Lua");
        try (CdsArchive build = CdsArchive.build(setup.command(), setup.runDir(), setup.script(), Optional.empty())) {
            build.result().handle((archive, failure) -> null).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertTrue(build.result().isCompletedExceptionally());
        }
        assertTrue(setup.command().forWorker(0, 0, setup.script()).stream().noneMatch(argument -> argument.startsWith("-XX:SharedArchiveFile")));
    }

    private record Result(long jobId, int outcome, byte[] payload) {
    }

    /** The next result, waiting in seconds; fails early if the worker died. */
    private static Result next(ResultReader results, Process worker, Path output) throws Exception {
        List<Result> got = new ArrayList<>();
        long giveUp = System.nanoTime() + WAIT.toNanos();
        while (got.isEmpty()) {
            if (results.drain((jobId, outcome, buf, offset, length) ->
                    got.add(new Result(jobId, outcome, Arrays.copyOfRange(buf, offset, offset + length))), 1) == 0) {
                if (!worker.isAlive()) {
                    throw new AssertionError("the worker exited with status " + worker.exitValue() + ":\n" + Files.readString(output));
                }
                if (System.nanoTime() - giveUp > 0) {
                    throw new AssertionError("no result within " + WAIT.toSeconds() + " s:\n" + Files.readString(output));
                }
                Thread.sleep(10);
            }
        }
        return got.get(0);
    }
}
