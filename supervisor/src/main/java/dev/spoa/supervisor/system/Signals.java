package dev.spoa.supervisor.system;

import com.sun.jna.LastErrorException;

/** Signals to another process by pid, as kill(1) sends them: the JDK can only send SIGTERM and SIGKILL. */
public final class Signals {
    public static final int HUP = 1;
    public static final int TERM = 15;
    private static final int ESRCH = 3;
    private static final int EPERM = 1;

    private Signals() {
    }

    /**
     * @return false if no such process exists
     * @throws SecurityException if the process is someone else's
     */
    public static boolean send(long pid, int signal) {
        try {
            LibC.load().kill((int) pid, signal);
            return true;
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ESRCH) {
                return false;
            }
            if (e.getErrorCode() == EPERM) {
                throw new SecurityException("not allowed to signal process " + pid + " (run as its user or root)");
            }
            throw new IllegalStateException("kill(" + pid + ", " + signal + "): errno " + e.getErrorCode(), e);
        }
    }
}
