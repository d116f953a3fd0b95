package dev.oauthlet.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Remembers, per PBKDF2 hash, an HMAC of the secret that last matched it, under a key of this
 * memory's own that never leaves it. A client that authenticates on every token request then pays
 * one HMAC, compared in constant time, instead of a PBKDF2 run that costs far more than signing the
 * token. Secrets themselves are never kept. Nothing is process-wide: each configuration the loader
 * reads has its own ({@code OauthletConfig.verifiedSecrets()}), holding its plain {@code secret:}
 * values from the start so even the first request is cheap, and the server built from it uses that
 * one. Bounded: past the limit
 * the memory is cleared and refills as clients come back. Thread-safe.
 */
public final class VerifiedSecrets {

    private static final int MAX_ENTRIES = 10_000;

    private final Map<String, byte[]> macs = new ConcurrentHashMap<>();
    private final SecretKeySpec key;
    /** One keyed Mac per thread: this runs on every token request, and getInstance + init cost more than the HMAC. */
    private final ThreadLocal<Mac> mac;

    public VerifiedSecrets() {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        this.key = new SecretKeySpec(k, "HmacSHA256");
        this.mac = ThreadLocal.withInitial(() -> {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(key);
                return m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Records that {@code secret} matches {@code hash}. */
    public void remember(String hash, String secret) {
        if (macs.size() >= MAX_ENTRIES) {
            macs.clear();
        }
        macs.put(hash, mac(secret));
    }

    /** {@code true} if {@code secret} is the one that matched {@code hash} before. */
    public boolean known(String hash, String secret) {
        byte[] known = macs.get(hash);
        return known != null && MessageDigest.isEqual(known, mac(secret));
    }

    /**
     * A fingerprint of {@code secret} under this memory's key (an HMAC, base64url): tells identical
     * secrets apart from different ones without keeping any of them.
     */
    public String fingerprint(String secret) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(secret));
    }

    private byte[] mac(String secret) {
        // doFinal resets the Mac, so the next call on this thread starts clean.
        return mac.get().doFinal(secret.getBytes(StandardCharsets.UTF_8));
    }
}
