package dev.spoa.bench.load;

/** How NOTIFYs are paced: as fast as the ACKs come back, or at a fixed rate. */
public sealed interface Pacing {

    /** Closed loop: every ACK is replaced at once by a new NOTIFY on its connection. */
    record ClosedLoop() implements Pacing {
    }

    /**
     * Open loop: {@code perSecond} NOTIFYs a second in total, spread evenly over the connections,
     * each sent at its intended time (held back only by its connection's in-flight cap, its clock
     * running); latency counts from the intended time, so an agent's stall cannot hide its cost.
     */
    record FixedRate(int perSecond) implements Pacing {
        public FixedRate {
            if (perSecond <= 0) {
                throw new IllegalArgumentException("a rate is a positive number of NOTIFYs a second: " + perSecond);
            }
        }
    }
}
