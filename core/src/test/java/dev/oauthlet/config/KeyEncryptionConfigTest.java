package dev.oauthlet.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.oauthlet.TestConfigs;
import dev.oauthlet.crypto.KeyEncryptionKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code signing.key-encryption-key} and {@code signing.previous-key-encryption-keys}. */
class KeyEncryptionConfigTest {

    private static final String KEK = Base64.getEncoder().encodeToString(filled(32, 0x5a));
    private static final String OLD = Base64.getUrlEncoder().withoutPadding().encodeToString("an older key of thirty-two bytes".getBytes(StandardCharsets.US_ASCII));
    private static final Placeholders ENV = Placeholders.of(Map.of("OAUTHLET_KEK", KEK, "OAUTHLET_OLD_KEK", OLD,
            "SHORT", Base64.getEncoder().encodeToString(new byte[31])));

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    private static OauthletConfig load(String yaml) {
        return TestConfigs.parse(yaml, ENV);
    }

    private static String error(String yaml) {
        return assertThrows(ConfigException.class, () -> TestConfigs.parse(yaml, ENV)).getMessage();
    }

    @Test
    void loadWhenKekFromTheEnvironmentThenCurrentAndPreviousAreRead() {
        SigningConfig s = load("""
                signing:
                  key-encryption-key: ${OAUTHLET_KEK}
                  previous-key-encryption-keys:
                    - ${OAUTHLET_OLD_KEK}
                """).signing();

        assertEquals(KeyEncryptionKey.parse(KEK).id(), s.keyEncryption().current().id());
        assertEquals(List.of(KeyEncryptionKey.parse(OLD).id()), s.keyEncryption().previous().stream().map(KeyEncryptionKey::id).toList());
        assertFalse(s.toString().contains(KEK) || s.toString().contains(OLD), s.toString());
    }

    @Test
    void loadWhenNoKekOrAnEmptyOneThenNone() {
        assertFalse(load("audiences: [api]\n").signing().keyEncryption().configured());
        assertFalse(load("signing:\n  key-encryption-key: ${UNSET_KEK:-}\n").signing().keyEncryption().configured());
    }

    @Test
    void loadWhenKekTooShortThenFileKeyPathAndFix() {
        assertEquals("oauthlet.yml: signing.key-encryption-key: must be 32 bytes (256 bits) in base64 or base64url, this is 31 bytes "
                + "(make one with 'openssl rand -base64 32')", error("signing:\n  key-encryption-key: ${SHORT}\n"));
    }

    @Test
    void loadWhenKekIsAPassphraseThenRefusedWithoutQuotingIt() {
        String msg = error("signing:\n  key-encryption-key: my secret passphrase\n");
        assertEquals("oauthlet.yml: signing.key-encryption-key: is not base64 or base64url (a passphrase is not accepted: give 32 random "
                + "bytes, e.g. from 'openssl rand -base64 32')", msg);
    }

    @Test
    void loadWhenPreviousKekBadThenItsIndexIsNamed() {
        assertEquals("oauthlet.yml: signing.previous-key-encryption-keys[1]: must be 32 bytes (256 bits) in base64 or base64url, this is "
                + "31 bytes (make one with 'openssl rand -base64 32')", error("""
                signing:
                  key-encryption-key: ${OAUTHLET_KEK}
                  previous-key-encryption-keys:
                    - ${OAUTHLET_OLD_KEK}
                    - ${SHORT}
                """));
    }

    @Test
    void loadWhenPreviousWithoutCurrentOrRepeatedThenRefused() {
        assertEquals("oauthlet.yml: signing.previous-key-encryption-keys: only with key-encryption-key, the key they are re-encrypted "
                + "under (set signing.key-encryption-key to the new key)", error("signing:\n  previous-key-encryption-keys:\n    - ${OAUTHLET_OLD_KEK}\n"));
        assertEquals("oauthlet.yml: signing: previous-key-encryption-keys: " + KeyEncryptionKey.parse(KEK).id() + " is listed twice (or is "
                + "also the current key-encryption-key); list each earlier key once", error("""
                signing:
                  key-encryption-key: ${OAUTHLET_KEK}
                  previous-key-encryption-keys:
                    - ${OAUTHLET_KEK}
                """));
    }
}
