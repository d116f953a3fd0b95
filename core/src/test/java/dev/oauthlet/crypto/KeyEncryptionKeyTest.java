package dev.oauthlet.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** AES-256-GCM sealing under a key-encryption key: what it accepts, and every change it notices. */
class KeyEncryptionKeyTest {

    private static final byte[] RAW = new byte[32];

    static {
        for (int i = 0; i < RAW.length; i++) {
            RAW[i] = (byte) (i * 7 + 3);
        }
    }

    private static final byte[] AAD = "oauthlet signing key\0k1\0ES256".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SECRET = "-----a PKCS#8 key, say-----".getBytes(StandardCharsets.UTF_8);

    @Test
    void parseWhenBase64OrBase64UrlWithOrWithoutPaddingThenTheSameKey() {
        KeyEncryptionKey padded = KeyEncryptionKey.parse(Base64.getEncoder().encodeToString(RAW));
        List<String> spellings = List.of(Base64.getEncoder().withoutPadding().encodeToString(RAW),
                Base64.getUrlEncoder().encodeToString(RAW), Base64.getUrlEncoder().withoutPadding().encodeToString(RAW),
                " " + Base64.getEncoder().encodeToString(RAW) + "\n");
        for (String s : spellings) {
            assertEquals(padded.id(), KeyEncryptionKey.parse(s).id(), s);
        }
        assertTrue(padded.id().matches("kek-[0-9a-f]{16}"), padded.id());
    }

    @Test
    void parseWhenNot32BytesThenSaysHowManyAndHowToMakeOneWithoutQuotingIt() {
        String short16 = Base64.getEncoder().encodeToString(Arrays.copyOf(RAW, 16));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyEncryptionKey.parse(short16));
        assertEquals("must be 32 bytes (256 bits) in base64 or base64url, this is 16 bytes (make one with 'openssl rand -base64 32')",
                e.getMessage());
        assertFalse(e.getMessage().contains(short16));
    }

    @Test
    void parseWhenPassphraseThenRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> KeyEncryptionKey.parse("correct horse battery staple"));
        assertTrue(e.getMessage().startsWith("is not base64 or base64url (a passphrase is not accepted"), e.getMessage());
        assertFalse(e.getMessage().contains("horse"));
    }

    /** The command docs/configuration.md gives makes a key this accepts. */
    @Test
    void parseWhenMadeByTheDocumentedOpensslCommandThenAccepted() throws Exception {
        Process p = new ProcessBuilder("openssl", "rand", "-base64", "32").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(0, p.waitFor(), out);
        assertTrue(KeyEncryptionKey.parse(out).id().startsWith("kek-"));
    }

    @Test
    void openWhenSealedWithTheSameKeyAndDataThenThePlaintext() throws Exception {
        KeyEncryptionKey kek = KeyEncryptionKey.parse(Base64.getEncoder().encodeToString(RAW));

        assertArrayEquals(SECRET, kek.open(kek.seal(SECRET, AAD), AAD));
    }

    @Test
    void sealWhenCalledTwiceThenAFreshIvEachTime() {
        KeyEncryptionKey kek = KeyEncryptionKey.generate();
        byte[] a = kek.seal(SECRET, AAD);
        byte[] b = kek.seal(SECRET, AAD);

        assertFalse(Arrays.equals(Arrays.copyOfRange(a, 1, 13), Arrays.copyOfRange(b, 1, 13)), "96-bit IVs differ");
        assertFalse(Arrays.equals(a, b));
        assertEquals(1 + 12 + SECRET.length + 16, a.length);
    }

    @Test
    void openWhenAnyByteChangedThenRefused() {
        KeyEncryptionKey kek = KeyEncryptionKey.generate();
        byte[] sealed = kek.seal(SECRET, AAD);
        for (int i = 0; i < sealed.length; i++) {
            byte[] changed = sealed.clone();
            changed[i] ^= 0x01;
            assertThrows(GeneralSecurityException.class, () -> kek.open(changed, AAD), "byte " + i);
        }
    }

    @Test
    void openWhenOtherAssociatedDataOrOtherKeyThenRefused() {
        KeyEncryptionKey kek = KeyEncryptionKey.generate();
        byte[] sealed = kek.seal(SECRET, AAD);

        assertThrows(GeneralSecurityException.class,
                () -> kek.open(sealed, "oauthlet signing key\0k2\0ES256".getBytes(StandardCharsets.UTF_8)));
        assertThrows(GeneralSecurityException.class, () -> KeyEncryptionKey.generate().open(sealed, AAD));
        assertThrows(GeneralSecurityException.class, () -> kek.open(new byte[5], AAD));
    }

    @Test
    void toStringWhenPrintedThenOnlyTheId() {
        KeyEncryptionKey kek = KeyEncryptionKey.parse(Base64.getEncoder().encodeToString(RAW));

        assertEquals("KeyEncryptionKey[" + kek.id() + "]", kek.toString());
        assertNotEquals(KeyEncryptionKey.generate().id(), kek.id());
    }
}
