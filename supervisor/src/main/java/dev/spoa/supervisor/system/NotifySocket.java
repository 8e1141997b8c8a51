package dev.spoa.supervisor.system;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.NativeLong;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * systemd's notification socket ($NOTIFY_SOCKET): a Unix datagram socket, named by a path or, when
 * the name starts with '@', in the abstract namespace. The JDK has no Unix datagram channel, so
 * each message is one socket(2) + sendto(2) + close(2) through libc, as sd_notify(3) does it; a
 * message is sent a few times a minute at most.
 */
final class NotifySocket {
    /** sizeof(sun_path) in struct sockaddr_un. */
    private static final int MAX_PATH = 108;
    /** offsetof(struct sockaddr_un, sun_path): the sa_family_t before it. */
    private static final int PATH_OFFSET = 2;

    private final LibC libc;
    private final String name;
    private final byte[] address;

    private NotifySocket(LibC libc, String name, byte[] address) {
        this.libc = libc;
        this.name = name;
        this.address = address;
    }

    /**
     * @param name NOTIFY_SOCKET's value
     * @throws IllegalArgumentException for a name this cannot reach (a relative path, or systemd's vsock: form)
     */
    static NotifySocket named(String name) {
        boolean isAbstract = name.startsWith("@");
        if (!isAbstract && !name.startsWith("/")) {
            throw new IllegalArgumentException("NOTIFY_SOCKET=" + name + " is neither an absolute path nor an abstract name (@...)");
        }
        byte[] path = name.getBytes(StandardCharsets.UTF_8);
        // A path ends with a NUL; an abstract name starts with one (in place of the '@') and has no end mark.
        int length = isAbstract ? path.length : path.length + 1;
        if (length > MAX_PATH) {
            throw new IllegalArgumentException("NOTIFY_SOCKET=" + name + " is longer than a Unix socket address");
        }
        ByteBuffer address = ByteBuffer.allocate(PATH_OFFSET + length).order(ByteOrder.nativeOrder());
        address.putShort((short) LibC.AF_UNIX);
        if (isAbstract) {
            address.put((byte) 0).put(path, 1, path.length - 1);
        } else {
            address.put(path).put((byte) 0);
        }
        return new NotifySocket(LibC.load(), name, address.array());
    }

    /** Sends one datagram: newline-separated assignments, as sd_notify(3) describes them. */
    void send(String message) throws LastErrorException {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        int fd = libc.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        try {
            libc.sendto(fd, bytes, new NativeLong(bytes.length), LibC.MSG_NOSIGNAL, address, address.length);
        } finally {
            libc.close(fd);
        }
    }

    /** CLOCK_MONOTONIC in microseconds, which systemd wants with RELOADING=1 (MONOTONIC_USEC=). */
    long monotonicMicros() {
        try (Memory timespec = new Memory(2L * NativeLong.SIZE)) {
            libc.clock_gettime(LibC.CLOCK_MONOTONIC, timespec);
            long seconds = timespec.getNativeLong(0).longValue();
            long nanos = timespec.getNativeLong(NativeLong.SIZE).longValue();
            return seconds * 1_000_000 + nanos / 1_000;
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
