package dev.spoa.worker.lua;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** crypto's digests and HMACs against published vectors (and openssl for what none publishes). */
class CryptoLibraryTest {
    private final Snippets lua = new Snippets();

    CryptoLibraryTest() {
        lua.globals.set("crypto", new CryptoLibrary().table());
    }

    /** A Lua expression for the string 'a' repeated, as RFC 2202 and 4231 build their keys and data. */
    private static String repeat(int b, int count) {
        return "string.rep(string.char(" + b + "), " + count + ")";
    }

    @Test
    void md5MatchesRfc1321() {
        assertEquals("d41d8cd98f00b204e9800998ecf8427e", lua.text("crypto.md5('')"));
        assertEquals("0cc175b9c0f1b6a831c399e269772661", lua.text("crypto.md5('a')"));
        assertEquals("900150983cd24fb0d6963f7d28e17f72", lua.text("crypto.md5('abc')"));
        assertEquals("f96b697d7cb7938d525a2f31aaf161d0", lua.text("crypto.md5('message digest')"));
        assertEquals("57edf4a22be3c955ac49da2e2107b67a",
                lua.text("crypto.md5('12345678901234567890123456789012345678901234567890123456789012345678901234567890')"));
    }

    @Test
    void shaFamilyMatchesFips180() {
        assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", lua.text("crypto.sha1('abc')"));
        assertEquals("84983e441c3bd26ebaae4aa1f95129e5e54670f1",
                lua.text("crypto.sha1('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')"));
        assertEquals("23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7", lua.text("crypto.sha224('abc')"));
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", lua.text("crypto.sha256('abc')"));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", lua.text("crypto.sha256('')"));
        assertEquals("cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7",
                lua.text("crypto.sha384('abc')"));
        assertEquals("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f",
                lua.text("crypto.sha512('abc')"));
    }

    @Test
    void digestsTheExactBytesBinaryIncluded() {
        // printf '\x00\xff\x80abc\x00' | openssl dgst -sha256 (and -md5)
        assertEquals("873e90966c0cfb421e368efb3f6fe2acd63e43708b3c32ae72446a95e174e01d", lua.text("crypto.sha256('\\0\\255\\128abc\\0')"));
        assertEquals("f3d2f8e551b63408cda9c34d5c4aa88e", lua.text("crypto.md5('\\0\\255\\128abc\\0')"));
        // A substring shares its parent's bytes in luaj: only its own count.
        assertEquals("900150983cd24fb0d6963f7d28e17f72", lua.text("crypto.md5(('xxabcxx'):sub(3, 5))"));
        // Lua turns a number into its text.
        assertEquals("202cb962ac59075b964b07152d234b70", lua.text("crypto.md5(123)"));
    }

    @Test
    void rawGivesTheDigestBytes() {
        assertArrayEquals(HexFormat.of().parseHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
                lua.bytes("crypto.sha256('abc', true)"));
        assertEquals("900150983cd24fb0d6963f7d28e17f72", lua.text("crypto.md5('abc', false)"));
        assertEquals("900150983cd24fb0d6963f7d28e17f72", lua.text("crypto.md5('abc', nil)"));
    }

    @Test
    void hmacMatchesRfc2202() {
        assertEquals("9294727a3638bb1c13f48ef8158bfc9d", lua.text("crypto.hmac('md5', " + repeat(0x0b, 16) + ", 'Hi There')"));
        assertEquals("750c783e6ab0b503eaa86e310a5db738", lua.text("crypto.hmac('md5', 'Jefe', 'what do ya want for nothing?')"));
        assertEquals("56be34521d144c88dbb8c733f0e8b3f6", lua.text("crypto.hmac('md5', " + repeat(0xaa, 16) + ", " + repeat(0xdd, 50) + ")"));
        assertEquals("b617318655057264e28bc0b6fb378c8ef146be00", lua.text("crypto.hmac('sha1', " + repeat(0x0b, 20) + ", 'Hi There')"));
        assertEquals("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", lua.text("crypto.hmac('sha1', 'Jefe', 'what do ya want for nothing?')"));
        // A key longer than the block size is hashed first.
        assertEquals("aa4ae5e15272d00e95705637ce8a3b55ed402112",
                lua.text("crypto.hmac('sha1', " + repeat(0xaa, 80) + ", 'Test Using Larger Than Block-Size Key - Hash Key First')"));
    }

    @Test
    void hmacMatchesRfc4231() {
        String key = repeat(0x0b, 20);
        assertEquals("896fb1128abbdf196832107cd49df33f47b4b1169912ba4f53684b22",
                lua.text("crypto.hmac('sha224', " + key + ", 'Hi There')"));
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                lua.text("crypto.hmac('sha256', " + key + ", 'Hi There')"));
        assertEquals("afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6",
                lua.text("crypto.hmac('sha384', " + key + ", 'Hi There')"));
        assertEquals("87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854",
                lua.text("crypto.hmac('sha512', " + key + ", 'Hi There')"));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                lua.text("crypto.hmac('sha256', 'Jefe', 'what do ya want for nothing?')"));
        assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                lua.text("crypto.hmac('sha256', " + repeat(0xaa, 131) + ", 'Test Using Larger Than Block-Size Key - Hash Key First')"));
    }

    @Test
    void hmacTakesAnEmptyKey() {
        // Published for HMAC("", ""), and openssl dgst -hmac '' for the rest.
        assertEquals("74e6f7298a9c2d168935f58c001bad88", lua.text("crypto.hmac('md5', '', '')"));
        assertEquals("b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad", lua.text("crypto.hmac('sha256', '', '')"));
        String fox = "'The quick brown fox jumps over the lazy dog'";
        assertEquals("ad262969c53bc16032f160081c4a07a0", lua.text("crypto.hmac('md5', '', " + fox + ")"));
        assertEquals("2ba7f707ad5f187c412de3106583c3111d668de8", lua.text("crypto.hmac('sha1', '', " + fox + ")"));
        assertEquals("fb011e6154a19b9a4c767373c305275a5a69e8b68b0b4c9200c383dced19a416", lua.text("crypto.hmac('sha256', '', " + fox + ")"));
        assertEquals("1de78322e11d7f8f1035c12740f2b902353f6f4ac4233ae455baccdf9f37791566e790d5c7682aad5d3ceca2feff4d3f3fdfd9a140c82a66324e9442b8af71b6",
                lua.text("crypto.hmac('sha512', '', " + fox + ")"));
    }

    @Test
    void hmacOverBinaryKeyAndData() {
        // printf 'data\x00\xff' | openssl dgst -sha256 -mac HMAC -macopt hexkey:00ff80
        assertEquals("1826b91249eef3df21d8906ebdd2b4306813745005df2c108c4713388006596e",
                lua.text("crypto.hmac('sha256', '\\0\\255\\128', 'data\\0\\255')"));
    }

    @Test
    void hmacFollowsKeyChangesWhateverTheOrder() {
        // Each Mac keeps its last key: switching keys back and forth must never reuse the wrong one.
        String jefe = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        String empty = "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad";
        assertEquals(jefe, lua.text("crypto.hmac('sha256', 'Jefe', 'what do ya want for nothing?')"));
        assertEquals(jefe, lua.text("crypto.hmac('sha256', 'Jefe', 'what do ya want for nothing?')"));
        assertEquals(empty, lua.text("crypto.hmac('sha256', '', '')"));
        assertEquals(jefe, lua.text("crypto.hmac('sha256', 'Jefe', 'what do ya want for nothing?')"));
        assertEquals(empty, lua.text("crypto.hmac('SHA256', '', '')"));
        // An empty key is not the one-zero-byte key it stands for... in the cache; in HMAC it is the same.
        assertEquals(empty, lua.text("crypto.hmac('sha256', '\\0', '')"));
        assertEquals(empty, lua.text("crypto.hmac('sha256', '', '')"));
    }

    @Test
    void hmacAlgorithmNamesIgnoreCase() {
        assertEquals("750c783e6ab0b503eaa86e310a5db738", lua.text("crypto.hmac('MD5', 'Jefe', 'what do ya want for nothing?')"));
        assertEquals("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79", lua.text("crypto.hmac('Sha1', 'Jefe', 'what do ya want for nothing?')"));
    }

    @Test
    void hmacRawGivesTheMacBytes() {
        assertArrayEquals(HexFormat.of().parseHex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
                lua.bytes("crypto.hmac('sha256', 'Jefe', 'what do ya want for nothing?', true)"));
    }

    @Test
    void signsAJwtWithBase64() {
        // jwt.io's HS256 example, whose secret is "your-256-bit-secret".
        lua.globals.set("base64", new Base64Library().table());
        assertEquals("SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", lua.text("base64.urlencode(crypto.hmac('sha256', 'your-256-bit-secret', "
                + "'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ', true))"));
    }

    @Test
    void refusesBadArguments() {
        assertEquals("bad argument #1 to 'md5' (string expected, got nil)", lua.pcallError("crypto.md5"));
        assertEquals("bad argument #1 to 'sha256' (string expected, got table)", lua.pcallError("crypto.sha256, {}"));
        assertEquals("bad argument #1 to 'sha512' (string expected, got boolean)", lua.pcallError("crypto.sha512, true"));
        assertEquals("bad argument #2 to 'sha1' (boolean expected, got string)", lua.pcallError("crypto.sha1, 'x', 'raw'"));
        assertEquals("bad argument #1 to 'hmac' (unknown algorithm 'sha3', expected md5, sha1, sha224, sha256, sha384 or sha512)",
                lua.pcallError("crypto.hmac, 'sha3', 'k', 'x'"));
        assertEquals("bad argument #1 to 'hmac' (unknown algorithm 'sha-256', expected md5, sha1, sha224, sha256, sha384 or sha512)",
                lua.pcallError("crypto.hmac, 'sha-256', 'k', 'x'"));
        assertEquals("bad argument #1 to 'hmac' (string expected, got nil)", lua.pcallError("crypto.hmac, nil, 'k', 'x'"));
        assertEquals("bad argument #2 to 'hmac' (string expected, got nil)", lua.pcallError("crypto.hmac, 'sha256', nil, 'x'"));
        assertEquals("bad argument #3 to 'hmac' (string expected, got table)", lua.pcallError("crypto.hmac, 'sha256', 'k', {}"));
        assertEquals("bad argument #3 to 'hmac' (string expected, got nil)", lua.pcallError("crypto.hmac, 'sha256', 'k'"));
        assertEquals("bad argument #4 to 'hmac' (boolean expected, got number)", lua.pcallError("crypto.hmac, 'sha256', 'k', 'x', 1"));
    }
}
