package dev.spoa.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * LIST-OF-ACTIONS, the ACK payload (doc/SPOE.txt §3.4):
 * {@code SET-VAR: <1> <3> <scope:1 byte> <name:string> <value:typed>},
 * {@code UNSET-VAR: <2> <2> <scope:1 byte> <name:string>}.
 *
 * <p>HAProxy drops the rest of an ACK at the first action it cannot read, so decoding is strict:
 * an unknown action type, a wrong argument count or an unknown scope is an invalid frame.
 */
public final class ActionList {
    static final int SET_VAR = 1;
    static final int UNSET_VAR = 2;

    private ActionList() {
    }

    /**
     * Writes the actions alone (an ACK payload), for a frame assembled elsewhere with
     * {@link Ack#encode(WireWriter, long, long, byte[], int, int, int)}. The writer's limit is the
     * room the payload may take.
     */
    public static void encode(List<Action> actions, WireWriter out) throws FrameTooBigException {
        int start = out.position();
        try {
            writeActions(actions, out);
        } catch (FrameTooBigException e) {
            out.rewind(start);
            throw e;
        }
    }

    static void writeActions(List<Action> actions, WireWriter out) throws FrameTooBigException {
        for (int i = 0; i < actions.size(); i++) {
            Action action = actions.get(i);
            if (action instanceof Action.SetVar setVar) {
                out.writeByte(SET_VAR);
                out.writeByte(3);
                out.writeByte(setVar.scope().id());
                out.writeName(setVar.name());
                out.writeTypedData(setVar.value());
            } else {
                out.writeByte(UNSET_VAR);
                out.writeByte(2);
                out.writeByte(action.scope().id());
                out.writeName(action.name());
            }
        }
    }

    public static List<Action> decode(byte[] buf, int offset, int length) throws SpopException {
        return read(new WireReader(buf, offset, length));
    }

    static List<Action> read(WireReader in) throws SpopException {
        List<Action> actions = new ArrayList<>();
        while (in.hasRemaining()) {
            int type = in.readUnsignedByte("action type");
            if (type != SET_VAR && type != UNSET_VAR) {
                throw WireReader.invalid("unknown action type " + type);
            }
            int expectedArguments = type == SET_VAR ? 3 : 2;
            int arguments = in.readUnsignedByte("action argument count");
            if (arguments != expectedArguments) {
                throw WireReader.invalid((type == SET_VAR ? "set-var" : "unset-var") + " with " + arguments
                        + " arguments instead of " + expectedArguments);
            }
            int scopeId = in.readUnsignedByte("variable scope");
            VarScope scope = VarScope.byId(scopeId);
            if (scope == null) {
                throw WireReader.invalid("unknown variable scope " + scopeId);
            }
            String name = in.readName("variable name");
            actions.add(type == SET_VAR ? new Action.SetVar(scope, name, readValue(in, name)) : new Action.UnsetVar(scope, name));
        }
        return List.copyOf(actions);
    }

    private static TypedData readValue(WireReader in, String name) throws SpopException {
        try {
            return in.readTypedData("set-var value");
        } catch (SpopException e) {
            throw e.within("variable", name);
        }
    }
}
