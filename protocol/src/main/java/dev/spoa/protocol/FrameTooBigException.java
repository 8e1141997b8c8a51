package dev.spoa.protocol;

/**
 * Raised by the encoders when a frame (or an ACK payload) would not fit in the room it was given:
 * the negotiated max-frame-size or the caller's limit. The writer is back at the frame's start; the
 * caller can write a smaller frame instead (an error ACK).
 */
public final class FrameTooBigException extends SpopException {
    private static final long serialVersionUID = 1L;

    public FrameTooBigException(String detail) {
        super(Status.TOO_BIG, detail);
    }
}
