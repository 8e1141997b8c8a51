package dev.spoa.bench;

import java.util.Locale;

/** How figures read in the bench's output: short, with units, three significant digits at most where that is all they are worth. */
final class Units {
    static final double MB = 1024 * 1024;

    private Units() {
    }

    /** 212345.6 as "212,346". */
    static String count(double value) {
        return String.format(Locale.ROOT, "%,d", Math.round(value));
    }

    /** Nanoseconds as "8.4us", "536us", "1.86ms", "18.6ms", "186ms", "1.23s". */
    static String latency(long nanos) {
        double micros = nanos / 1e3;
        if (micros < 10) {
            return String.format(Locale.ROOT, "%.1fus", micros);
        }
        if (micros < 999.5) {
            return String.format(Locale.ROOT, "%.0fus", micros);
        }
        double millis = nanos / 1e6;
        if (millis < 9.995) {
            return String.format(Locale.ROOT, "%.2fms", millis);
        }
        if (millis < 99.95) {
            return String.format(Locale.ROOT, "%.1fms", millis);
        }
        if (millis < 999.5) {
            return String.format(Locale.ROOT, "%.0fms", millis);
        }
        return String.format(Locale.ROOT, "%.2fs", nanos / 1e9);
    }

    /** A percentage of one core: "0.25%", "4.2%", "98%". */
    static String cpu(double percent) {
        if (percent < 1) {
            return String.format(Locale.ROOT, "%.2f%%", percent);
        }
        if (percent < 10) {
            return String.format(Locale.ROOT, "%.1f%%", percent);
        }
        return String.format(Locale.ROOT, "%.0f%%", percent);
    }

    /** Bytes as "140MB" (MB = 2^20 bytes, as ps and top count), "?" when unknown. */
    static String megabytes(long bytes) {
        return bytes < 0 ? "?" : String.format(Locale.ROOT, "%.0fMB", bytes / MB);
    }

    /** A ratio as "0.11", "3.4", "12". */
    static String ratio(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "-";
        }
        return value < 10 ? String.format(Locale.ROOT, "%.2f", value) : String.format(Locale.ROOT, "%.0f", value);
    }
}
