package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.HaproxyProcess;
import dev.spoa.testkit.Wait;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's real HAProxy with the shipped conf/haproxy files (ports and paths rewritten), the agent
 * started with bin/spoa-supervisor: HTTP requests from IPv4 and IPv6 clients go through the SPOE
 * filter to the Lua handler and back, and HAProxy's own debug converter shows the type each
 * variable arrived with. HAProxy's spop-check must see the agent up.
 */
class HaproxyEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void variablesFromTheLuaHandlerReachHaproxyWithTheirTypes(@TempDir Path dir) throws Exception {
        int agentPort = AgentProcess.freePort();
        int httpPort = AgentProcess.freePort();
        Path conf = AgentProcess.root().resolve("conf/haproxy");
        Files.copy(conf.resolve("spoe-ip-reputation.conf"), dir.resolve("spoe-ip-reputation.conf"));

        Map<String, String> rewrite = new LinkedHashMap<>();
        rewrite.put("bind 127.0.0.1:8080", "bind 127.0.0.1:" + httpPort);
        rewrite.put("bind [::1]:8080", "bind [::1]:" + httpPort);
        rewrite.put("/etc/haproxy/spoe-ip-reputation.conf", dir.resolve("spoe-ip-reputation.conf").toString());
        rewrite.put("server spoa1 127.0.0.1:12345 check inter 5s", "server spoa1 127.0.0.1:" + agentPort + " check inter 1s");
        // HAProxy prints the type and value of each variable the agent set on its stderr.
        rewrite.put("    http-request deny deny_status 403", String.join("\n",
                "    http-request set-var(txn.seen) var(txn.iprep.ip_score),debug(ip_score,stderr)",
                "    http-request set-var(txn.seen) var(txn.iprep.ip_seen),debug(ip_seen,stderr)",
                "    http-request set-var(txn.seen) var(txn.iprep.ip_class),debug(ip_class,stderr)",
                "    http-request set-var(txn.seen) var(txn.iprep.checked),debug(checked,stderr)",
                "    http-request deny deny_status 403"));

        try (AgentProcess agent = TestAgent.start(agentPort, 2);
                HaproxyProcess haproxy = HaproxyProcess.start(conf.resolve("haproxy.cfg"), rewrite, dir)) {
            haproxy.awaitStarted(WAIT);
            haproxy.awaitServerStatus("spoa-agents", "spoa1", "UP", WAIT);

            HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
            HttpResponse<String> ipv4 = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/"))
                    .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, ipv4.statusCode(), ipv4.body());
            assertEquals("ip_score=77 error= spoe_error=\n", ipv4.body());

            HttpResponse<String> ipv6 = http.send(HttpRequest.newBuilder(URI.create("http://[::1]:" + httpPort + "/"))
                    .timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(403, ipv6.statusCode(), "the IPv6 client scores 10 and the shipped rule denies below 20");

            Wait.until(WAIT, () -> haproxy.log().contains("[debug] ip_seen: type=ipv6 <::1>"));
            String log = haproxy.log();
            assertTrue(log.contains("[debug] ip_score: type=sint <77>"), log);
            assertTrue(log.contains("[debug] ip_score: type=sint <10>"), log);
            assertTrue(log.contains("[debug] ip_seen: type=ipv4 <127.0.0.1>"), log);
            assertTrue(log.contains("[debug] ip_class: type=str <known>"), log);
            assertTrue(log.contains("[debug] checked: type=bool <1>"), log);
            assertEquals("UP", haproxy.serverStatus("spoa-agents", "spoa1"), "spop-check still sees the agent up");
        }
    }
}
