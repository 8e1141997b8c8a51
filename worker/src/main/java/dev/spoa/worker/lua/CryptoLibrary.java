package dev.spoa.worker.lua;

import static dev.spoa.worker.lua.LuaArgs.argError;
import static dev.spoa.worker.lua.LuaArgs.checkBytes;
import static dev.spoa.worker.lua.LuaArgs.checkString;
import static dev.spoa.worker.lua.LuaArgs.typeName;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.luaj.vm2.LuaString;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.Varargs;
import org.luaj.vm2.lib.TwoArgFunction;
import org.luaj.vm2.lib.VarArgFunction;

/**
 * The global {@code crypto} table: message digests and HMACs over the exact bytes of Lua strings.
 * <ul>
 * <li>{@code crypto.md5(s [, raw])}, {@code sha1}, {@code sha224}, {@code sha256}, {@code sha384},
 * {@code sha512}: the digest of {@code s} in lowercase hex, or as raw bytes when {@code raw} is
 * true (what base64.urlencode wants for a JWT signature).
 * <li>{@code crypto.hmac(alg, key, s [, raw])}: HMAC (RFC 2104) of {@code s} under {@code key},
 * {@code alg} being one of the names above in any case; an empty key is allowed.
 * </ul>
 * Digest and Mac instances are kept per algorithm (a worker runs one handler at a time), and a Mac
 * keeps its key, so that a handler signing every request with the same key pays for no key setup.
 */
final class CryptoLibrary {
    enum Algorithm {
        MD5("md5", "MD5", "HmacMD5"),
        SHA1("sha1", "SHA-1", "HmacSHA1"),
        SHA224("sha224", "SHA-224", "HmacSHA224"),
        SHA256("sha256", "SHA-256", "HmacSHA256"),
        SHA384("sha384", "SHA-384", "HmacSHA384"),
        SHA512("sha512", "SHA-512", "HmacSHA512");

        /** The Lua function name, and the name hmac takes. */
        final String label;
        final String digestName;
        final String macName;

        Algorithm(String label, String digestName, String macName) {
            this.label = label;
            this.digestName = digestName;
            this.macName = macName;
        }

        /** Null for an unknown name. */
        static Algorithm named(String name) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (Algorithm algorithm : values()) {
                if (algorithm.label.equals(lower)) {
                    return algorithm;
                }
            }
            return null;
        }
    }

    private static final String KNOWN_ALGORITHMS = "md5, sha1, sha224, sha256, sha384 or sha512";

    /**
     * RFC 2104 pads the key with zeros to the hash's block size, so an empty key and a single zero
     * byte are the same key; SecretKeySpec refuses an empty one.
     */
    private static final byte[] EMPTY_KEY_EQUIVALENT = {0};

    private static final byte[] HEX_DIGITS = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final MessageDigest[] digests = new MessageDigest[Algorithm.values().length];
    private final Mac[] macs = new Mac[Algorithm.values().length];
    /** The key each Mac was last initialised with. */
    private final byte[][] macKeys = new byte[Algorithm.values().length][];

    LuaTable table() {
        LuaTable crypto = new LuaTable();
        for (Algorithm algorithm : Algorithm.values()) {
            crypto.rawset(algorithm.label, new Digest(algorithm));
        }
        crypto.rawset("hmac", new Hmac());
        return crypto;
    }

    private final class Digest extends TwoArgFunction {
        private final Algorithm algorithm;

        Digest(Algorithm algorithm) {
            this.algorithm = algorithm;
        }

        @Override
        public LuaValue call(LuaValue text, LuaValue raw) {
            byte[] bytes = checkBytes(text, 1, algorithm.label);
            boolean binary = checkRaw(raw, 2, algorithm.label);
            return result(digest(algorithm).digest(bytes), binary);
        }
    }

    private final class Hmac extends VarArgFunction {
        @Override
        public Varargs invoke(Varargs args) {
            String name = checkString(args.arg(1), 1, "hmac");
            Algorithm algorithm = Algorithm.named(name);
            if (algorithm == null) {
                throw argError(1, "hmac", "unknown algorithm '" + name + "', expected " + KNOWN_ALGORITHMS);
            }
            byte[] key = checkBytes(args.arg(2), 2, "hmac");
            byte[] text = checkBytes(args.arg(3), 3, "hmac");
            boolean binary = checkRaw(args.arg(4), 4, "hmac");
            return result(mac(algorithm, key).doFinal(text), binary);
        }
    }

    private MessageDigest digest(Algorithm algorithm) {
        MessageDigest digest = digests[algorithm.ordinal()];
        if (digest == null) {
            try {
                digest = MessageDigest.getInstance(algorithm.digestName);
            } catch (GeneralSecurityException e) {
                // Every Java SE runtime ships these: this is a broken JDK, not a handler's mistake.
                throw new IllegalStateException("no " + algorithm.digestName + " in this JDK", e);
            }
            digests[algorithm.ordinal()] = digest;
        }
        return digest;
    }

    /** The algorithm's Mac, initialised with {@code key} (doFinal leaves it ready for the same key again). */
    private Mac mac(Algorithm algorithm, byte[] key) {
        int index = algorithm.ordinal();
        Mac mac = macs[index];
        try {
            if (mac == null) {
                mac = Mac.getInstance(algorithm.macName);
                macs[index] = mac;
            } else if (macKeys[index] != null && MessageDigest.isEqual(macKeys[index], key)) {
                // Constant time: a handler may pass a key from the request, and the last one may be another client's secret.
                return mac;
            }
            macKeys[index] = null; // until init succeeds
            mac.init(new SecretKeySpec(key.length == 0 ? EMPTY_KEY_EQUIVALENT : key, algorithm.macName));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no " + algorithm.macName + " in this JDK", e);
        }
        // A copy: the array may be a Lua string's own, which must not be pinned or shared.
        macKeys[index] = key.clone();
        return mac;
    }

    /** An optional boolean: nil and false mean hex. */
    private static boolean checkRaw(LuaValue raw, int arg, String function) {
        if (raw.isnil()) {
            return false;
        }
        if (raw.type() != LuaValue.TBOOLEAN) {
            throw argError(arg, function, "boolean expected, got " + typeName(raw));
        }
        return raw.toboolean();
    }

    private static LuaString result(byte[] digest, boolean binary) {
        if (binary) {
            return LuaString.valueUsing(digest); // a fresh array nobody else holds
        }
        byte[] hex = new byte[digest.length * 2];
        for (int i = 0; i < digest.length; i++) {
            hex[2 * i] = HEX_DIGITS[(digest[i] >> 4) & 0xf];
            hex[2 * i + 1] = HEX_DIGITS[digest[i] & 0xf];
        }
        return LuaString.valueUsing(hex);
    }
}
