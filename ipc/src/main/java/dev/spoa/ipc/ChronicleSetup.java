package dev.spoa.ipc;

import net.openhft.posix.PosixAPI;

/**
 * System properties Chronicle reads once, when its classes initialise. Every {@code open()} of this
 * module touches {@link #ensure()} first, so the properties are in place before the first Chronicle
 * class loads, whatever command line the process was started with (DESIGN §6).
 */
final class ChronicleSetup {

    static {
        // Otherwise every queue JVM tries to reach an analytics service, prints an UnknownHostException
        // and starts slower.
        setIfAbsent("chronicle.analytics.disable", "true");
        // The banner printed when Chronicle loads.
        setIfAbsent("chronicle.announcer.disable", "true");
        // Start-up performance logging.
        setIfAbsent("disable.perf.info", "true");
        // A background thread polling free disk space: /dev/shm is memory, watched by the supervisor.
        setIfAbsent("chronicle.disk.monitor.disable", "true");
        // Chronicle's Jvm class binds POSIX through jnr-ffi as it initialises, which generates and
        // assembles call stubs at run time: 0.1-0.2 s of every process start here, out of reach of a
        // class-data-sharing archive. Chronicle only calls msync through it (MS_ASYNC by default,
        // which does nothing on Linux), and our queues want no durability anyway: they are remade
        // at every start.
        PosixAPI.useNoOpPosixApi();
    }

    private ChronicleSetup() {
    }

    /** Runs the static initialiser above, once per JVM; a no-op afterwards. */
    static void ensure() {
        // Class initialisation is the whole point.
    }

    // An operator's explicit -D wins.
    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
