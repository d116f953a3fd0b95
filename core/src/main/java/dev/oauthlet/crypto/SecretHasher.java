package dev.oauthlet.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Hashes client secrets and user passwords and checks them in constant time. Secrets people choose
 * get PBKDF2-HMAC-SHA256, {@code pbkdf2-sha256$ITERATIONS$SALT$HASH} (base64url), whose format
 * carries its own cost, so raising the default later keeps old hashes working. Secrets the server
 * generates itself ({@link #generateSecret()}, 256 random bits) get one SHA-256,
 * {@code sha256$HASH}: with that much entropy no guess can succeed, so stretching would only cost
 * CPU on every check (docs/security.md).
 */
public final class SecretHasher {

    /** OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
    public static final int DEFAULT_ITERATIONS = 600_000;
    private static final String PREFIX = "pbkdf2-sha256$";
    private static final String GENERATED_PREFIX = "sha256$";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private final int iterations;

    public SecretHasher(int iterations) {
        if (iterations < 1_000) {
            throw new IllegalArgumentException("at least 1000 iterations");
        }
        this.iterations = iterations;
    }

    public SecretHasher() {
        this(DEFAULT_ITERATIONS);
    }

    public String hash(String secret) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return PREFIX + iterations + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(derive(secret, salt, iterations));
    }

    /** A new secret of 256 random bits, base64url: what the command line and registration hand out. */
    public static String generateSecret() {
        return Hashes.randomToken(32);
    }

    /** The hash of a secret from {@link #generateSecret()}; never for a secret a person chose. */
    public static String hashGenerated(String secret) {
        return GENERATED_PREFIX + Hashes.sha256(secret);
    }

    /** {@code true} if {@code hash} is one {@link #hashGenerated} writes. */
    public static boolean isGeneratedHash(String hash) {
        if (hash == null || !hash.startsWith(GENERATED_PREFIX)) {
            return false;
        }
        try {
            return B64D.decode(hash.substring(GENERATED_PREFIX.length())).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** {@code true} if {@code hash} looks like one this class writes, of either kind. */
    public static boolean isHash(String hash) {
        return isPbkdf2Hash(hash) || isGeneratedHash(hash);
    }

    /** {@code true} if {@code hash} is a PBKDF2 hash, the only kind fit for a secret a person chose. */
    public static boolean isPbkdf2Hash(String hash) {
        if (hash == null || !hash.startsWith(PREFIX)) {
            return false;
        }
        String[] parts = hash.split("\\$");
        if (parts.length != 4) {
            return false;
        }
        try {
            return Integer.parseInt(parts[1]) >= 1_000 && B64D.decode(parts[2]).length >= 8 && B64D.decode(parts[3]).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Checks {@code secret} against {@code hash} in time independent of where they differ. */
    public static boolean matches(String secret, String hash) {
        if (isGeneratedHash(hash)) {
            byte[] expected = B64D.decode(hash.substring(GENERATED_PREFIX.length()));
            return MessageDigest.isEqual(expected, Hashes.sha256Bytes(secret.getBytes(StandardCharsets.UTF_8)));
        }
        if (!isPbkdf2Hash(hash)) {
            return false;
        }
        String[] parts = hash.split("\\$");
        byte[] expected = B64D.decode(parts[3]);
        byte[] actual = derive(secret, B64D.decode(parts[2]), Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    /**
     * Runs one check against a hash of the default cost and throws the result away, so a refusal
     * for an unknown client or user takes as long as one for a wrong secret.
     */
    public static void spendEqualTime(String secret) {
        spendEqualTime(secret, DEFAULT_ITERATIONS);
    }

    /**
     * Runs one check against a hash of {@code iterations} and throws the result away: the time a
     * wrong secret costs against a real hash of that cost ({@link #iterations}), so a refusal for
     * an unknown client or user takes as long as one for a known one whose hashes cost that much,
     * and no more. Below 1,000 (no PBKDF2 hash has fewer), the default is spent.
     */
    public static void spendEqualTime(String secret, int iterations) {
        matches(secret, Dummy.of(iterations));
    }

    /** The iterations a PBKDF2 {@code hash} costs, or {@code 0} for any other hash. */
    public static int iterations(String hash) {
        return isPbkdf2Hash(hash) ? Integer.parseInt(hash.substring(PREFIX.length(), hash.indexOf('$', PREFIX.length()))) : 0;
    }

    /** Made on first use, not at start-up: a PBKDF2 hash takes a noticeable fraction of a second. */
    private static final class Dummy {
        /** One per cost seen; costs are few (a configuration's hashes, legacy ones), and past 16 the default serves. */
        private static final java.util.Map<Integer, String> BY_COST = new java.util.concurrent.ConcurrentHashMap<>();

        static String of(int iterations) {
            int cost = iterations < 1_000 ? DEFAULT_ITERATIONS : iterations;
            String known = BY_COST.get(cost);
            if (known != null) {
                return known;
            }
            if (BY_COST.size() >= 16) {
                cost = DEFAULT_ITERATIONS;
            }
            return BY_COST.computeIfAbsent(cost, c -> new SecretHasher(c).hash("oauthlet-timing-equaliser"));
        }
    }

    private static byte[] derive(String secret, byte[] salt, int iterations) {
        byte[] password = secret.getBytes(StandardCharsets.UTF_8);
        try {
            return Pbkdf2.sha256(password, salt, iterations);
        } finally {
            java.util.Arrays.fill(password, (byte) 0);
        }
    }
}
