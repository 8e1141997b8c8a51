package dev.spoa.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.spoa.testkit.AgentProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files operators copy: {@code haproxy -c -f} must accept them as shipped (only the SPOE file's path changes). */
class ShippedConfigTest {
    private static final Path CONF = AgentProcess.root().resolve("conf/haproxy");

    @Test
    void haproxyCfgIsValid(@TempDir Path dir) throws Exception {
        assertEquals("", check("haproxy.cfg", dir));
    }

    /** "mode spop" exists from HAProxy 3.1 on; Debian bookworm has 2.6, so this runs where a 3.1+ is installed. */
    @Test
    void haproxySpopCfgIsValidOn31AndLater(@TempDir Path dir) throws Exception {
        assumeTrue(haproxyVersionAtLeast(3, 1), "haproxy-spop.cfg needs HAProxy 3.1 or later; this one is older");
        assertEquals("", check("haproxy-spop.cfg", dir));
    }

    /** Empty when valid, else HAProxy's complaint. */
    private static String check(String file, Path dir) throws Exception {
        Files.copy(CONF.resolve("spoe-ip-reputation.conf"), dir.resolve("spoe-ip-reputation.conf"));
        String config = Files.readString(CONF.resolve(file))
                .replace("/etc/haproxy/spoe-ip-reputation.conf", dir.resolve("spoe-ip-reputation.conf").toString());
        Path copy = dir.resolve(file);
        Files.writeString(copy, config);
        Process process = new ProcessBuilder("haproxy", "-c", "-f", copy.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        return process.exitValue() == 0 ? "" : output;
    }

    private static boolean haproxyVersionAtLeast(int major, int minor) throws Exception {
        Process process = new ProcessBuilder("haproxy", "-v").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        Matcher version = Pattern.compile("version (\\d+)\\.(\\d+)").matcher(output);
        if (!version.find()) {
            throw new IllegalStateException("cannot read the version of haproxy: " + output);
        }
        int foundMajor = Integer.parseInt(version.group(1));
        int foundMinor = Integer.parseInt(version.group(2));
        return foundMajor > major || (foundMajor == major && foundMinor >= minor);
    }
}
