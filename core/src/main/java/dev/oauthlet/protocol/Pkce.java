package dev.oauthlet.protocol;

import dev.oauthlet.crypto.Hashes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.regex.Pattern;

/** RFC 7636 Proof Key for Code Exchange: the formats of challenges and verifiers, and the check between them. */
public final class Pkce {

    /** {@code code_challenge = BASE64URL(SHA256(code_verifier))}. */
    public static final String S256 = "S256";
    /** {@code code_challenge = code_verifier}; only when the configuration allows it. */
    public static final String PLAIN = "plain";

    /** RFC 7636 §4.1: 43 to 128 unreserved characters. Challenges of {@code plain} are verifiers. */
    private static final Pattern VERIFIER = Pattern.compile("[A-Za-z0-9\\-._~]{43,128}");
    /** A SHA-256 digest, base64url without padding, is always 43 characters. */
    private static final Pattern S256_CHALLENGE = Pattern.compile("[A-Za-z0-9\\-_]{43}");

    private Pkce() {
    }

    /** {@code true} when {@code challenge} is well-formed for {@code method}. */
    public static boolean isValidChallenge(String method, String challenge) {
        if (S256.equals(method)) {
            return S256_CHALLENGE.matcher(challenge).matches();
        }
        return PLAIN.equals(method) && VERIFIER.matcher(challenge).matches();
    }

    /** {@code true} when {@code verifier} has the form RFC 7636 §4.1 requires. */
    public static boolean isValidVerifier(String verifier) {
        return verifier != null && VERIFIER.matcher(verifier).matches();
    }

    /** The S256 challenge of a verifier. */
    public static String s256(String verifier) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Hashes.sha256Bytes(verifier.getBytes(StandardCharsets.US_ASCII)));
    }

    /** Checks {@code verifier} against the stored challenge, in constant time. */
    public static boolean matches(String verifier, String challenge, String method) {
        if (!isValidVerifier(verifier)) {
            return false;
        }
        String derived = S256.equals(method) ? s256(verifier) : verifier;
        return MessageDigest.isEqual(derived.getBytes(StandardCharsets.US_ASCII), challenge.getBytes(StandardCharsets.US_ASCII));
    }
}
