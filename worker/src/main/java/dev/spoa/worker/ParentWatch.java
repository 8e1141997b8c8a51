package dev.spoa.worker;

import com.sun.jna.Library;
import com.sun.jna.Native;

/**
 * Makes the kernel kill this worker when the front dies (PR_SET_PDEATHSIG), so that no worker JVM is
 * ever left behind, whatever killed the front. The parent may have died before the call: then the
 * parent pid has changed already, and the worker stops itself.
 */
final class ParentWatch {
    private static final int PR_SET_PDEATHSIG = 1;
    private static final int SIGKILL = 9;

    interface C extends Library {
        int prctl(int option, long arg2, long arg3, long arg4, long arg5);

        int getppid();
    }

    private ParentWatch() {
    }

    /** Returns false when the expected parent is already gone. */
    static boolean dieWithParent(long parentPid) {
        C c = Native.load("c", C.class);
        if (c.prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) {
            throw new IllegalStateException("prctl(PR_SET_PDEATHSIG) failed");
        }
        return c.getppid() == parentPid;
    }
}
