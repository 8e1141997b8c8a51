package dev.spoa.supervisor.system;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** A group, by name and id: looked up once, when the flags are read. */
public record Group(String name, int gid) {

    /**
     * Looks the group up as every program on the host would (getgrnam: /etc/group, or LDAP and the
     * like through NSS).
     *
     * @throws IllegalArgumentException when there is no such group
     */
    public static Group named(String name) {
        Pointer entry = LibC.load().getgrnam(name);
        if (entry == null) {
            throw new IllegalArgumentException("no such group: " + name);
        }
        return new Group(name, gidOf(entry));
    }

    /** struct group starts with two pointers (gr_name, gr_passwd), then gr_gid. */
    static int gidOf(Pointer groupEntry) {
        return groupEntry.getInt(2L * Native.POINTER_SIZE);
    }
}
