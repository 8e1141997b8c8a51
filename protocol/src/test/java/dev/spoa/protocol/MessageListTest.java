package dev.spoa.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link MessageList#firstNameBounds}: the first message's name found in place, whatever its length's varint size. */
class MessageListTest {

    private static byte[] payload(String... names) throws FrameTooBigException {
        byte[] buf = new byte[64 * 1024];
        WireWriter out = new WireWriter(buf);
        MessageList.write(Arrays.stream(names)
                .map(name -> new Message(name, List.of(new Argument("ip", new TypedData.Ipv4(0x7f000001))))).toList(), out);
        return Arrays.copyOf(buf, out.position());
    }

    private static String firstName(byte[] buf, int offset, int length) {
        long bounds = MessageList.firstNameBounds(buf, offset, length);
        return bounds < 0 ? null : new String(buf, (int) (bounds >>> 32), (int) bounds, StandardCharsets.UTF_8);
    }

    @Test
    void findsTheFirstNameOfEveryLength() throws Exception {
        // 239 is the longest one-byte varint; 240 the shortest two-byte one; 5000 takes two; 40000 three.
        for (int length : new int[] {0, 1, 15, 239, 240, 241, 1000, 5000, 40_000}) {
            String name = "m".repeat(length);
            byte[] buf = payload(name, "second");
            MessageList.validate(buf, 0, buf.length);
            assertEquals(name, firstName(buf, 0, buf.length), "a name of " + length + " bytes");
        }
    }

    @Test
    void readsWithinThePayloadOnly() throws Exception {
        byte[] message = payload("check-client-ip");
        byte[] framed = new byte[message.length + 10];
        System.arraycopy(message, 0, framed, 7, message.length);
        assertEquals("check-client-ip", firstName(framed, 7, message.length));
        assertEquals(-1, MessageList.firstNameBounds(framed, 7, 0), "no message");
        assertEquals(-1, MessageList.firstNameBounds(framed, 7, 10), "a name cut short");
        byte[] longName = payload("m".repeat(5000));
        assertEquals(-1, MessageList.firstNameBounds(longName, 0, 1), "a varint cut short");
        byte[] endless = {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0};
        assertEquals(-1, MessageList.firstNameBounds(endless, 0, endless.length), "a length no frame can hold");
    }
}
