package dev.spoa.supervisor;

import com.beust.jcommander.JCommander;

/** Configurations for the tests of other packages, from command-line flags: those outlive changes to the record's fields. */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static AgentConfig parse(String... args) {
        StartCommand start = new StartCommand();
        JCommander.newBuilder().addObject(start).build().parse(args);
        return start.toConfig();
    }
}
