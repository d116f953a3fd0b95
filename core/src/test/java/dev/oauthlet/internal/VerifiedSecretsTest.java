package dev.oauthlet.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.crypto.SecretHasher;
import org.junit.jupiter.api.Test;

class VerifiedSecretsTest {

    private final SecretHasher hasher = new SecretHasher(1_000);

    @Test
    void matchesWhenSecretRightThenRememberedForNextTime() {
        String hash = hasher.hash("s3cret");
        assertFalse(VerifiedSecrets.known(hash, "s3cret"));
        assertTrue(VerifiedSecrets.matches("s3cret", hash));
        assertTrue(VerifiedSecrets.known(hash, "s3cret"));
    }

    @Test
    void matchesWhenSecretWrongThenFalseEvenAfterRightOneRemembered() {
        String hash = hasher.hash("s3cret");
        VerifiedSecrets.remember(hash, "s3cret");
        assertFalse(VerifiedSecrets.matches("s3creT", hash));
        assertFalse(VerifiedSecrets.matches("", hash));
        assertFalse(VerifiedSecrets.known(hash, "s3cret "));
    }

    @Test
    void matchesWhenRememberedForOtherHashThenStillChecksByPbkdf2() {
        String a = hasher.hash("same");
        String b = hasher.hash("other");
        VerifiedSecrets.remember(a, "same");
        assertFalse(VerifiedSecrets.matches("same", b));
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
