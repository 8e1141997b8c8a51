package dev.spoa.bench;

import dev.spoa.bench.load.Endpoint;
import java.util.Optional;

/**
 * An agent the bench drives: a label for the output, where it listens, and, when its process is
 * known (the front; its children are its workers), the reader of its CPU and memory figures.
 */
record Target(String label, Endpoint endpoint, Optional<ProcessStats> stats) {
}
