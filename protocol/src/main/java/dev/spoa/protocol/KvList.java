package dev.spoa.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * A KV-LIST (doc/SPOE.txt §3.2): name/typed-value items, the payload of HELLO and DISCONNECT
 * frames, with the lookups those frames need. Unknown items are kept but never required; when a
 * key repeats, the last one counts, as in HAProxy.
 */
public record KvList(List<KeyValue> items) {

    public KvList {
        items = List.copyOf(items);
    }

    public static KvList decode(byte[] buf, int offset, int length) throws SpopException {
        return read(new WireReader(buf, offset, length));
    }

    static KvList read(WireReader in) throws SpopException {
        List<KeyValue> items = new ArrayList<>();
        while (in.hasRemaining()) {
            String key = in.readName("item name");
            if (key.isEmpty()) {
                throw WireReader.invalid("KV item with an empty name");
            }
            try {
                items.add(new KeyValue(key, in.readTypedData("item value")));
            } catch (SpopException e) {
                throw e.within("item", key);
            }
        }
        return new KvList(items);
    }

    /** The value of the last item with this key, or null. */
    public TypedData get(String key) {
        for (int i = items.size() - 1; i >= 0; i--) {
            if (items.get(i).key().equals(key)) {
                return items.get(i).value();
            }
        }
        return null;
    }

    /** A mandatory STRING item; its absence is answered with {@code whenMissing}. */
    String text(String key, Status whenMissing) throws SpopException {
        String text = optionalText(key, null);
        if (text == null) {
            throw new SpopException(whenMissing, "no " + WireReader.quote(key) + " item");
        }
        return text;
    }

    String optionalText(String key, String otherwise) throws SpopException {
        TypedData value = get(key);
        if (value == null) {
            return otherwise;
        }
        if (!(value instanceof TypedData.Text text)) {
            throw WireReader.invalid(WireReader.quote(key) + " must be a STRING, not " + value.type());
        }
        return text.asString();
    }

    /** A mandatory integer item of any integer type, UINT64 values above 2^63-1 read as Long.MAX_VALUE. */
    long integer(String key, Status whenMissing) throws SpopException {
        TypedData value = get(key);
        if (value == null) {
            throw new SpopException(whenMissing, "no " + WireReader.quote(key) + " item");
        }
        switch (value.type()) {
            case INT32:
                return ((TypedData.Int32) value).value();
            case UINT32:
                return ((TypedData.Uint32) value).value();
            case INT64:
                return ((TypedData.Int64) value).value();
            case UINT64:
                long bits = ((TypedData.Uint64) value).value();
                return bits < 0 ? Long.MAX_VALUE : bits;
            default:
                throw WireReader.invalid(WireReader.quote(key) + " must be an integer, not " + value.type());
        }
    }

    /** An optional BOOL item, false when absent. */
    boolean flag(String key) throws SpopException {
        TypedData value = get(key);
        if (value == null) {
            return false;
        }
        if (!(value instanceof TypedData.Bool bool)) {
            throw WireReader.invalid(WireReader.quote(key) + " must be a BOOL, not " + value.type());
        }
        return bool.value();
    }
}
