package dev.oauthlet.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A key-encryption key (KEK): 256 bits from the configuration ({@code signing.key-encryption-key})
 * under which the store keeps private signing keys and {@code client_secret_jwt} secrets.
 *
 * <p>Each value is sealed with AES-256-GCM under a fresh random 96-bit IV. The caller's associated
 * data (the row's identity: a key's kid and algorithm, a client's id) is authenticated with it, so
 * a ciphertext copied into another row does not open there. The sealed form is
 * {@code version (1 byte) || IV (12) || ciphertext || tag (16)}.
 *
 * <p>The {@link #id() id} is a fingerprint stored beside each ciphertext, so that a start with the
 * wrong KEK can say which one the store wants. It is a truncated SHA-256 of the key under a fixed
 * label: for a random 256-bit key it reveals nothing usable. The key itself is never printed.
 */
public final class KeyEncryptionKey {

    /** The one format so far; a new cipher or layout gets a new byte. */
    private static final byte VERSION = 1;
    private static final int KEY_BYTES = 32;
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final String id;

    private KeyEncryptionKey(byte[] raw) {
        this.key = new SecretKeySpec(raw, "AES");
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update("oauthlet key-encryption-key id\0".getBytes(StandardCharsets.US_ASCII));
            this.id = "kek-" + HexFormat.of().formatHex(Arrays.copyOf(sha.digest(raw), 8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /**
     * Reads a KEK given as base64 or base64url (padding optional) of exactly 32 bytes.
     *
     * @throws IllegalArgumentException saying what is wrong, never quoting the value
     */
    public static KeyEncryptionKey parse(String encoded) {
        String v = encoded.strip();
        byte[] raw;
        try {
            raw = (v.indexOf('-') >= 0 || v.indexOf('_') >= 0 ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("is not base64 or base64url (a passphrase is not accepted: give 32 random bytes, "
                    + "e.g. from 'openssl rand -base64 32')");
        }
        if (raw.length != KEY_BYTES) {
            int n = raw.length;
            Arrays.fill(raw, (byte) 0);
            throw new IllegalArgumentException("must be 32 bytes (256 bits) in base64 or base64url, this is " + n
                    + " bytes (make one with 'openssl rand -base64 32')");
        }
        return new KeyEncryptionKey(raw);
    }

    /** A fresh random KEK, for tests and for operators who generate one in code. */
    public static KeyEncryptionKey generate() {
        byte[] raw = new byte[KEY_BYTES];
        RANDOM.nextBytes(raw);
        return new KeyEncryptionKey(raw);
    }

    /** The fingerprint stored beside each ciphertext, e.g. {@code kek-1f2e3d4c5b6a7988}. */
    public String id() {
        return id;
    }

    /** Encrypts {@code plaintext} under a fresh IV, binding {@code associatedData} to it. */
    public byte[] seal(byte[] plaintext, byte[] associatedData) {
        byte[] iv = new byte[IV_BYTES];
        RANDOM.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            c.updateAAD(associatedData);
            byte[] ct = c.doFinal(plaintext);
            byte[] out = new byte[1 + IV_BYTES + ct.length];
            out[0] = VERSION;
            System.arraycopy(iv, 0, out, 1, IV_BYTES);
            System.arraycopy(ct, 0, out, 1 + IV_BYTES, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /**
     * Decrypts what {@link #seal} made with the same associated data.
     *
     * @throws GeneralSecurityException when the ciphertext, its IV or the associated data were changed,
     *                                  or it was sealed under another key
     */
    public byte[] open(byte[] sealed, byte[] associatedData) throws GeneralSecurityException {
        if (sealed.length < 1 + IV_BYTES + TAG_BITS / 8 || sealed[0] != VERSION) {
            throw new GeneralSecurityException("not a sealed value of format " + VERSION);
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 1, IV_BYTES));
        c.updateAAD(associatedData);
        return c.doFinal(sealed, 1 + IV_BYTES, sealed.length - 1 - IV_BYTES);
    }

    /** Two KEKs are equal when their fingerprints are: 64 bits tell random keys apart. */
    @Override
    public boolean equals(Object o) {
        return o instanceof KeyEncryptionKey k && k.id.equals(id);
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    /** Only the id: the key must never reach a log. */
    @Override
    public String toString() {
        return "KeyEncryptionKey[" + id + "]";
    }
}
