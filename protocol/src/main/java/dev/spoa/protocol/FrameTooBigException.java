package dev.spoa.protocol;

/**
 * Raised by the encoders when a frame (or an ACK payload) would not fit in the room it was given:
 * the negotiated max-frame-size or the caller's limit. Nothing past the frame's start has been
 * kept in the buffer; the caller can answer with a smaller frame instead (an error ACK).
 */
public final class FrameTooBigException extends SpopException {
    private static final long serialVersionUID = 1L;

    public FrameTooBigException(String detail) {
        super(Status.TOO_BIG, detail);
    }
}
