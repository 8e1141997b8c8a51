package dev.spoa.protocol;

/**
 * Writes frames into a caller's byte array, so that a whole frame (or a batch of them) goes out
 * in one socket write. Nothing is ever written past the limit: a frame that does not fit raises
 * {@link FrameTooBigException} and puts the position back where that frame started, so the
 * frames before it stay intact and a smaller frame can take its place.
 *
 * <p>Give the writer room for 4 + max-frame-size bytes per frame: with less, a frame that the
 * negotiated size would allow is still reported as too big. One writer can be reused for every
 * frame of a connection ({@link #reset}).
 */
public final class WireWriter {
    private byte[] buf;
    private int pos;
    private int limit;

    public WireWriter(byte[] buf) {
        this(buf, 0, buf.length);
    }

    public WireWriter(byte[] buf, int offset, int limit) {
        reset(buf, offset, limit);
    }

    /** Points the writer at {@code buf[offset, limit)}. */
    public WireWriter reset(byte[] buf, int offset, int limit) {
        if (offset < 0 || offset > limit || limit > buf.length) {
            throw new IndexOutOfBoundsException("offset " + offset + ", limit " + limit + ", array " + buf.length);
        }
        this.buf = buf;
        this.pos = offset;
        this.limit = limit;
        return this;
    }

    public byte[] buffer() {
        return buf;
    }

    /** Where the next byte goes: after a frame is written, the end of it. */
    public int position() {
        return pos;
    }

    public int limit() {
        return limit;
    }

    /** Moves back to an earlier position, dropping what was written after it. */
    void rewind(int position) {
        if (position > pos) {
            throw new IllegalArgumentException("rewind forward: " + position + " > " + pos);
        }
        pos = position;
    }

    /** A payload writer that {@link #writeFrame} calls between the frame header and the length fix-up. */
    @FunctionalInterface
    interface PayloadWriter<T> {
        void write(T value, WireWriter out) throws FrameTooBigException;
    }

    /**
     * Writes one frame: length prefix, type, FIN flag, stream-id, frame-id, then the payload.
     * The frame may not exceed {@code maxFrameSize} bytes (the length prefix excluded).
     */
    <T> void writeFrame(FrameType type, long streamId, long frameId, int maxFrameSize, T value, PayloadWriter<T> payload)
            throws FrameTooBigException {
        int savedLimit = limit;
        int start = beginFrame(type, streamId, frameId, maxFrameSize, savedLimit);
        try {
            payload.write(value, this);
        } catch (FrameTooBigException e) {
            throw abandonFrame(start, savedLimit, e);
        }
        endFrame(start, savedLimit);
    }

    /** The same, with a payload already encoded (a worker's action list): no capturing lambda on the front's path. */
    void writeFrame(FrameType type, long streamId, long frameId, int maxFrameSize, byte[] payload, int offset, int length)
            throws FrameTooBigException {
        int savedLimit = limit;
        int start = beginFrame(type, streamId, frameId, maxFrameSize, savedLimit);
        try {
            writeBytes(payload, offset, length);
        } catch (FrameTooBigException e) {
            throw abandonFrame(start, savedLimit, e);
        }
        endFrame(start, savedLimit);
    }

    /** Lowers the limit to the frame's end and writes everything but the length, which {@link #endFrame} fills in. */
    private int beginFrame(FrameType type, long streamId, long frameId, int maxFrameSize, int savedLimit)
            throws FrameTooBigException {
        int start = pos;
        limit = (int) Math.min(savedLimit, (long) start + 4 + maxFrameSize);
        try {
            need(4 + 1 + 4 + Varint.size(streamId) + Varint.size(frameId), type);
        } catch (FrameTooBigException e) {
            throw abandonFrame(start, savedLimit, e);
        }
        pos = start + 4;
        buf[pos++] = (byte) type.code();
        pos = writeIntAt(pos, FrameHeader.FLAG_FIN);
        pos = Varint.write(buf, pos, streamId);
        pos = Varint.write(buf, pos, frameId);
        return start;
    }

    private void endFrame(int start, int savedLimit) {
        limit = savedLimit;
        writeIntAt(start, pos - start - 4);
    }

    private FrameTooBigException abandonFrame(int start, int savedLimit, FrameTooBigException e) {
        pos = start;
        limit = savedLimit;
        return e;
    }

    private void need(int count, FrameType type) throws FrameTooBigException {
        if (count > limit - pos) {
            throw new FrameTooBigException(type + " frame does not fit: " + (limit - pos) + " bytes left");
        }
    }

    void need(int count) throws FrameTooBigException {
        if (count > limit - pos) {
            throw new FrameTooBigException("needs " + count + " more bytes, " + (limit - pos) + " left");
        }
    }

    void writeByte(int value) throws FrameTooBigException {
        need(1);
        buf[pos++] = (byte) value;
    }

    void writeVarint(long value) throws FrameTooBigException {
        need(Varint.size(value));
        pos = Varint.write(buf, pos, value);
    }

    void writeBytes(byte[] bytes, int offset, int length) throws FrameTooBigException {
        need(length);
        System.arraycopy(bytes, offset, buf, pos, length);
        pos += length;
    }

    /** A length-prefixed name in UTF-8, written without an intermediate array. */
    void writeName(String name) throws FrameTooBigException {
        int length = Utf8.encodedLength(name);
        writeVarint(length);
        need(length);
        pos = Utf8.encode(name, buf, pos);
    }

    void writeTypedData(TypedData value) throws FrameTooBigException {
        switch (value.type()) {
            case NULL:
                writeByte(DataType.NULL.id());
                return;
            case BOOL:
                writeByte(((TypedData.Bool) value).value() ? 0x11 : DataType.BOOL.id());
                return;
            case INT32:
                writeInteger(DataType.INT32, ((TypedData.Int32) value).value()); // sign-extended to 64 bits
                return;
            case UINT32:
                writeInteger(DataType.UINT32, ((TypedData.Uint32) value).value());
                return;
            case INT64:
                writeInteger(DataType.INT64, ((TypedData.Int64) value).value());
                return;
            case UINT64:
                writeInteger(DataType.UINT64, ((TypedData.Uint64) value).value());
                return;
            case IPV4:
                need(5);
                buf[pos++] = (byte) DataType.IPV4.id();
                pos = writeIntAt(pos, ((TypedData.Ipv4) value).address());
                return;
            case IPV6:
                need(17);
                buf[pos++] = (byte) DataType.IPV6.id();
                TypedData.Ipv6 ipv6 = (TypedData.Ipv6) value;
                pos = writeIntAt(pos, (int) (ipv6.high() >>> 32));
                pos = writeIntAt(pos, (int) ipv6.high());
                pos = writeIntAt(pos, (int) (ipv6.low() >>> 32));
                pos = writeIntAt(pos, (int) ipv6.low());
                return;
            case STRING:
                writeLengthPrefixed(DataType.STRING, ((TypedData.Text) value).bytes());
                return;
            case BINARY:
                writeLengthPrefixed(DataType.BINARY, ((TypedData.Binary) value).bytes());
                return;
            default:
                throw new AssertionError(value);
        }
    }

    void writeInteger(DataType type, long value) throws FrameTooBigException {
        need(1 + Varint.size(value));
        buf[pos++] = (byte) type.id();
        pos = Varint.write(buf, pos, value);
    }

    /** A STRING typed value from Java text (HELLO and DISCONNECT items). */
    void writeText(String text) throws FrameTooBigException {
        writeByte(DataType.STRING.id());
        writeName(text);
    }

    private void writeLengthPrefixed(DataType type, byte[] bytes) throws FrameTooBigException {
        need(1 + Varint.size(bytes.length) + bytes.length);
        buf[pos++] = (byte) type.id();
        pos = Varint.write(buf, pos, bytes.length);
        System.arraycopy(bytes, 0, buf, pos, bytes.length);
        pos += bytes.length;
    }

    private int writeIntAt(int at, int value) {
        buf[at] = (byte) (value >>> 24);
        buf[at + 1] = (byte) (value >>> 16);
        buf[at + 2] = (byte) (value >>> 8);
        buf[at + 3] = (byte) value;
        return at + 4;
    }
}
