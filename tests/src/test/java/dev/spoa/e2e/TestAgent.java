package dev.spoa.e2e;

import dev.spoa.testkit.AgentProcess;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The agent the end-to-end tests run: bin/spoa-supervisor with their Lua script (e2e.lua). */
final class TestAgent {
    private TestAgent() {
    }

    /** A script of tests/src/test/resources/lua. */
    static String script(String name) {
        return AgentProcess.root().resolve("tests/src/test/resources/lua").resolve(name).toString();
    }
    /** Starts it on this TCP port with these workers (and any further flags), once every worker is ready. */
    static AgentProcess start(int port, int workers, String... flags) throws IOException, InterruptedException {
        return start(port, workers, Map.of(), flags);
    }

    /** The same, with these variables set in its environment (or, when a value is null, removed from it). */
    static AgentProcess start(int port, int workers, Map<String, String> environment, String... flags)
            throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of("-f", script("e2e.lua"), "-p", Integer.toString(port),
                "-n", Integer.toString(workers)));
        arguments.addAll(List.of(flags));
        return AgentProcess.start(arguments, workers, environment);
    }
}
