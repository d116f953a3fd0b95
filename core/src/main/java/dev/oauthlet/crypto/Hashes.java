package dev.oauthlet.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** SHA-256 lookup hashes and random opaque tokens. */
public final class Hashes {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    /** One digest per thread: lookups hash on every refresh and code exchange, and getInstance is the dear part. */
    private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private Hashes() {
    }

    /**
     * The lookup key under which a high-entropy token (refresh token, code) is stored. A plain
     * SHA-256 suffices here: the input has 256 bits of entropy, so no salt or stretching helps.
     */
    public static String sha256(String token) {
        return B64.encodeToString(sha256Bytes(token.getBytes(StandardCharsets.UTF_8)));
    }

    public static byte[] sha256Bytes(byte[] input) {
        // digest() resets the instance, so it is clean for the thread's next call.
        return SHA256.get().digest(input);
    }

    /** A random token of {@code bytes} bytes, base64url without padding. */
    public static String randomToken(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }
}
