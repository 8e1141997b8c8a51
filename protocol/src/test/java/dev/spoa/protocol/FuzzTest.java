package dev.spoa.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Mutated and truncated vectors (fixed seed, a million inputs by default) through every decoding
 * path. Properties: nothing but SpopException escapes; the front's allocation-free
 * {@link MessageList#validate} accepts exactly what {@link MessageList#decode} accepts; the whole
 * run ends (no input makes a decoder loop); and memory follows the bytes received, never the
 * lengths they claim: one decode allocates at most {@value #BYTES_PER_INPUT_BYTE} bytes per input
 * byte plus {@value #FIXED_ALLOWANCE} (decoded values, and names: the JDK's UTF-8 decoding of
 * non-ASCII text costs up to ~3.7 bytes per byte), and never more than the max frame size.
 */
class FuzzTest {
    private static final int MAX = Vectors.HAPROXY_MAX_FRAME_SIZE;
    private static final int ITERATIONS = Integer.getInteger("spoa.fuzz.iterations", 1_000_000);
    private static final long SEED = 20261122L;
    private static final int BYTES_PER_INPUT_BYTE = 5;
    private static final int FIXED_ALLOWANCE = 4096; // an error: exception, detail message, context
    private static final int[] INTERESTING = {0x00, 0x01, 0x02, 0x03, 0x07, 0x08, 0x09, 0x0a, 0x0f, 0x11, 0x21, 0x65, 0x67,
        0x7f, 0x80, 0xef, 0xf0, 0xff};

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final byte[] haproxyHello = Vectors.resource("haproxy-hello.bin");
    private final byte[] agentHello = Vectors.resource("agent-hello.bin");
    private boolean warmedUp;
    private long maxAllocated;
    private double maxAllocatedPerInputByte;
    private int inputLength;
    private long decodes;
    private long accepted;

    @Test
    void mutatedVectorsOnlyEverRaiseSpopException() {
        List<byte[]> seeds = Vectors.all().stream().map(Vectors.Vector::bytes).toList();
        assertTrue(threads.isThreadAllocatedMemoryEnabled());
        assertTimeoutPreemptively(Duration.ofMinutes(5), () -> {
            // Class loading and lambda bootstrap allocate on first use: not the decoder's doing.
            for (byte[] seed : seeds) {
                inputLength = seed.length;
                decodeEveryWay(seed, 0);
            }
            warmedUp = true;
            SplittableRandom random = new SplittableRandom(SEED);
            for (int i = 0; i < ITERATIONS; i++) {
                byte[] input = mutate(seeds.get(random.nextInt(seeds.size())), random);
                inputLength = input.length;
                try {
                    decodeEveryWay(input, random.nextInt(Math.max(1, input.length)));
                } catch (Throwable t) {
                    throw new AssertionError("input #" + i + " (" + HexFormat.of().formatHex(input) + ")", t);
                }
            }
        });
        System.out.printf("fuzz: %,d inputs, %,d decodes (%,d accepted); one decode allocated at most %,d bytes,"
                + " and at most %.2f bytes per input byte beyond %d%n",
                ITERATIONS, decodes, accepted, maxAllocated, maxAllocatedPerInputByte, FIXED_ALLOWANCE);
        assertTrue(accepted > decodes / 50, "mutations reach valid frames too, not only the first check");
    }

    private void decodeEveryWay(byte[] input, int innerOffset) throws Exception {
        // 1. One frame read on its own, whatever its type.
        measure(() -> {
            FrameHeader header = FrameHeader.read(input, 0, input.length, MAX);
            if (header != null && header.type() != FrameType.UNKNOWN) {
                Frame frame = Frame.decode(header, input);
                if (frame instanceof HaproxyHello hello) {
                    Handshake.answer(hello, MAX);
                } else if (frame instanceof AgentHello hello) {
                    Handshake.accept(hello, MAX);
                }
            }
        });
        // 2. As the agent reads it, after a good HELLO; 3. as HAProxy reads it, after a good AGENT-HELLO.
        FrameDecoder agent = FrameDecoder.forAgent(MAX);
        agent.next(haproxyHello, 0, haproxyHello.length);
        measure(() -> receiveAll(agent, input));
        FrameDecoder haproxy = FrameDecoder.forHaproxy(MAX);
        haproxy.next(agentHello, 0, agentHello.length);
        measure(() -> receiveAll(haproxy, input));
        // 4. The payload parsers from an arbitrary offset, which reaches states framing alone would not.
        int length = input.length - innerOffset;
        measure(() -> KvList.decode(input, innerOffset, length));
        measure(() -> ActionList.decode(input, innerOffset, length));
        checkValidateAgreesWithDecode(input, innerOffset, length);
    }

    private static void receiveAll(FrameDecoder decoder, byte[] input) throws SpopException {
        int pos = 0;
        FrameHeader header;
        while ((header = decoder.next(input, pos, input.length - pos)) != null) {
            if (header.type() == FrameType.NOTIFY) {
                decoder.validateNotify(header, input);
            }
            if (header.type() != FrameType.UNKNOWN) {
                decoder.decode(header, input);
            }
            pos = header.end();
        }
    }

    private void checkValidateAgreesWithDecode(byte[] input, int offset, int length) throws Exception {
        int validated;
        try {
            validated = MessageList.validate(input, offset, length);
        } catch (SpopException e) {
            validated = -1;
        }
        int[] decoded = {-1};
        measure(() -> decoded[0] = MessageList.decode(input, offset, length).size());
        assertEquals(validated, decoded[0], "validate and decode disagree");
    }

    @FunctionalInterface
    private interface Decoding {
        void run() throws Exception;
    }

    private void measure(Decoding decoding) throws Exception {
        long allocated = allocatedBy(decoding);
        long bound = Math.min(MAX, (long) BYTES_PER_INPUT_BYTE * inputLength + FIXED_ALLOWANCE);
        if (allocated > bound) {
            // The first pass through an error path links its string concatenation and loads
            // classes; the decode itself is deterministic, so a second run shows its own cost.
            allocated = allocatedBy(decoding);
            if (allocated > bound) {
                fail("one decode of " + inputLength + " bytes allocated " + allocated + " bytes (bound " + bound + ")");
            }
        }
        decodes++;
        if (warmedUp) {
            maxAllocated = Math.max(maxAllocated, allocated);
            maxAllocatedPerInputByte = Math.max(maxAllocatedPerInputByte,
                    (double) Math.max(0, allocated - FIXED_ALLOWANCE) / Math.max(1, inputLength));
        }
    }

    private long allocatedBy(Decoding decoding) throws Exception {
        long before = threads.getCurrentThreadAllocatedBytes();
        try {
            decoding.run();
            accepted++;
        } catch (SpopException expected) {
            // The one error type the codec may raise.
        }
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    static byte[] mutate(byte[] seed, SplittableRandom random) {
        byte[] bytes = seed;
        int operations = 1 + random.nextInt(4);
        for (int op = 0; op < operations; op++) {
            bytes = mutateOnce(bytes, random);
        }
        if (bytes.length >= 4 && random.nextInt(4) != 0) {
            // Keep the length prefix true most of the time, so the damage is found by the payload parsers.
            int frameLength = bytes.length - 4;
            bytes[0] = (byte) (frameLength >>> 24);
            bytes[1] = (byte) (frameLength >>> 16);
            bytes[2] = (byte) (frameLength >>> 8);
            bytes[3] = (byte) frameLength;
        }
        return bytes;
    }

    private static byte[] mutateOnce(byte[] in, SplittableRandom random) {
        if (in.length == 0) {
            return new byte[] {(byte) random.nextInt(256)};
        }
        byte[] out = in.clone();
        int at = random.nextInt(out.length);
        switch (random.nextInt(8)) {
            case 0:
                out[at] ^= (byte) (1 << random.nextInt(8));
                return out;
            case 1:
                out[at] = (byte) random.nextInt(256);
                return out;
            case 2:
                out[at] = (byte) INTERESTING[random.nextInt(INTERESTING.length)];
                return out;
            case 3:
                return Arrays.copyOf(out, at);
            case 4: {
                byte[] inserted = new byte[1 + random.nextInt(16)];
                for (int i = 0; i < inserted.length; i++) {
                    inserted[i] = (byte) (random.nextBoolean() ? random.nextInt(256) : INTERESTING[random.nextInt(INTERESTING.length)]);
                }
                return splice(out, at, 0, inserted);
            }
            case 5:
                return splice(out, at, 1 + random.nextInt(Math.min(32, out.length - at)), new byte[0]);
            case 6: {
                int from = random.nextInt(out.length);
                int length = 1 + random.nextInt(Math.min(64, out.length - from));
                return splice(out, at, 0, Arrays.copyOfRange(out, from, from + length));
            }
            default: {
                // A long varint: 0xff then continuation bytes, to push lengths and ids towards 2^64.
                int length = Math.min(out.length - at, 1 + random.nextInt(11));
                for (int i = 0; i < length; i++) {
                    out[at + i] = (byte) (i == 0 ? 0xff : i == length - 1 ? random.nextInt(128) : 0x80 | random.nextInt(128));
                }
                return out;
            }
        }
    }

    private static byte[] splice(byte[] in, int at, int removed, byte[] inserted) {
        byte[] out = new byte[in.length - removed + inserted.length];
        System.arraycopy(in, 0, out, 0, at);
        System.arraycopy(inserted, 0, out, at, inserted.length);
        System.arraycopy(in, at + removed, out, at + inserted.length, in.length - at - removed);
        return out;
    }
}
