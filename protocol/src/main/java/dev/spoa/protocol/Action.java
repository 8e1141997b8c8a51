package dev.spoa.protocol;

import java.util.Objects;

/**
 * An action in an ACK (doc/SPOE.txt §3.4). HAProxy prefixes the name with the SPOE agent's
 * var-prefix: set-var(TXN, "ip_score") becomes {@code txn.<prefix>.ip_score}. HAProxy stops reading
 * an ACK at the first action it does not know, so only these two exist.
 */
public sealed interface Action {

    VarScope scope();

    String name();

    /** SET-VAR: action type 1, three arguments (scope, name, value). A NULL value unsets the variable. */
    record SetVar(VarScope scope, String name, TypedData value) implements Action {
        public SetVar {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /** UNSET-VAR: action type 2, two arguments (scope, name). */
    record UnsetVar(VarScope scope, String name) implements Action {
        public UnsetVar {
            Objects.requireNonNull(scope, "scope");
            Objects.requireNonNull(name, "name");
        }
    }
}
