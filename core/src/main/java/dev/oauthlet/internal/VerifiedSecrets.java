package dev.oauthlet.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers, per PBKDF2 hash, an HMAC of the secret that last matched it, under a key that exists
 * only in this process. A client that authenticates on every token request then pays one HMAC,
 * compared in constant time, instead of a PBKDF2 run that costs far more than signing the token.
 * A secret hashed while loading the configuration is remembered at once, so even the first
 * request after start-up is cheap. Secrets themselves are never kept. Bounded: past the limit the
 * memory is cleared and refills as clients come back.
 */
public final class VerifiedSecrets {

    private static final int MAX_ENTRIES = 10_000;
    private static final byte[] KEY = new byte[32];
    private static final Map<String, byte[]> MACS = new ConcurrentHashMap<>();

    static {
        new SecureRandom().nextBytes(KEY);
    }

    /** One keyed Mac per thread: this runs on every token request, and getInstance + init cost more than the HMAC. */
    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(KEY, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    });

    private VerifiedSecrets() {
    }

    /** Records that {@code secret} matches {@code hash}. */
    public static void remember(String hash, String secret) {
        if (MACS.size() >= MAX_ENTRIES) {
            MACS.clear();
        }
        MACS.put(hash, mac(secret));
    }

    /** {@code true} if {@code secret} is the one that matched {@code hash} before. */
    public static boolean known(String hash, String secret) {
        byte[] known = MACS.get(hash);
        return known != null && MessageDigest.isEqual(known, mac(secret));
    }

    /**
     * A process-local fingerprint of {@code secret} (an HMAC under this process's key, base64url):
     * tells identical secrets apart from different ones without keeping any of them.
     */
    public static String fingerprint(String secret) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(mac(secret));
    }

    private static byte[] mac(String secret) {
        // doFinal resets the Mac, so the next call on this thread starts clean.
        return MAC.get().doFinal(secret.getBytes(StandardCharsets.UTF_8));
    }
}
