/**
 * The agent's log: where it goes ({@link dev.spoa.supervisor.logging.LogSettings}, set up by
 * {@link dev.spoa.supervisor.logging.LogSetup} before the first line) and how each line is written
 * ({@link dev.spoa.supervisor.logging.AgentLogWriter}: text or one JSON object per line, to the
 * console, a rotating file or syslog). Only the front writes it; the workers' lines reach it
 * through the front ({@code dev.spoa.supervisor.workers.WorkerOutput}), tagged with the worker.
 */
package dev.spoa.supervisor.logging;
