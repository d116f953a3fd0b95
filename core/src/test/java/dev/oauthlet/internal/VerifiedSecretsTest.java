package dev.oauthlet.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.crypto.SecretHasher;
import org.junit.jupiter.api.Test;

class VerifiedSecretsTest {

    private final SecretHasher hasher = new SecretHasher(1_000);

    @Test
    void knownWhenNeverRememberedThenFalse() {
        String hash = hasher.hash("s3cret");
        assertFalse(VerifiedSecrets.known(hash, "s3cret"));
        VerifiedSecrets.remember(hash, "s3cret");
        assertTrue(VerifiedSecrets.known(hash, "s3cret"));
    }

    @Test
    void knownWhenOtherSecretThanTheRememberedOneThenFalse() {
        String hash = hasher.hash("s3cret");
        VerifiedSecrets.remember(hash, "s3cret");
        assertFalse(VerifiedSecrets.known(hash, "s3creT"));
        assertFalse(VerifiedSecrets.known(hash, ""));
        assertFalse(VerifiedSecrets.known(hash, "s3cret "));
    }

    @Test
    void knownWhenRememberedForOtherHashThenFalse() {
        String a = hasher.hash("same");
        String b = hasher.hash("other");
        VerifiedSecrets.remember(a, "same");
        assertFalse(VerifiedSecrets.known(b, "same"));
    }

    @Test
    void hashWhenSameSecretTwiceThenDifferentSalts() {
        String a = hasher.hash("same");
        String b = hasher.hash("same");
        assertFalse(a.equals(b));
        assertTrue(SecretHasher.matches("same", a) && SecretHasher.matches("same", b));
        assertFalse(SecretHasher.isHash("pbkdf2-sha256$10$x$y"));
    }
}
