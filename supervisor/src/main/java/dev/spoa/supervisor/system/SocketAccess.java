package dev.spoa.supervisor.system;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the Unix socket's file gets right after it is bound, each only when asked for: a mode
 * ({@code --unix-mode}, e.g. 660) and a group ({@code --unix-group}, e.g. haproxy's), so that
 * HAProxy may connect and nobody else. Connecting to a Unix socket takes write permission on it.
 */
public record SocketAccess(OptionalInt mode, Optional<Group> group) {
    /** Nothing asked: the socket keeps the mode the umask gave it. */
    public static final SocketAccess AS_CREATED = new SocketAccess(OptionalInt.empty(), Optional.empty());

    public SocketAccess {
        if (mode.isPresent() && (mode.getAsInt() < 0 || mode.getAsInt() > 0777)) {
            throw new IllegalArgumentException("--unix-mode takes permission bits, 0 to 777 in octal: " + Integer.toOctalString(mode.getAsInt()));
        }
    }

    /**
     * An octal mode as chmod(1) takes it ("660", "0660").
     *
     * @throws IllegalArgumentException when it is not octal permission bits
     */
    public static int parseMode(String octal) {
        if (!octal.matches("0?[0-7]{1,3}")) {
            throw new IllegalArgumentException("--unix-mode takes octal permission bits such as 660: " + octal);
        }
        return Integer.parseInt(octal, 8);
    }

    public boolean asCreated() {
        return mode.isEmpty() && group.isEmpty();
    }
}
