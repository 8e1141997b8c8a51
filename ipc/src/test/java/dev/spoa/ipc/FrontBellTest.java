package dev.spoa.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The front's bell: a ring reaches its selector while it waits, and costs nothing while it is awake. */
class FrontBellTest {
    /** Long enough for a frozen machine: a select that times out means the ring was lost. */
    private static final long SELECT_MILLIS = 30_000;

    @Test
    void aWorkerRingsTheSelectorOnlyWhileTheFrontWaits(@TempDir Path dir) throws Exception {
        RunDir run = RunDir.createFresh(dir);
        try (FrontBell bell = FrontBell.open(run); Selector selector = Selector.open();
                Doorbell worker = Doorbell.open(run.frontDoorbellFile(), Tuning.DEFAULT.withDoorbell(DoorbellKind.SOCKET))) {
            bell.listener().register(selector, SelectionKey.OP_ACCEPT);

            worker.ring();
            assertEquals(0, selector.selectNow(), "the front is awake: the ring sends nothing, not even a connection");

            assertFalse(bell.mayWait(() -> true), "results already waiting: no sleeping");
            worker.ring();
            assertEquals(0, selector.selectNow(), "a declined wait is no wait: still nothing sent");

            assertTrue(bell.mayWait(() -> false));
            worker.ring();
            assertEquals(1, selector.select(SELECT_MILLIS), "the worker connects");
            bell.awake();
            selector.selectedKeys().clear();
            SocketChannel ringer = bell.accept();
            assertNotNull(ringer);
            SelectionKey rings = ringer.register(selector, SelectionKey.OP_READ);
            assertEquals(1, selector.select(SELECT_MILLIS), "and its byte is there to read");
            assertTrue(selector.selectedKeys().contains(rings));
            selector.selectedKeys().clear();
            assertTrue(bell.discardRings(ringer));
            assertEquals(0, selector.selectNow(), "read, the ring is gone");

            assertTrue(bell.mayWait(() -> false));
            worker.ring();
            worker.ring(); // a second worker, say: the first ring took the wake-up, this one sends nothing
            assertEquals(1, selector.select(SELECT_MILLIS), "the same connection rings again");
            selector.selectedKeys().clear();
            bell.awake();
            assertTrue(bell.discardRings(ringer));

            worker.close(); // the worker exits
            assertEquals(1, selector.select(SELECT_MILLIS));
            assertFalse(bell.discardRings(ringer), "end of stream: the front closes its side");
            ringer.close();
        } finally {
            run.close();
        }
    }
}
