package dev.spoa.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * LIST-OF-MESSAGES, the NOTIFY payload (doc/SPOE.txt §3.2):
 * {@code [ <MESSAGE-NAME:string> <NB-ARGS:1 byte> <KV-LIST of NB-ARGS items> ... ]}. Any number of
 * messages (a spoe-group sends several in one frame); arguments may have empty names.
 *
 * <p>The front only validates the payload ({@link FrameDecoder#validateNotify}: nothing allocated)
 * and forwards its bytes; the worker {@link #decode}s them.
 */
public final class MessageList {
    private MessageList() {
    }

    public static List<Message> decode(byte[] buf, int offset, int length) throws SpopException {
        return read(new WireReader(buf, offset, length));
    }

    /** The same, with the names taken from (and added to) {@code names}: what a worker decoding frame after frame wants. */
    public static List<Message> decode(byte[] buf, int offset, int length, NameCache names) throws SpopException {
        return read(new WireReader(buf, offset, length, names));
    }

    /** Checks the payload exactly as {@link #decode} would, without building anything. Returns the number of messages. */
    public static int validate(byte[] buf, int offset, int length) throws SpopException {
        return skip(new WireReader(buf, offset, length));
    }

    /**
     * Where the first message's name lies in a payload, found without allocating (the front counts
     * NOTIFYs by message without decoding them): {@code (offset << 32) | length} of the name's bytes
     * in {@code buf}, or -1 when the payload holds no message or does not begin with a whole name.
     * Meant for payloads {@link #validate} accepted; on others it never reads outside the payload.
     */
    public static long firstNameBounds(byte[] buf, int offset, int length) {
        if (length <= 0) {
            return -1;
        }
        int limit = offset + length;
        int pos = offset;
        int b = buf[pos++] & 0xFF;
        long nameLength = b;
        // A varint (see Varint): the length of a name within one frame takes at most a few bytes.
        if (b >= 240) {
            int shift = 4;
            do {
                if (pos >= limit || shift > 25) {
                    return -1;
                }
                b = buf[pos++] & 0xFF;
                nameLength += (long) b << shift;
                shift += 7;
            } while (b >= 128);
        }
        if (nameLength > limit - pos) {
            return -1;
        }
        return ((long) pos << 32) | nameLength;
    }

    static List<Message> read(WireReader in) throws SpopException {
        if (!in.hasRemaining()) {
            return List.of();
        }
        Message first = readMessage(in);
        if (!in.hasRemaining()) {
            return List.of(first);
        }
        List<Message> messages = new ArrayList<>();
        messages.add(first);
        do {
            messages.add(readMessage(in));
        } while (in.hasRemaining());
        return List.copyOf(messages);
    }

    static int skip(WireReader in) throws SpopException {
        int messages = 0;
        while (in.hasRemaining()) {
            in.skipName("message name");
            int arguments = in.readUnsignedByte("argument count");
            for (int i = 0; i < arguments; i++) {
                in.skipName("argument name");
                in.skipTypedData("argument value");
            }
            messages++;
        }
        return messages;
    }

    private static Message readMessage(WireReader in) throws SpopException {
        String name = in.readName("message name");
        try {
            return new Message(name, readArguments(in, in.readUnsignedByte("argument count")));
        } catch (SpopException e) {
            throw e.within("message", name);
        }
    }

    private static List<Argument> readArguments(WireReader in, int count) throws SpopException {
        switch (count) {
            case 0:
                return List.of();
            case 1:
                return List.of(readArgument(in));
            case 2:
                Argument first = readArgument(in);
                return List.of(first, readArgument(in));
            default:
                Argument[] all = new Argument[count];
                for (int i = 0; i < count; i++) {
                    all[i] = readArgument(in);
                }
                return List.of(all);
        }
    }

    private static Argument readArgument(WireReader in) throws SpopException {
        String name = in.readName("argument name");
        return new Argument(name, in.readTypedData("argument value"));
    }

    static void write(List<Message> messages, WireWriter out) throws FrameTooBigException {
        for (int i = 0; i < messages.size(); i++) {
            Message message = messages.get(i);
            out.writeName(message.name());
            List<Argument> arguments = message.arguments();
            out.writeByte(arguments.size());
            for (int j = 0; j < arguments.size(); j++) {
                out.writeName(arguments.get(j).name());
                out.writeTypedData(arguments.get(j).value());
            }
        }
    }
}
