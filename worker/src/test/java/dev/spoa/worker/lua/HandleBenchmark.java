package dev.spoa.worker.lua;

import dev.spoa.protocol.Argument;
import dev.spoa.protocol.Message;
import dev.spoa.protocol.TypedData;
import dev.spoa.worker.HandlerOutcome;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * ns per {@link LuaScriptHandler#handle} call, compiled by LuaJC and interpreted, for a trivial
 * handler (one IPv4 argument, one set_var_int32: trivial.lua) and a busier one (string matching,
 * a loop, a table: busier.lua). Not a test (timings on a shared machine are figures to read, not to assert).
 * From the worker directory, after {@code mvn -q -pl worker test-compile} and
 * {@code mvn -q -pl worker dependency:build-classpath -Dmdep.outputFile=target/cp.txt}:
 * {@code java -cp "target/classes:target/test-classes:$(cat target/cp.txt)" dev.spoa.worker.lua.HandleBenchmark}
 */
final class HandleBenchmark {
    private HandleBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        for (String script : List.of("trivial.lua", "busier.lua")) {
            for (boolean compile : List.of(true, false)) {
                Path path = Path.of("src/test/resources/scripts", script);
                LuaScriptHandler handler = LuaScriptHandler.load(path, path, LuaSettings.defaults().withCompile(compile));
                System.out.printf("%-12s %-12s ", script, compile ? "LuaJC" : "interpreted");
                measure(handler);
            }
        }
    }

    private static void measure(LuaScriptHandler handler) {
        List<Message> messages = List.of(new Message("check-client-ip",
                List.of(new Argument("ip", TypedData.Ipv4.parse("192.0.2.1")))));
        int calls = 2_000_000;
        long sink = 0;
        for (int warm = 0; warm < 5; warm++) {
            sink += loop(handler, messages, calls);
        }
        double[] nsPerCall = new double[7];
        for (int round = 0; round < nsPerCall.length; round++) {
            long start = System.nanoTime();
            sink += loop(handler, messages, calls);
            nsPerCall[round] = (System.nanoTime() - start) / (double) calls;
        }
        Arrays.sort(nsPerCall);
        System.out.printf("handle(): median %.1f ns/call (min %.1f, max %.1f) over %d rounds of %d calls [%d]%n",
                nsPerCall[nsPerCall.length / 2], nsPerCall[0], nsPerCall[nsPerCall.length - 1], nsPerCall.length, calls, sink);
    }

    private static long loop(LuaScriptHandler handler, List<Message> messages, int calls) {
        long sink = 0;
        for (int i = 0; i < calls; i++) {
            HandlerOutcome outcome = handler.handle(messages);
            sink += outcome.actions().size();
        }
        return sink;
    }
}
