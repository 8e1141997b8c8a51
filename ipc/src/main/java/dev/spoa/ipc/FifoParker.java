package dev.spoa.ipc;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Parks in poll() on a named pipe and is woken by one byte written into it: the classic
 * alternative to a futex, kept to measure the two against each other (see the benchmark).
 *
 * <p>Every side opens the pipe O_RDWR, eagerly: a FIFO opened for writing with O_NONBLOCK fails
 * while nobody has it open for reading, so a reader opening it lazily could miss a ring sent
 * between its announcing the park and its opening the pipe. Holding both ends also means a
 * departed peer never turns the pipe into an endless end-of-file.
 */
final class FifoParker implements Parker {

    private final Path fifo;
    private final int fd;
    // [0, 8): struct pollfd {int fd; short events; short revents;}; [8, 64): bytes drained or written.
    private final ByteBuffer scratch = ByteBuffer.allocateDirect(64).order(ByteOrder.nativeOrder());
    private final long scratchAddress = Pointer.nativeValue(Native.getDirectBufferPointer(scratch));

    private FifoParker(Path fifo, int fd) {
        this.fifo = fifo;
        this.fd = fd;
        scratch.putInt(0, fd);
        scratch.putShort(4, LibC.POLLIN);
        scratch.put(8, (byte) 1);
    }

    static FifoParker open(Path fifo) {
        String path = fifo.toString();
        // Creating it from both sides is fine: the loser of the race gets EEXIST and uses the winner's.
        if (LibC.mkfifo(path, 0600) != 0 && !Files.exists(fifo)) {
            throw new UncheckedIOException(new IOException("mkfifo failed: " + fifo));
        }
        if (Files.isRegularFile(fifo) || Files.isDirectory(fifo)) {
            throw new UncheckedIOException(new IOException("not a FIFO: " + fifo));
        }
        int fd = LibC.open(path, LibC.O_RDWR | LibC.O_NONBLOCK | LibC.O_CLOEXEC);
        if (fd < 0) {
            throw new UncheckedIOException(new IOException("cannot open FIFO " + fifo));
        }
        return new FifoParker(fifo, fd);
    }

    @Override
    public void park(int parkedValue, long timeoutNanos) {
        // poll() counts in milliseconds: round up so that a short timeout still sleeps.
        long millis = Math.min(Integer.MAX_VALUE, (timeoutNanos + 999_999) / 1_000_000);
        scratch.putShort(6, (short) 0);
        if (LibC.poll(scratchAddress, 1, (int) millis) > 0) {
            // Drain what accumulated (one byte per ring that found us parked); a leftover byte only
            // causes one spurious return later.
            LibC.read(fd, scratchAddress + 8, 56);
        }
    }

    @Override
    public void unpark() {
        // EAGAIN when the pipe is full: then the reader has bytes to wake on already.
        LibC.write(fd, scratchAddress + 8, 1);
    }

    @Override
    public void close() {
        LibC.close(fd);
    }

    @Override
    public String toString() {
        return "FIFO " + fifo;
    }
}
