/**
 * Job and result queues between the front and its worker processes.
 *
 * <p>Per worker incarnation, two Chronicle queues on /dev/shm ({@link dev.spoa.ipc.WorkerQueues}):
 * jobs (written by the front, read by the worker) and results (the reverse), each with exactly one
 * writer and one reader, in a fresh directory per incarnation so nothing of a dead worker is ever
 * replayed. Records are raw bytes, no self-describing wire; the front appends from and drains into
 * its own arrays without allocating per record.
 *
 * <p>Readers never spin on the queue: they park on a {@link dev.spoa.ipc.Doorbell} (a futex on a
 * word in a shared mapped file) that writers ring once per batch, and only when the reader said it
 * is parked, so a busy pipeline makes no syscalls for wake-ups. Each worker parks on its own; the
 * front waits in its selector, for its sockets and for the one bell every worker rings, with a byte
 * on a Unix socket ({@link dev.spoa.ipc.FrontBell}) instead of a futex.
 *
 * <p>Disk is memory here, so a queue's writer rolls to a new cycle file once the current one holds
 * 1 MiB ({@code CycleClock}; at most once per two-second {@code IpcRollCycle}) and each reader
 * deletes the cycles it has moved past ({@code ConsumedCycles}). By size, not by time: rolled by
 * time, every queue rolled in the same instant, a stall of tens of milliseconds every two seconds.
 *
 * <p>Figures (IpcBenchmark, 2-core VM, 200-byte jobs, one worker process): idle ~0.4 % of a core
 * per process; round trip p50 ~47 µs at 1,000 jobs/s and ~36 µs at 10,000 jobs/s; saturation
 * ~0.8-1.3 M round trips/s with 4,096 in flight.
 */
package dev.spoa.ipc;
