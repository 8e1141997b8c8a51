package dev.spoa.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.spoa.protocol.Action;
import dev.spoa.protocol.TypedData;
import dev.spoa.protocol.VarScope;
import org.junit.jupiter.api.Test;

class ErrorVariableTest {
    @Test
    void defaultIsTxnError() {
        ErrorVariable variable = new ErrorVariable();
        assertEquals(new ErrorVariable("error", VarScope.TXN), variable);
        assertEquals(new Action.SetVar(VarScope.TXN, "error", TypedData.Text.of("handler")), variable.set(ErrorVariable.HANDLER));
    }

    @Test
    void reasons() {
        ErrorVariable variable = new ErrorVariable("spoa_error", VarScope.SESS);
        for (String reason : new String[] {ErrorVariable.HANDLER, ErrorVariable.TIMEOUT, ErrorVariable.WORKER_DIED, ErrorVariable.OVERLOADED, ErrorVariable.TOO_BIG}) {
            assertEquals(new Action.SetVar(VarScope.SESS, "spoa_error", TypedData.Text.of(reason)), variable.set(reason));
        }
        assertEquals("worker-died", ErrorVariable.WORKER_DIED);
        assertEquals("too-big", ErrorVariable.TOO_BIG);
    }

    @Test
    void namesHaproxyWouldDropAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ErrorVariable("", VarScope.TXN));
        assertThrows(IllegalArgumentException.class, () -> new ErrorVariable("bad-name", VarScope.TXN));
        assertThrows(IllegalArgumentException.class, () -> new ErrorVariable("with space", VarScope.TXN));
        assertEquals("a.b_c9", new ErrorVariable("a.b_c9", VarScope.TXN).name());
    }
}
