package dev.spoa.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Names decoded through a {@link NameCache}: the same Strings as without one, and the same instances frame after frame. */
class NameCacheTest {

    private static byte[] payload(List<Message> messages) throws FrameTooBigException {
        byte[] buf = new byte[64 * 1024];
        WireWriter out = new WireWriter(buf);
        MessageList.write(messages, out);
        return Arrays.copyOf(buf, out.position());
    }

    private static Message message(String name, String... arguments) {
        List<Argument> list = new ArrayList<>();
        for (String argument : arguments) {
            list.add(new Argument(argument, new TypedData.Ipv4(0x7f000001)));
        }
        return new Message(name, list);
    }

    @Test
    void aRepeatedNameIsTheSameStringEachFrame() throws Exception {
        NameCache names = new NameCache();
        byte[] frame = payload(List.of(message("check-client-ip", "ip", "src")));
        List<Message> first = MessageList.decode(frame, 0, frame.length, names);
        List<Message> second = MessageList.decode(frame.clone(), 0, frame.length, names);
        assertEquals(first, second);
        assertSame(first.get(0).name(), second.get(0).name());
        assertSame(first.get(0).arguments().get(1).name(), second.get(0).arguments().get(1).name());
        List<Message> uncached = MessageList.decode(frame, 0, frame.length);
        assertNotSame(uncached.get(0).name(), MessageList.decode(frame, 0, frame.length).get(0).name(), "without a cache: fresh Strings");
    }

    @Test
    void decodesExactlyAsWithoutACacheWhateverTheNames() throws Exception {
        NameCache names = new NameCache();
        List<String> all = new ArrayList<>(List.of("", "a", "é", "日本語", "check-client-ip", "m".repeat(NameCache.MAX_NAME_BYTES),
                "m".repeat(NameCache.MAX_NAME_BYTES + 1), "x".repeat(300)));
        for (int i = 0; i < 3 * NameCache.SLOTS; i++) {
            all.add("name-" + i); // more names than slots: they meet in slots and replace each other
        }
        for (int round = 0; round < 3; round++) {
            for (String name : all) {
                byte[] frame = payload(List.of(message(name, name, "ip"), message("second", name)));
                assertEquals(MessageList.decode(frame, 0, frame.length), MessageList.decode(frame, 0, frame.length, names), name);
            }
        }
    }

    @Test
    void aNameCutShortIsStillAnInvalidFrame() throws Exception {
        byte[] frame = payload(List.of(message("check-client-ip", "ip")));
        SpopException e = assertThrows(SpopException.class,
                () -> MessageList.decode(frame, 0, 8, new NameCache()));
        assertEquals(Status.INVALID_FRAME, e.status());
    }
}
