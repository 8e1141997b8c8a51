package dev.spoa.protocol;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** One message of a NOTIFY frame: a spoe-message's name and its arguments in configuration order (at most 255). */
public record Message(String name, List<Argument> arguments) {
    public static final int MAX_ARGUMENTS = 255;

    public Message {
        Objects.requireNonNull(name, "name");
        arguments = List.copyOf(arguments);
        if (arguments.size() > MAX_ARGUMENTS) {
            throw new IllegalArgumentException("a message carries at most " + MAX_ARGUMENTS + " arguments: " + arguments.size());
        }
    }

    /** The value of the first argument with this name. */
    public Optional<TypedData> argument(String argumentName) {
        for (Argument argument : arguments) {
            if (argument.name().equals(argumentName)) {
                return Optional.of(argument.value());
            }
        }
        return Optional.empty();
    }
}
