package dev.spoa.supervisor.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LogSettingsTest {
    @Test
    void noFlagIsTextOnTheConsole() {
        LogSettings settings = LogSettings.fromFlags(null, null, null, null, false, null);
        assertEquals(LogSettings.CONSOLE, settings);
        assertTrue(settings.console());
    }

    @Test
    void fileSizesReadAsOperatorsWriteThem() {
        assertEquals(10L * 1024 * 1024, LogSettings.parseSize("10M"));
        assertEquals(500L * 1024, LogSettings.parseSize("500kb"));
        assertEquals(1L << 30, LogSettings.parseSize("1G"));
        assertEquals(4096, LogSettings.parseSize("4096"));
        assertThrows(IllegalArgumentException.class, () -> LogSettings.parseSize("ten"));
        assertThrows(IllegalArgumentException.class, () -> LogSettings.parseSize("0"));
        assertThrows(IllegalArgumentException.class, () -> LogSettings.parseSize("-5M"));
    }

    @Test
    void syslogGoesToDevLogUnlessAnAddressIsGiven() {
        assertEquals(Optional.of(new SyslogAddress.Local(Path.of("/dev/log"))),
                LogSettings.fromFlags(null, null, null, null, true, null).syslog());
        assertEquals(Optional.of(new SyslogAddress.Udp(InetSocketAddress.createUnresolved("10.0.0.1", 514))),
                LogSettings.fromFlags(null, null, null, null, false, "10.0.0.1:514").syslog());
        assertEquals(Optional.of(new SyslogAddress.Udp(InetSocketAddress.createUnresolved("::1", 5514))),
                LogSettings.fromFlags(null, null, null, null, false, "[::1]:5514").syslog());
        assertThrows(IllegalArgumentException.class, () -> LogSettings.fromFlags(null, null, null, null, false, "loghost"));
        assertThrows(IllegalArgumentException.class, () -> LogSettings.fromFlags(null, null, null, null, false, "loghost:99999"));
    }

    @Test
    void formatsAreTextAndJsonOnly() {
        assertEquals(LogFormat.JSON, LogSettings.fromFlags("JSON", null, null, null, false, null).format());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> LogSettings.fromFlags("xml", null, null, null, false, null));
        assertTrue(bad.getMessage().startsWith("--log-format takes text or json"), bad.getMessage());
    }
}
