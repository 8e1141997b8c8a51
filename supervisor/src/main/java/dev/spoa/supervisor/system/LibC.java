package dev.spoa.supervisor.system;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Platform;
import com.sun.jna.Pointer;

/**
 * The libc calls of this package, through a JNA interface: none is on the request path, so the
 * convenience of interface mapping (errno as {@link LastErrorException}) beats direct mapping's
 * speed. uid_t and gid_t are 32-bit, so {@code int}; -1 means "unchanged" to chown(2). size_t and
 * ssize_t are {@link NativeLong}.
 */
interface LibC extends Library {
    int AF_UNIX = 1;
    int SOCK_DGRAM = 2;
    int SOCK_CLOEXEC = 0x80000;
    /** sendto(2) to a socket whose reader is gone must not raise SIGPIPE. */
    int MSG_NOSIGNAL = 0x4000;
    int CLOCK_MONOTONIC = 1;
    int PR_SET_DUMPABLE = 4;

    static LibC load() {
        return Native.load(Platform.C_LIBRARY_NAME, LibC.class);
    }

    int getuid();

    int geteuid();

    int getgid();

    int getegid();

    int getresuid(int[] real, int[] effective, int[] saved) throws LastErrorException;

    int getresgid(int[] real, int[] effective, int[] saved) throws LastErrorException;

    /** A {@code struct passwd *} in libc's static buffer, or null when there is no such user. */
    Pointer getpwnam(String name);

    /** A {@code struct group *} in libc's static buffer, or null when there is no such group. */
    Pointer getgrnam(String name);

    Pointer getgrgid(int gid);

    int initgroups(String user, int group) throws LastErrorException;

    int setgid(int gid) throws LastErrorException;

    int setuid(int uid) throws LastErrorException;

    int prctl(int option, long arg2, long arg3, long arg4, long arg5) throws LastErrorException;

    int chown(String path, int owner, int group) throws LastErrorException;

    int chmod(String path, int mode) throws LastErrorException;

    int kill(int pid, int signal) throws LastErrorException;

    int socket(int domain, int type, int protocol) throws LastErrorException;

    NativeLong sendto(int fd, byte[] buffer, NativeLong length, int flags, byte[] address, int addressLength)
            throws LastErrorException;

    int close(int fd);

    int clock_gettime(int clock, Pointer timespec) throws LastErrorException;
}
