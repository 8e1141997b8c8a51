package dev.spoa.protocol;

import java.util.Objects;

/** One argument of a NOTIFY message. Arguments declared without {@code name=} in the SPOE config have an empty name. */
public record Argument(String name, TypedData value) {
    public Argument {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
