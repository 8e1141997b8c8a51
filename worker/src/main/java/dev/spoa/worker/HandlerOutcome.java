package dev.spoa.worker;

import dev.spoa.protocol.Action;
import java.util.List;
import java.util.Objects;

/**
 * The result of one {@link MessageHandler#handle} call.
 *
 * <p>{@code actions} holds what every message's handler set, in order, minus the actions of any
 * handler that failed (a half-done handler's variables would be worse than none). It may be a
 * view the handler reuses: it is valid until the next {@code handle} call on the same handler.
 *
 * @param actions the ACK's actions (possibly empty, never null)
 * @param failure null when every handler ran; else the first failure as "script.lua:12: message"
 */
public record HandlerOutcome(List<Action> actions, String failure) {

    public HandlerOutcome {
        // No defensive copy: the point of the record is to hand the reused list on for free.
        Objects.requireNonNull(actions, "actions");
    }

    /** True when some handler raised an error: the caller sets the error variable and logs {@link #failure()}. */
    public boolean failed() {
        return failure != null;
    }
}
