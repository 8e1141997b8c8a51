package dev.spoa.ipc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.function.BooleanSupplier;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * A 32-bit word in a small shared mapped file that a reader parks on and writers ring only while
 * the reader is parked, so a busy reader costs its writers no syscall at all.
 *
 * <p>The protocol is Dekker's: the reader stores {@code PARKED}, fences, then looks at its queue
 * once more before sleeping; a writer appends, fences, then reads the word. One of the two must see
 * the other's store, so either the reader finds the work or the writer sees {@code PARKED} and
 * wakes it (the futex sleep itself only starts if the word still says {@code PARKED}). A ringing
 * writer swaps {@code PARKED} back to {@code AWAKE} first, so when many writers ring one reader
 * (the front) only one of them pays the wake-up syscall.
 *
 * <p>Every sleep is bounded by a safety timeout (1 s by default) after which the reader looks
 * again on its own: a bug or a dead writer can then cost latency, never a stall. Only one thread
 * may {@code await} on an instance at a time; any number of threads and processes may ring.
 * {@code Thread.interrupt()} does not cut a sleep short (it sends no signal); it is noticed within
 * the safety timeout.
 */
public final class Doorbell implements AutoCloseable {

    private static final int AWAKE = 0;
    private static final int PARKED = 1;
    private static final int WORD_BYTES = 4;
    private static final VarHandle WORD =
            MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.nativeOrder());

    private final Path file;
    private final MappedByteBuffer word; // kept reachable: the parker holds its raw address
    private final Parker parker;
    private final long spinNanos;
    private final long safetyNanos;
    // Diagnostics, only written by the awaiting thread.
    private long parks;
    private long wakeupsBySafetyTimeout;
    // Checked before every use: a FIFO parker's descriptor number may be reused once closed.
    private volatile boolean closed;

    private Doorbell(Path file, MappedByteBuffer word, Parker parker, long spinNanos, long safetyNanos) {
        this.file = file;
        this.word = word;
        this.parker = parker;
        this.spinNanos = spinNanos;
        this.safetyNanos = safetyNanos;
    }

    /** Opens (creating if missing) the doorbell word in {@code file}, with the futex mechanism. */
    public static Doorbell open(Path file) {
        return open(file, Tuning.DEFAULT);
    }

    static Doorbell open(Path file, Tuning tuning) {
        MappedByteBuffer word;
        try (FileChannel channel = FileChannel.open(file,
                StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // Mapping past the end grows the file; a fresh file reads as zero, which is AWAKE.
            word = channel.map(FileChannel.MapMode.READ_WRITE, 0, WORD_BYTES);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map doorbell " + file, e);
        }
        long address = Pointer.nativeValue(Native.getDirectBufferPointer(word));
        Parker parker = tuning.doorbell().parker(file, address);
        return new Doorbell(file, word, parker, tuning.spinNanos(), tuning.safetyNanos());
    }

    /**
     * Returns when {@code ready} says there is work or {@code timeoutNanos} pass. Checks
     * {@code ready}, spins if so configured (not by default, see {@link Tuning}), announces the park,
     * checks {@code ready} again (so a ring is never lost), then sleeps until rung; a ring without
     * work sends it back to sleep. Pass the same {@code ready} instance every time: a method
     * reference written at the call site allocates on each call.
     *
     * @throws InterruptedException if the thread was interrupted (noticed between sleeps)
     */
    public void await(long timeoutNanos, BooleanSupplier ready) throws InterruptedException {
        checkOpen();
        if (ready.getAsBoolean()) {
            return;
        }
        long start = System.nanoTime();
        long spinEnd = start + Math.min(spinNanos, timeoutNanos);
        while (System.nanoTime() - spinEnd < 0) {
            Thread.onSpinWait();
            if (ready.getAsBoolean()) {
                return;
            }
        }
        long deadline = start + timeoutNanos;
        while (true) {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                return;
            }
            WORD.setVolatile(word, 0, PARKED);
            // StoreLoad: PARKED must be visible to writers before we read the queue (Dekker).
            VarHandle.fullFence();
            if (ready.getAsBoolean()) {
                WORD.setVolatile(word, 0, AWAKE);
                return;
            }
            parks++;
            boolean safetyBound = safetyNanos < remaining;
            long parkedAt = System.nanoTime();
            parker.park(PARKED, safetyBound ? safetyNanos : remaining);
            boolean rung = (int) WORD.getVolatile(word, 0) == AWAKE;
            // After a timeout the word still says PARKED: clear it so writers stop paying syscalls.
            WORD.setVolatile(word, 0, AWAKE);
            if (ready.getAsBoolean()) {
                if (!rung && safetyBound && System.nanoTime() - parkedAt >= safetyNanos) {
                    // Work waited and only the safety timeout woke us: a lost wake-up. (A park that
                    // ends early without a ring is not one: a FIFO can hold the byte of a ring whose
                    // reader had found its work without parking.)
                    wakeupsBySafetyTimeout++;
                }
                return;
            }
        }
    }

    /**
     * For a reader that waits elsewhere (in a selector, with a {@link DoorbellKind#SOCKET} bell):
     * announces the park and looks at {@code ready} once more, exactly as {@link #await} does.
     *
     * @return true if the reader may now sleep (it must call {@link #clearPark} when it wakes);
     *         false if work is there, the announcement withdrawn
     */
    public boolean announcePark(BooleanSupplier ready) {
        checkOpen();
        WORD.setVolatile(word, 0, PARKED);
        VarHandle.fullFence(); // StoreLoad, as in await
        if (ready.getAsBoolean()) {
            WORD.setVolatile(word, 0, AWAKE);
            return false;
        }
        parks++;
        return true;
    }

    /** The reader that {@link #announcePark announced a park} is awake: wakers stop paying for rings. */
    public void clearPark() {
        WORD.setVolatile(word, 0, AWAKE);
    }

    /**
     * Wakes the reader if it announced that it is parked; when it did not, costs a fence and a read.
     *
     * @return whether this call woke it
     */
    public boolean ring() {
        checkOpen();
        // StoreLoad: the caller's append must be visible before we read the word (Dekker).
        VarHandle.fullFence();
        if ((int) WORD.getVolatile(word, 0) == PARKED && WORD.compareAndSet(word, 0, PARKED, AWAKE)) {
            parker.unpark();
            return true;
        }
        return false;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /** How many times the awaiting thread went to sleep. */
    long parks() {
        return parks;
    }

    /** Sleeps ended by the safety timeout, not a ring, while work was waiting: lost wake-ups. */
    long wakeupsBySafetyTimeout() {
        return wakeupsBySafetyTimeout;
    }

    Path file() {
        return file;
    }

    /**
     * Releases the wake-up mechanism. The 4-byte mapping itself goes with the garbage collector: Java
     * has no supported way to unmap, and a page per worker incarnation is not worth a trick.
     */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            parker.close();
        }
    }

    @Override
    public String toString() {
        return "Doorbell " + file;
    }
}
