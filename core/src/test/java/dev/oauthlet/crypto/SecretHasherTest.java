package dev.oauthlet.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Generated secrets: 256 random bits, stored as {@code sha256$}, never taken for a PBKDF2 hash. */
class SecretHasherTest {

    @Test
    void generateSecretWhenCalledTwiceThenTwoDifferent256BitValues() {
        String a = SecretHasher.generateSecret();
        String b = SecretHasher.generateSecret();

        assertEquals(32, Base64.getUrlDecoder().decode(a).length);
        assertNotEquals(a, b);
    }

    @Test
    void matchesWhenGeneratedHashThenOnlyThatSecretMatches() {
        String secret = SecretHasher.generateSecret();
        String hash = SecretHasher.hashGenerated(secret);

        assertTrue(hash.startsWith("sha256$"));
        assertTrue(SecretHasher.matches(secret, hash));
        assertFalse(SecretHasher.matches(secret + "x", hash));
        assertFalse(SecretHasher.matches(secret, "sha256$" + Hashes.sha256("other")));
    }

    @Test
    void isHashWhenEitherKindThenTrueAndIsPbkdf2HashOnlyForTheSlowKind() {
        String generated = SecretHasher.hashGenerated(SecretHasher.generateSecret());
        String chosen = new SecretHasher(1_000).hash("chosen");

        assertTrue(SecretHasher.isHash(generated));
        assertTrue(SecretHasher.isHash(chosen));
        assertFalse(SecretHasher.isPbkdf2Hash(generated));
        assertTrue(SecretHasher.isPbkdf2Hash(chosen));
        assertFalse(SecretHasher.isHash("sha256$tooShort"));
    }
}
