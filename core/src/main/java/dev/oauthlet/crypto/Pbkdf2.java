package dev.oauthlet.crypto;

import java.security.DigestException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * PBKDF2-HMAC-SHA256 (RFC 8018 §5.2) for one 32-byte block, the output {@link SecretHasher}
 * stores. It computes exactly what the JDK's {@code PBKDF2WithHmacSHA256} computes (a test holds it
 * to the JDK and to RFC 7914's vectors) with half the SHA-256 compressions: HMAC hashes the key
 * padded with {@code ipad} and with {@code opad}, one block each, before every message. The JDK
 * hashes both blocks again in each of the 600,000 iterations; here each is hashed once and its
 * state copied ({@link MessageDigest#clone()}), so an iteration costs two compressions instead of
 * four. The cost an attacker pays per guess is unchanged: the best implementations of PBKDF2 have
 * always done this, and the iteration count is chosen with them in mind.
 */
final class Pbkdf2 {

    private static final int BLOCK = 64;
    private static final int LENGTH = 32;

    private Pbkdf2() {
    }

    /** {@code PBKDF2-HMAC-SHA256(password, salt, iterations, 32)}. */
    static byte[] sha256(byte[] password, byte[] salt, int iterations) {
        if (iterations < 1) {
            throw new IllegalArgumentException("at least one iteration");
        }
        try {
            MessageDigest inner = sha256();
            MessageDigest outer = sha256();
            byte[] key = password.length > BLOCK ? sha256().digest(password) : password;
            byte[] pad = new byte[BLOCK];
            for (int i = 0; i < BLOCK; i++) {
                pad[i] = (byte) ((i < key.length ? key[i] : 0) ^ 0x36);
            }
            inner.update(pad);
            for (int i = 0; i < BLOCK; i++) {
                pad[i] = (byte) ((i < key.length ? key[i] : 0) ^ 0x5c);
            }
            outer.update(pad);

            // U1 = HMAC(P, S || INT(1)); T = U1 ^ U2 ^ … ^ Uc; Ui = HMAC(P, Ui-1).
            byte[] u = new byte[LENGTH];
            MessageDigest h = copy(inner);
            h.update(salt);
            h.update(new byte[] {0, 0, 0, 1});
            h.digest(u, 0, LENGTH);
            h = copy(outer);
            h.update(u);
            h.digest(u, 0, LENGTH);
            byte[] t = u.clone();
            for (int n = 1; n < iterations; n++) {
                h = copy(inner);
                h.update(u);
                h.digest(u, 0, LENGTH);
                h = copy(outer);
                h.update(u);
                h.digest(u, 0, LENGTH);
                for (int j = 0; j < LENGTH; j++) {
                    t[j] ^= u[j];
                }
            }
            return t;
        } catch (DigestException | CloneNotSupportedException e) {
            throw new IllegalStateException("SHA-256 of this JDK cannot be copied", e);
        }
    }

    private static MessageDigest copy(MessageDigest keyed) throws CloneNotSupportedException {
        return (MessageDigest) keyed.clone();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
