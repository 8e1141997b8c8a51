package dev.spoa.protocol;

/** The KV-LIST shared by HAPROXY-DISCONNECT and AGENT-DISCONNECT: "status-code" (UINT32) then "message" (STRING). */
final class DisconnectPayload {
    static final String STATUS_CODE = "status-code";
    static final String MESSAGE = "message";
    /** HAProxy 2.6 and the 3.x health check reject a DISCONNECT whose message exceeds 255 bytes as an invalid frame. */
    static final int MAX_MESSAGE_BYTES = 255;

    private DisconnectPayload() {
    }

    static long statusCode(KvList items) throws SpopException {
        long code = items.integer(STATUS_CODE, Status.INVALID_FRAME);
        if (code < 0 || code > 0xFFFF_FFFFL) {
            throw WireReader.invalid("status-code " + code + " is not a UINT32");
        }
        return code;
    }

    static String message(KvList items) throws SpopException {
        return items.text(MESSAGE, Status.INVALID_FRAME);
    }

    static void write(long statusCode, String message, WireWriter out) throws FrameTooBigException {
        out.writeName(STATUS_CODE);
        out.writeInteger(DataType.UINT32, statusCode);
        out.writeName(MESSAGE);
        out.writeText(Utf8.truncate(message, MAX_MESSAGE_BYTES));
    }
}
