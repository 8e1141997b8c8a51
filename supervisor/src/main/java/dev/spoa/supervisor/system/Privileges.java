package dev.spoa.supervisor.system;

import com.sun.jna.LastErrorException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.tinylog.Logger;

/**
 * Root only for as long as binding takes: the agent binds its sockets as root (a port below 1024),
 * gives the Unix socket its owner and mode, then becomes {@code --user} for good, before it makes its
 * run dir, runs the script's top level, reads a frame or starts a worker. So the run dir and every
 * file in it belong to that user, and the workers, started after the drop, run as that user.
 *
 * <p>The drop is initgroups, setgid, setuid through libc: glibc applies each to every thread of the
 * process (it signals the others to make the same call), and the JVM's threads are all started by
 * then. It is checked, not trusted: every id of every thread (real, effective, saved, filesystem)
 * must be the user's, and setuid(0) must fail.
 *
 * <p>Not root and asked for the user it already is (systemd's {@code User=} with the same flags, say):
 * there is nothing to drop, and that is fine. Not root and asked for another user: an error, since
 * only root can become someone else.
 */
public final class Privileges {
    private final LibC libc;
    /** Empty: nothing to drop (not root, or root and not asked to). */
    private final Optional<RunAs> dropTo;

    private Privileges(LibC libc, Optional<RunAs> dropTo) {
        this.libc = libc;
        this.dropTo = dropTo;
    }

    /**
     * Decides what {@link #drop} will do, before anything is bound.
     *
     * @throws PrivilegeException when {@code --user} names another user and this process is not root
     */
    public static Privileges check(Optional<RunAs> runAs) throws PrivilegeException {
        LibC libc = LibC.load();
        boolean root = libc.geteuid() == 0;
        if (runAs.isEmpty()) {
            return new Privileges(libc, Optional.empty());
        }
        RunAs wanted = runAs.get();
        if (root) {
            return new Privileges(libc, runAs);
        }
        if (libc.getuid() == wanted.uid() && libc.geteuid() == wanted.uid() && libc.getgid() == wanted.group().gid()
                && libc.getegid() == wanted.group().gid()) {
            Logger.debug("running as {} already: nothing to drop", wanted);
            return new Privileges(libc, Optional.empty());
        }
        throw new PrivilegeException("--user " + wanted.user() + ": only root can switch to another user (this is uid "
                + libc.geteuid() + "); start as root, or as " + wanted.user() + " itself");
    }

    /**
     * Still as root, right after the bind: the Unix socket's file gets the user as owner (when there is
     * one to drop to), the group asked for (else that user's group) and the mode asked for.
     */
    public void secureSocket(Path socket, SocketAccess access) throws PrivilegeException {
        int owner = dropTo.map(RunAs::uid).orElse(-1);
        int group = access.group().map(Group::gid).orElse(dropTo.map(to -> to.group().gid()).orElse(-1));
        String path = socket.toString();
        try {
            if (owner != -1 || group != -1) {
                libc.chown(path, owner, group);
            }
            if (access.mode().isPresent()) {
                libc.chmod(path, access.mode().getAsInt());
            }
        } catch (LastErrorException e) {
            throw new PrivilegeException("cannot set the owner or mode of " + socket + ": " + reason(e));
        }
        if (!access.asCreated() || dropTo.isPresent()) {
            Logger.info("unix socket {}: owner {}, group {}, mode {}", socket,
                    dropTo.map(RunAs::user).orElse("unchanged"),
                    access.group().map(Group::name).or(() -> dropTo.map(to -> to.group().name())).orElse("unchanged"),
                    access.mode().isPresent() ? Integer.toOctalString(access.mode().getAsInt()) : "unchanged");
        }
    }

    /**
     * One WARN line when the agent runs as root, once it has started (a start that fails says only
     * why): every worker, and so every Lua handler, runs as root too.
     */
    public void warnIfRoot() {
        if (libc.geteuid() == 0) {
            Logger.warn("running as root: the workers and their Lua handlers run as root too; give --user NAME "
                    + "(or User= in the systemd unit)");
        }
    }

    /** The user the agent runs as from {@link #drop} on; empty when nothing is dropped. */
    public Optional<RunAs> runAs() {
        return dropTo;
    }

    /** Becomes the user for good (nothing when there is nothing to drop), and checks every thread did. */
    public void drop() throws PrivilegeException {
        if (dropTo.isEmpty()) {
            return;
        }
        RunAs to = dropTo.get();
        int gid = to.group().gid();
        // Groups first, user last: once the uid is not 0, the groups can no longer be changed.
        try {
            libc.initgroups(to.user(), gid);
        } catch (LastErrorException e) {
            throw new PrivilegeException("cannot take the groups of user " + to.user() + ": " + reason(e));
        }
        try {
            libc.setgid(gid);
        } catch (LastErrorException e) {
            throw new PrivilegeException("cannot switch to group " + to.group().name() + ": " + reason(e));
        }
        try {
            libc.setuid(to.uid());
        } catch (LastErrorException e) {
            throw new PrivilegeException("cannot switch to user " + to.user() + ": " + reason(e));
        }
        verify(to);
        // The kernel marks a process that changed its ids as not dumpable: its /proc files become
        // root's, and the user it now is can neither run jcmd or jstack on it nor get a core dump. It
        // holds nothing of root's worth hiding from that user, who runs its workers anyway.
        try {
            libc.prctl(LibC.PR_SET_DUMPABLE, 1, 0, 0, 0);
        } catch (LastErrorException e) {
            Logger.debug("cannot mark the process dumpable again: {}", reason(e));
        }
        Logger.info("running as {} from now on", to);
    }

    private void verify(RunAs to) throws PrivilegeException {
        int[] real = new int[1];
        int[] effective = new int[1];
        int[] saved = new int[1];
        libc.getresuid(real, effective, saved);
        if (real[0] != to.uid() || effective[0] != to.uid() || saved[0] != to.uid()) {
            throw new PrivilegeException("the switch to user " + to.user() + " did not take: uids " + real[0] + ", "
                    + effective[0] + ", " + saved[0]);
        }
        libc.getresgid(real, effective, saved);
        int gid = to.group().gid();
        if (real[0] != gid || effective[0] != gid || saved[0] != gid) {
            throw new PrivilegeException("the switch to group " + to.group().name() + " did not take: gids " + real[0] + ", "
                    + effective[0] + ", " + saved[0]);
        }
        try {
            libc.setuid(0);
            throw new PrivilegeException("root could be taken back after switching to user " + to.user());
        } catch (LastErrorException expected) {
            // EPERM: root is gone for good.
        }
        List<String> rootThreads = threadsWithRootIds();
        if (!rootThreads.isEmpty()) {
            throw new PrivilegeException("threads still running as root after switching to user " + to.user() + ": "
                    + String.join(", ", rootThreads));
        }
    }

    /**
     * The threads of this process with a uid or gid of 0 (real, effective, saved or filesystem), by
     * reading each one's /proc status: what the kernel says, whatever libc did.
     */
    static List<String> threadsWithRootIds() {
        List<String> rootThreads = new ArrayList<>();
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path task : tasks) {
                List<String> lines;
                try {
                    lines = Files.readAllLines(task.resolve("status"));
                } catch (IOException ended) {
                    continue; // the thread ended meanwhile (ENOENT or ESRCH)
                }
                String name = "?";
                boolean root = false;
                for (String line : lines) {
                    if (line.startsWith("Name:")) {
                        name = line.substring("Name:".length()).strip();
                    } else if (line.startsWith("Uid:") || line.startsWith("Gid:")) {
                        for (String id : line.substring(4).strip().split("\\s+")) {
                            root |= id.equals("0");
                        }
                    }
                }
                if (root) {
                    rootThreads.add(task.getFileName() + " (" + name + ")");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /proc/self/task", e);
        }
        return rootThreads;
    }

    /** JNA's message for an errno is "[13] Permission denied": the text is what an operator wants. */
    static String reason(LastErrorException e) {
        String message = e.getMessage();
        int end = message == null ? -1 : message.indexOf("] ");
        return end < 0 ? "errno " + e.getErrorCode() : message.substring(end + 2);
    }
}
