package dev.oauthlet.internal;

import dev.oauthlet.crypto.Hashes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts a rotated refresh token's successor under a key derived from the rotated token itself.
 * Only a caller who presents the old token can read the successor back, so the store keeps
 * nothing usable at rest, yet every concurrent refresh within the grace period — on any node —
 * receives the same successor.
 */
public final class SuccessorSeal {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] CONTEXT = "oauthlet refresh successor v1\n".getBytes(StandardCharsets.UTF_8);

    private SuccessorSeal() {
    }

    public static byte[] seal(String successor, String presentedToken) {
        byte[] iv = new byte[12];
        RANDOM.nextBytes(iv);
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key(presentedToken), new GCMParameterSpec(128, iv));
            byte[] ct = c.doFinal(successor.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(iv.length + ct.length).put(iv).put(ct).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The successor, or empty if {@code sealed} was not sealed for {@code presentedToken}. */
    public static Optional<String> unseal(byte[] sealed, String presentedToken) {
        if (sealed == null || sealed.length < 12 + 16) {
            return Optional.empty();
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key(presentedToken), new GCMParameterSpec(128, sealed, 0, 12));
            return Optional.of(new String(c.doFinal(sealed, 12, sealed.length - 12), StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    private static SecretKeySpec key(String token) {
        byte[] t = token.getBytes(StandardCharsets.UTF_8);
        byte[] input = ByteBuffer.allocate(CONTEXT.length + t.length).put(CONTEXT).put(t).array();
        return new SecretKeySpec(Hashes.sha256Bytes(input), "AES");
    }
}
