package dev.spoa.supervisor.system;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.Optional;

/**
 * The user and group the agent runs as once its sockets are bound ({@code --user}, {@code --group}),
 * resolved when the flags are read, so that a name that does not exist is a bad flag.
 */
public record RunAs(String user, int uid, Group group) {

    /**
     * @param group the group to run as; the user's primary group when empty
     * @throws IllegalArgumentException when the user or the group does not exist, or the user is root
     */
    public static RunAs lookUp(String user, Optional<String> group) {
        Pointer entry = LibC.load().getpwnam(user);
        if (entry == null) {
            throw new IllegalArgumentException("--user: no such user: " + user);
        }
        // struct passwd starts with two pointers (pw_name, pw_passwd), then pw_uid and pw_gid.
        int uid = entry.getInt(2L * Native.POINTER_SIZE);
        int primaryGid = entry.getInt(2L * Native.POINTER_SIZE + 4);
        if (uid == 0) {
            throw new IllegalArgumentException("--user " + user + " is root: give the unprivileged user the agent should run as");
        }
        Group runGroup;
        try {
            runGroup = group.isPresent() ? Group.named(group.get()) : new Group(groupName(primaryGid), primaryGid);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--group: " + e.getMessage(), e);
        }
        return new RunAs(user, uid, runGroup);
    }

    /** The primary group's name for messages; its number when it has none (a gid missing from /etc/group is legal). */
    private static String groupName(int gid) {
        Pointer entry = LibC.load().getgrgid(gid);
        return entry == null ? Integer.toString(gid) : entry.getPointer(0).getString(0);
    }

    @Override
    public String toString() {
        return "user " + user + " (uid " + uid + "), group " + group.name() + " (gid " + group.gid() + ")";
    }
}
