package dev.spoa.worker;

import dev.spoa.protocol.Message;
import java.util.List;

/**
 * What runs the operator's code for one NOTIFY: the messages in, the ACK's actions out.
 *
 * <p>Implementations are single-threaded (a worker runs one at a time) and may reuse the
 * returned {@link HandlerOutcome#actions()} list between calls, so that the hot path allocates
 * nothing it does not have to: consume the outcome before the next {@code handle} call, or copy
 * it.
 */
public interface MessageHandler {

    /** The actions for the ACK of one NOTIFY. Never throws for a handler's own error: that is reported in the outcome. */
    HandlerOutcome handle(List<Message> messages);
}
