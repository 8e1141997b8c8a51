package dev.spoa.supervisor;

import dev.spoa.ipc.JobWriter;
import dev.spoa.protocol.Handshake;
import dev.spoa.supervisor.system.RunAs;
import dev.spoa.supervisor.system.SocketAccess;
import dev.spoa.worker.ErrorVariable;
import dev.spoa.worker.lua.LuaSettings;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Everything the agent is configured with, in one place, checked once. Built from the command line by
 * {@link StartCommand}; the front, the dispatcher and the worker pool read it and nothing else.
 *
 * @param tcp              where to listen on TCP, if anywhere
 * @param unixSocket       where to listen on a Unix socket, if anywhere
 * @param workers          how many worker processes
 * @param script           the Lua script every worker runs
 * @param maxFrameSize     our max-frame-size; HAProxy's value is echoed when it is smaller
 * @param maxInFlightPerConnection NOTIFYs a connection may have waiting for their ACK before we stop reading it
 * @param jobTimeout       how long a job may take before the front answers it with the error variable
 * @param killGrace        how long past a job's deadline a worker may still run it before it is killed
 * @param maxPerWorker     jobs one worker may hold; when every worker holds that many, new ones get {@code overloaded}
 * @param maxPending       jobs all workers together may hold; past that, new ones get {@code overloaded}
 * @param busyPoll         how long the front keeps polling for the next request after the last one before it sleeps; zero sleeps at once
 * @param errorVariable    the variable set when no handler result can be given
 * @param runDir           where the queues live: a fresh directory is made below it (default /dev/shm, else the temp dir)
 * @param cacheDir         where the workers' class-data-sharing archive is kept between starts, if anywhere
 * @param debug            debug logging
 * @param pidFile          where to write the agent's pid once it serves, if anywhere (for stop, reload and status)
 * @param metrics          where to serve the metrics over HTTP (Prometheus' text format at /metrics), if anywhere
 * @param runAs            the user (and group) to become once the sockets are bound, if any
 * @param unixSocketAccess the mode and group the Unix socket gets right after it is bound
 * @param lua              how workers run the script
 */
public record AgentConfig(
        Optional<InetSocketAddress> tcp,
        Optional<Path> unixSocket,
        int workers,
        Path script,
        int maxFrameSize,
        int maxInFlightPerConnection,
        Duration jobTimeout,
        Duration killGrace,
        int maxPerWorker,
        int maxPending,
        Duration busyPoll,
        ErrorVariable errorVariable,
        Optional<Path> runDir,
        Optional<Path> cacheDir,
        boolean debug,
        Optional<InetSocketAddress> metrics,
        Optional<RunAs> runAs,
        SocketAccess unixSocketAccess,
        Optional<Path> pidFile,
        Lua lua) {

    /** A second: polling longer than that between requests is a core burnt for no latency anyone measures. */
    public static final Duration MAX_BUSY_POLL = Duration.ofSeconds(1);

    /** What a worker's heap is limited to unless --worker-heap says otherwise. */
    public static final int DEFAULT_WORKER_HEAP_MB = 128;

    /**
     * How the workers run the script.
     *
     * @param modulePath     absolute directories and templates where require looks (--lua-path)
     * @param sandbox        --lua-sandbox
     * @param compile        LuaJC, unless --lua-interpreter
     * @param workerHeapMb   each worker JVM's -Xmx, in MB
     */
    public record Lua(List<String> modulePath, boolean sandbox, boolean compile, int workerHeapMb) {
        public Lua {
            modulePath = List.copyOf(modulePath);
            if (workerHeapMb < 16 || workerHeapMb > 65_536) {
                throw new IllegalArgumentException("--worker-heap must be between 16 and 65536 (MB): " + workerHeapMb);
            }
        }

        /** No module path, no sandbox, compiled, the default heap. */
        public static Lua defaults() {
            return new Lua(List.of(), false, true, DEFAULT_WORKER_HEAP_MB);
        }
    }

    /** What worker {@code worker} runs the script with; worker 0's for the front's own check of the script. */
    public LuaSettings luaSettings(int worker) {
        return new LuaSettings(worker, workers, lua.modulePath(), lua.sandbox(), lua.compile());
    }

    /** A NOTIFY's messages travel to a worker as one queue record: no frame may be larger. */
    public static final int LARGEST_FRAME_SIZE = JobWriter.MAX_LENGTH;

    public AgentConfig {
        if (tcp.isEmpty() && unixSocket.isEmpty()) {
            throw new IllegalArgumentException("nothing to listen on: give a TCP port or a Unix socket");
        }
        if (unixSocket.isEmpty() && !unixSocketAccess.asCreated()) {
            throw new IllegalArgumentException("--unix-mode and --unix-group are for the Unix socket: give --unix PATH too");
        }
        if (workers < 1 || workers > 256) {
            throw new IllegalArgumentException("workers must be between 1 and 256: " + workers);
        }
        if (maxFrameSize < Handshake.MIN_FRAME_SIZE || maxFrameSize > LARGEST_FRAME_SIZE) {
            throw new IllegalArgumentException("max-frame-size must be between " + Handshake.MIN_FRAME_SIZE + " and "
                    + LARGEST_FRAME_SIZE + ": " + maxFrameSize);
        }
        if (maxInFlightPerConnection < 1) {
            throw new IllegalArgumentException("max in-flight per connection must be at least 1: " + maxInFlightPerConnection);
        }
        if (jobTimeout.isNegative() || jobTimeout.isZero()) {
            throw new IllegalArgumentException("job timeout must be positive: " + jobTimeout);
        }
        if (killGrace.isNegative()) {
            throw new IllegalArgumentException("the kill grace cannot be negative: " + killGrace);
        }
        if (busyPoll.isNegative() || busyPoll.compareTo(MAX_BUSY_POLL) > 0) {
            throw new IllegalArgumentException("--busy-poll must be between 0 and " + MAX_BUSY_POLL.toNanos() / 1000
                    + " microseconds: " + busyPoll.toNanos() / 1000);
        }
        if (maxPerWorker < 1 || maxPending < 1) {
            throw new IllegalArgumentException("job caps must be at least 1: " + maxPerWorker + " per worker, " + maxPending + " in all");
        }
    }
}
