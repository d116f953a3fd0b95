package dev.oauthlet.dpop;

import dev.oauthlet.crypto.Hashes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Server-provided DPoP nonces (RFC 9449 §8) without server state: a nonce is an HMAC of the
 * current period's number, so every node that shares the key issues and accepts the same nonces,
 * and a nonce expires by itself after one to two periods. The authorization server keys them with
 * material derived from its signing key (shared by all nodes through the store); a remote filter
 * with a random key of its own.
 */
public final class DpopNonces {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final Supplier<byte[]> key;
    private final long periodMillis;
    private final Clock clock;

    /**
     * @param key    the HMAC key's material, asked for on every use (so a rotated signing key takes effect)
     * @param period how long a nonce is current; it is still accepted for one period after
     * @param clock  the clock
     */
    public DpopNonces(Supplier<byte[]> key, Duration period, Clock clock) {
        this.key = Objects.requireNonNull(key, "key");
        this.periodMillis = period.toMillis();
        if (periodMillis < 1000) {
            throw new IllegalArgumentException("a DPoP nonce period under a second is useless to clients");
        }
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A random key for one process (a remote filter: its nonces need not travel). */
    public static DpopNonces random(Duration period, Clock clock) {
        byte[] k = Base64.getUrlDecoder().decode(Hashes.randomToken(32));
        return new DpopNonces(() -> k, period, clock);
    }

    /** The nonce to hand out now ({@code DPoP-Nonce}). */
    public String current() {
        return nonce(clock.millis() / periodMillis);
    }

    /** {@code true} for the current period's nonce and the one before. */
    public boolean isValid(String nonce) {
        long period = clock.millis() / periodMillis;
        byte[] sent = nonce.getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(sent, nonce(period).getBytes(StandardCharsets.US_ASCII))
                || MessageDigest.isEqual(sent, nonce(period - 1).getBytes(StandardCharsets.US_ASCII));
    }

    private String nonce(long period) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Hashes.sha256Bytes(concat("oauthlet dpop nonce v1".getBytes(StandardCharsets.US_ASCII),
                    key.get())), "HmacSHA256"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(period).array());
            return B64.encodeToString(java.util.Arrays.copyOf(h, 18));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
