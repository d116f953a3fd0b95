package dev.oauthlet.crypto;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VerifiedSecretsTest {

    private final SecretHasher hasher = new SecretHasher(1_000);
    private final VerifiedSecrets secrets = new VerifiedSecrets();

    @Test
    void knownWhenNeverRememberedThenFalse() {
        String hash = hasher.hash("s3cret");
        assertFalse(secrets.known(hash, "s3cret"));
        secrets.remember(hash, "s3cret");
        assertTrue(secrets.known(hash, "s3cret"));
    }

    @Test
    void knownWhenOtherSecretThanTheRememberedOneThenFalse() {
        String hash = hasher.hash("s3cret");
        secrets.remember(hash, "s3cret");
        assertFalse(secrets.known(hash, "s3creT"));
        assertFalse(secrets.known(hash, ""));
        assertFalse(secrets.known(hash, "s3cret "));
    }

    @Test
    void knownWhenRememberedForOtherHashThenFalse() {
        String a = hasher.hash("same");
        String b = hasher.hash("other");
        secrets.remember(a, "same");
        assertFalse(secrets.known(b, "same"));
    }

    @Test
    void knownWhenRememberedByAnotherServersMemoryThenFalse() {
        String hash = hasher.hash("s3cret");
        new VerifiedSecrets().remember(hash, "s3cret");
        assertFalse(secrets.known(hash, "s3cret"), "each server remembers for itself");
        assertFalse(secrets.fingerprint("s3cret").equals(new VerifiedSecrets().fingerprint("s3cret")), "under a key of its own");
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
