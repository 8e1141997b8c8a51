package dev.spoa.bench.load;

import java.nio.charset.StandardCharsets;

/**
 * What every ACK is checked for: a set-var of {@code expectedVariable} (the handler's answer; any
 * scope, since agents differ there), and whether it sets {@code errorVariable}, the variable an
 * agent sets when it could not run the handler (spoa's {@code --error-var}).
 */
public record AckCheck(String expectedVariable, String errorVariable) {

    byte[] expectedName() {
        return expectedVariable.getBytes(StandardCharsets.UTF_8);
    }

    byte[] errorName() {
        return errorVariable.getBytes(StandardCharsets.UTF_8);
    }
}
