package dev.spoa.protocol;

import java.util.Objects;

/** One item of a KV-LIST, the payload of HELLO and DISCONNECT frames. */
public record KeyValue(String key, TypedData value) {
    public KeyValue {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }
}
