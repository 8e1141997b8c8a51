package dev.spoa.ipc;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.tinylog.Logger;

/**
 * The ringing half of a doorbell whose reader waits in a selector ({@link FrontBell}): a ring is
 * one byte on a Unix socket connection to it. The connection is made at the first ring, so a
 * process that never finds the reader parked (a training run) needs no listener; a failed ring
 * (the reader gone) is dropped and the next one connects again: the reader's selector timeout
 * bounds what a lost ring costs, as the safety timeout does for the other kinds.
 */
final class SocketRinger implements Parker {
    private final Path socket;
    private final ByteBuffer one = ByteBuffer.allocateDirect(1);
    private SocketChannel connection;
    private boolean warned;

    SocketRinger(Path socket) {
        this.socket = socket;
    }

    /** Never called: the reader of this kind waits in its selector, see {@link Doorbell#announcePark}. */
    @Override
    public void park(int parkedValue, long timeoutNanos) {
        throw new UnsupportedOperationException("a socket doorbell's reader waits in its selector, not in Doorbell.await");
    }

    @Override
    public synchronized void unpark() {
        // The wake-up is ours alone (the word is AWAKE again): a connection that broke since the
        // last ring (the front restarted its side, say) gets one fresh try before the ring is lost.
        for (int attempt = 1; attempt <= 2; attempt++) {
            if (tryRing(attempt == 2)) {
                return;
            }
        }
    }

    private boolean tryRing(boolean last) {
        try {
            if (connection == null) {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                try {
                    channel.connect(UnixDomainSocketAddress.of(socket));
                    channel.configureBlocking(false);
                } catch (IOException e) {
                    channel.close();
                    throw e;
                }
                connection = channel;
            }
            // 0 bytes written means the socket buffer is full of rings the reader has not read yet:
            // it is awake already.
            connection.write(one.clear());
            return true;
        } catch (IOException e) {
            if (last && !warned) {
                warned = true;
                Logger.warn("cannot ring {}: {}", socket, e.getMessage());
            }
            close();
            return false;
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (IOException e) {
                Logger.debug("closing {}: {}", socket, e.getMessage());
            }
            connection = null;
        }
    }

    @Override
    public String toString() {
        return "socket " + socket;
    }
}
