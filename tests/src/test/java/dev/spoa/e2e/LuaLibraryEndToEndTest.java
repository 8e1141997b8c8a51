package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.spoa.testkit.AgentProcess;
import dev.spoa.testkit.HaproxyProcess;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lua libraries through the whole path: Debian's HAProxy sends each request's headers and
 * body to the agent, lua/stdlib.lua decodes the JSON body, checks its HMAC signature, reads Basic
 * credentials and an HTTP date, matches the user agent, places the client in networks and
 * converts a charset, and HAProxy shows the variables it set in its answer.
 */
class LuaLibraryEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Path RESOURCES = AgentProcess.root().resolve("tests/src/test/resources");

    private static String hmac(String key, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void everyLibraryServesARealRequest(@TempDir Path dir) throws Exception {
        int agentPort = AgentProcess.freePort();
        int httpPort = AgentProcess.freePort();
        Path spoe = dir.resolve("stdlib-spoe.conf");
        Files.copy(RESOURCES.resolve("haproxy/stdlib-spoe.conf"), spoe);
        Map<String, String> rewrite = Map.of("HTTP_PORT", Integer.toString(httpPort), "AGENT_PORT", Integer.toString(agentPort),
                "SPOE_CONF", spoe.toString());
        // One worker, so that the per-worker cache counts every request; sandboxed, as nothing here needs more.
        List<String> flags = List.of("-f", RESOURCES.resolve("lua/stdlib.lua").toString(), "-p", Integer.toString(agentPort), "-n", "1",
                "--lua-sandbox");
        try (AgentProcess agent = AgentProcess.start(flags, 1);
                HaproxyProcess haproxy = HaproxyProcess.start(RESOURCES.resolve("haproxy/stdlib.cfg"), rewrite, dir)) {
            haproxy.awaitStarted(WAIT);
            HttpClient http = HttpClient.newBuilder().connectTimeout(WAIT).build();
            String body = "{\"user\":\"ann\",\"tags\":[\"vip\",\"beta\"],\"title\":\"caf\\u00e9\"}";
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/orders"))
                    .timeout(WAIT)
                    .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0")
                    .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("ann:pa55".getBytes(StandardCharsets.UTF_8)))
                    .header("X-Date", "Sun, 06 Nov 1994 08:49:37 GMT")
                    .header("X-Signature", hmac("s3cret", body))
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build();

            HttpResponse<String> first = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertEquals(200, first.statusCode(), first.body());
            assertEquals("user=ann login=ann signed=1 date=784111777 day=Sunday internal=1 ipv=4 browser=Firefox 128 "
                    + "tags=[\"vip\",\"beta\"] md5=" + md5("ann") + " latin1=4 hits=1 json_error= error=\n", first.body(), agent.log());

            HttpResponse<String> second = http.send(request, HttpResponse.BodyHandlers.ofString());
            assertTrue(second.body().contains(" hits=2 "), "the worker's globals kept the count: " + second.body());

            HttpRequest forged = HttpRequest.newBuilder(request.uri()).timeout(WAIT).header("X-Signature", hmac("guess", body))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            assertTrue(http.send(forged, HttpResponse.BodyHandlers.ofString()).body().contains(" signed=0 "));

            HttpRequest broken = HttpRequest.newBuilder(request.uri()).timeout(WAIT)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"user\": }")).build();
            String answer = http.send(broken, HttpResponse.BodyHandlers.ofString()).body();
            assertTrue(answer.contains("json_error=json.decode: unexpected character '}' at position 10"), answer);
            assertTrue(answer.endsWith(" error=\n"), "a caught error is no handler failure: " + answer);
            assertTrue(agent.log().contains("stdlib.lua ready in worker 0 of 1"), agent.log());
        }
    }

    private static String md5(String text) throws Exception {
        return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
