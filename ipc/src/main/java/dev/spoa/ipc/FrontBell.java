package dev.spoa.ipc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;

/**
 * The front's doorbell, for a front that waits for its sockets and its workers' results in one
 * selector: every worker rings it after appending results (see {@link ResultWriter#flush}), and
 * a ring is a byte on the worker's Unix socket connection to this listener, which the selector
 * sees. As with every doorbell, workers ring only while the front has announced that it is about
 * to sleep ({@link #mayWait}), and only the first of them pays the write.
 *
 * <p>A result thread parked on a futex would need a hop more: it wakes, then wakes the selector,
 * two context switches per batch of results instead of one.
 */
public final class FrontBell implements AutoCloseable {
    private final Doorbell word;
    private final Path socket;
    private final ServerSocketChannel listener;
    private final ByteBuffer discarded = ByteBuffer.allocateDirect(64);

    private FrontBell(Doorbell word, Path socket, ServerSocketChannel listener) {
        this.word = word;
        this.socket = socket;
        this.listener = listener;
    }

    /** The front, once the run dir exists: maps the doorbell word and listens next to it. */
    public static FrontBell open(RunDir runDir) throws IOException {
        Path file = runDir.frontDoorbellFile();
        Path socket = DoorbellKind.socketOf(file);
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            listener.bind(UnixDomainSocketAddress.of(socket));
            listener.configureBlocking(false);
            return new FrontBell(Doorbell.open(file, Tuning.DEFAULT.withDoorbell(DoorbellKind.SOCKET)), socket, listener);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /** To register with the front's selector for OP_ACCEPT: each worker connects once. */
    public ServerSocketChannel listener() {
        return listener;
    }

    /** A worker's connection, non-blocking, to register for OP_READ; null if none was waiting. */
    public SocketChannel accept() throws IOException {
        SocketChannel ringer = listener.accept();
        if (ringer != null) {
            ringer.configureBlocking(false);
        }
        return ringer;
    }

    /**
     * Reads and drops what a worker's connection holds: rings carry no data.
     *
     * @return false once the worker closed it (it exited): the caller closes it too
     */
    public boolean discardRings(SocketChannel ringer) throws IOException {
        int read;
        do {
            read = ringer.read(discarded.clear());
        } while (read > 0);
        return read == 0;
    }

    /**
     * Announces that the front is about to sleep in its selector, then looks at {@code results}
     * once more (Dekker's protocol, see {@link Doorbell}).
     *
     * @return true if it may sleep, in which case it calls {@link #awake} once the selector returns;
     *         false if results are there
     */
    public boolean mayWait(BooleanSupplier results) {
        return word.announcePark(results);
    }

    /** The selector returned: workers stop ringing until the next {@link #mayWait}. */
    public void awake() {
        word.clearPark();
    }

    @Override
    public void close() {
        try (word; listener) {
            Files.deleteIfExists(socket);
        } catch (IOException e) {
            // The run dir goes right after, with the socket file in it.
        }
    }

    @Override
    public String toString() {
        return "FrontBell " + socket;
    }
}
