package dev.spoa.e2e;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * systemd's side of sd_notify(3) for a test: a Unix datagram socket, bound to a path or to an
 * abstract name ('@...'), as NOTIFY_SOCKET names it, that collects what the agent sends. The JDK has
 * no Unix datagram channel, hence libc through JNA, as in the agent.
 */
final class NotifyReceiver implements AutoCloseable {
    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_DONTWAIT = 0x40;

    interface C extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        int bind(int fd, byte[] address, int addressLength) throws LastErrorException;

        /** No LastErrorException: -1 with EAGAIN only means nothing has come yet. */
        NativeLong recv(int fd, byte[] buffer, NativeLong length, int flags);

        int close(int fd);
    }

    private final C c;
    private final int fd;
    private final String name;
    private final List<String> received = new ArrayList<>();

    private NotifyReceiver(C c, int fd, String name) {
        this.c = c;
        this.fd = fd;
        this.name = name;
    }

    /** Binds a socket where {@code name} (NOTIFY_SOCKET's value: a path, or '@' and an abstract name) says. */
    static NotifyReceiver bind(String name) {
        C c = Native.load(Platform.C_LIBRARY_NAME, C.class);
        byte[] path = name.getBytes(StandardCharsets.UTF_8);
        boolean isAbstract = name.startsWith("@");
        ByteBuffer address = ByteBuffer.allocate(2 + path.length + (isAbstract ? 0 : 1)).order(ByteOrder.nativeOrder());
        address.putShort((short) AF_UNIX);
        if (isAbstract) {
            address.put((byte) 0).put(path, 1, path.length - 1);
        } else {
            address.put(path).put((byte) 0);
        }
        int fd = c.socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        try {
            c.bind(fd, address.array(), address.capacity());
        } catch (LastErrorException e) {
            c.close(fd);
            throw e;
        }
        return new NotifyReceiver(c, fd, name);
    }

    /**
     * The first message, from those not looked at yet, that {@code wanted} accepts; those before it
     * are kept in {@link #received()} and skipped.
     *
     * @param context what to add to the failure's message (the agent's log)
     * @throws AssertionError when none came within {@code timeout}
     */
    String await(Predicate<String> wanted, Duration timeout, String what, Supplier<String> context) throws InterruptedException {
        long giveUp = System.nanoTime() + timeout.toNanos();
        byte[] buffer = new byte[4096];
        while (System.nanoTime() - giveUp < 0) {
            int length = c.recv(fd, buffer, new NativeLong(buffer.length), MSG_DONTWAIT).intValue();
            if (length < 0) {
                Thread.sleep(20);
                continue;
            }
            String message = new String(buffer, 0, length, StandardCharsets.UTF_8);
            received.add(message);
            if (wanted.test(message)) {
                return message;
            }
        }
        throw new AssertionError("no " + what + " within " + timeout.toSeconds() + " s; received: " + received + "\n" + context.get());
    }

    /** Every message received so far, in order. */
    List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() throws IOException {
        c.close(fd);
        if (!name.startsWith("@")) {
            Files.deleteIfExists(Path.of(name));
        }
    }
}
