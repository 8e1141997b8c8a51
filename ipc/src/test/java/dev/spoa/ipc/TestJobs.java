package dev.spoa.ipc;

/** The deterministic jobs the round-trip tests send: every field and byte derived from the job id. */
final class TestJobs {

    static final int MAX_MESSAGES = 300;

    private TestJobs() {
    }

    static long deadline(long jobId) {
        return jobId * 1_000_003L ^ 0x5DEECE66DL;
    }

    static int maxAck(long jobId) {
        return (int) (jobId % 16_380) + 4;
    }

    /** Writes the messages of {@code jobId} into {@code buf} from 0; returns their length (0..300). */
    static int messages(long jobId, byte[] buf) {
        int length = (int) (jobId % (MAX_MESSAGES + 1));
        for (int i = 0; i < length; i++) {
            buf[i] = (byte) (jobId * 131 + i * 7);
        }
        return length;
    }

    static byte[] messages(long jobId) {
        byte[] buf = new byte[MAX_MESSAGES];
        return java.util.Arrays.copyOf(buf, messages(jobId, buf));
    }
}
