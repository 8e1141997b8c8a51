package dev.spoa.worker;

import dev.spoa.protocol.Action;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import java.util.Objects;

/**
 * The variable that tells HAProxy's rules why spoa could not answer normally (DESIGN §2). HAProxy
 * prefixes it with the agent's var-prefix: by default {@code txn.<prefix>.error}. Operators pair it
 * with {@code option set-on-error} to choose fail-open or fail-closed.
 *
 * @param name the variable name, without scope or prefix
 * @param scope the variable scope
 */
public record ErrorVariable(String name, VarScope scope) {

    /** A handler raised an error. */
    public static final String HANDLER = "handler";
    /** The handler did not answer before the job's deadline. */
    public static final String TIMEOUT = "timeout";
    /** The worker holding the job died and no other could take it in time. */
    public static final String WORKER_DIED = "worker-died";
    /** A cap on outstanding work was reached, or no worker is alive. */
    public static final String OVERLOADED = "overloaded";
    /** The ACK would not fit in the negotiated frame size. */
    public static final String TOO_BIG = "too-big";

    public static final String DEFAULT_NAME = "error";
    public static final VarScope DEFAULT_SCOPE = VarScope.TXN;

    public ErrorVariable {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(scope, "scope");
        // HAProxy silently drops a variable whose name it cannot register (vars.c accepts
        // [A-Za-z0-9_.] only): a typo here would make every error invisible, so refuse it upfront.
        if (name.isEmpty()) {
            throw new IllegalArgumentException("the error variable needs a name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
            if (!ok) {
                throw new IllegalArgumentException("invalid error variable name \"" + name + "\": HAProxy accepts only letters, digits, '_' and '.'");
            }
        }
    }

    /** {@code txn.<prefix>.error}. */
    public ErrorVariable() {
        this(DEFAULT_NAME, DEFAULT_SCOPE);
    }

    /** The set-var action carrying {@code reason} (one of the constants above) as a STRING. */
    public Action set(String reason) {
        return new Action.SetVar(scope, name, TypedData.Text.of(reason));
    }
}
