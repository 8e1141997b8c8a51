package dev.spoa.protocol;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The captured and synthesized SPOP frames of src/test/resources/spop-vectors, with their index.json entries. */
final class Vectors {
    static final int HAPROXY_MAX_FRAME_SIZE = 16380;

    private Vectors() {
    }

    record Vector(String name, byte[] bytes, Map<String, Object> entry) {
        boolean fromHaproxy() {
            return "haproxy->agent".equals(entry.get("direction"));
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> decoded() {
            return (Map<String, Object>) entry.get("decoded");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> expect() {
            return (Map<String, Object>) entry.get("expect");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    @SuppressWarnings("unchecked")
    static List<Vector> all() {
        Map<String, Object> index = (Map<String, Object>) Json.parse(new String(resource("index.json"), StandardCharsets.UTF_8));
        return ((List<Object>) index.get("vectors")).stream()
                .map(entry -> (Map<String, Object>) entry)
                .map(entry -> new Vector((String) entry.get("name"), resource((String) entry.get("file")), entry))
                .toList();
    }

    static Vector named(String name) {
        return all().stream().filter(vector -> vector.name().equals(name)).findFirst().orElseThrow();
    }

    static byte[] resource(String file) {
        try (InputStream in = Vectors.class.getResourceAsStream("/spop-vectors/" + file)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource spop-vectors/" + file);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Encodes a frame the way a caller would: into a buffer with room for 4 + max-frame-size bytes. */
    static byte[] encode(Frame frame) throws FrameTooBigException {
        byte[] buf = new byte[4 + HAPROXY_MAX_FRAME_SIZE];
        WireWriter out = new WireWriter(buf);
        frame.encode(out, HAPROXY_MAX_FRAME_SIZE);
        return Arrays.copyOf(buf, out.position());
    }
}
