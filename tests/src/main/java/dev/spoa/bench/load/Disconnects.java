package dev.spoa.bench.load;

import dev.spoa.protocol.AgentDisconnect;
import dev.spoa.protocol.Frame;
import dev.spoa.protocol.FrameHeader;
import dev.spoa.protocol.SpopException;
import dev.spoa.protocol.Status;

/** An AGENT-DISCONNECT in words: the status code, what the specification calls it, and the agent's message. */
final class Disconnects {
    private Disconnects() {
    }

    static String describe(AgentDisconnect disconnect) {
        String meaning = disconnect.status().map(Status::reason).orElse("a code of the agent's own");
        return "AGENT-DISCONNECT status " + disconnect.statusCode() + " (" + meaning + "): \"" + disconnect.message() + "\"";
    }

    /** Decodes the AGENT-DISCONNECT at {@code buf[start, end)} (the rare path: the codec may allocate). */
    static LoadFailure failure(byte[] buf, int start, int end, int maxFrameSize) {
        try {
            FrameHeader header = FrameHeader.read(buf, start, end - start, maxFrameSize);
            Frame frame = Frame.decode(header, buf);
            if (frame instanceof AgentDisconnect disconnect) {
                return new LoadFailure("the agent sent " + describe(disconnect));
            }
            return new LoadFailure("the agent sent " + frame.type() + " where an AGENT-DISCONNECT was expected");
        } catch (SpopException e) {
            return new LoadFailure("the agent sent a malformed AGENT-DISCONNECT: " + e.getMessage(), e);
        }
    }
}
