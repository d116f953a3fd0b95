package dev.oauthlet.token;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.oauthlet.key.KeyResolver;
import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.key.VerificationKey;
import dev.oauthlet.protocol.Scopes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Accepts the RS256 access tokens {@link AccessTokenIssuer} writes, without jjwt; refuses nothing.
 *
 * <p>On a resource called with ever-new tokens, jjwt's parse (data binding of header and claims,
 * its claim objects, its key locator) costs about as much as the RSA verification itself. This
 * reads only the exact shape the issuer writes: the header must be byte for byte
 * {@code {"typ":"at+jwt","kid":"…","alg":"RS256"}} with a base64url kid, so no other header member
 * ({@code crit}, {@code b64}, {@code zip}, {@code jku}, {@code jwk}, {@code x5u}, …) and no other
 * algorithm ever gets here. Then: a key of that kid for RS256, the JDK's signature check, and the
 * claims with duplicate names refused, {@code iss} equal, {@code exp} and {@code nbf} within the
 * skew, exactly as jjwt compares them. Whatever does not pass every check — a refusal, an expired
 * token, anything of another shape — answers empty, and {@link AccessTokenVerifier} hands the token
 * to jjwt, which decides and names the reason. So this can only accept what jjwt accepts; a test
 * holds the two to the same answers.
 */
final class OwnRs256Tokens {

    private static final byte[] HEADER_START = "{\"typ\":\"at+jwt\",\"kid\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] HEADER_END = "\",\"alg\":\"RS256\"}".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    /** jjwt refuses RS256 with a modulus under 2048 bits (RFC 7518 §3.3); a remote JWKS might hold one. */
    private static final int MIN_MODULUS_BITS = 2048;
    /** 9999-12-31T23:59:59Z: a time claim beyond it is left to jjwt, and nothing here overflows. */
    private static final long LATEST_SECOND = 253_402_300_799L;
    /** Bound to the claims' type once, not looked up on every token. */
    private static final ObjectReader CLAIMS = JSON.readerFor(new TypeReference<Map<String, Object>>() {
    });
    private static final Base64.Decoder B64 = Base64.getUrlDecoder();

    private final KeyResolver keys;
    private final String issuer;
    private final long skewMillis;
    private final Clock clock;
    /** One JCA engine per thread: looking one up per token costs more than hashing the token. */
    private final ThreadLocal<Signature> engines = ThreadLocal.withInitial(OwnRs256Tokens::engine);

    OwnRs256Tokens(KeyResolver keys, String issuer, Duration clockSkew, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.skewMillis = clockSkew.toMillis();
        this.clock = clock;
    }

    /** The token, if it is one of the issuer's RS256 tokens, valid now; empty for anything else. */
    Optional<AccessToken> accept(String token) {
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first <= 0 || second <= first + 1 || second == token.length() - 1 || token.indexOf('.', second + 1) >= 0) {
            return Optional.empty();
        }
        try {
            String kid = kid(B64.decode(token.substring(0, first)));
            if (kid == null) {
                return Optional.empty();
            }
            Optional<VerificationKey> key = keys.resolve(kid);
            if (key.isEmpty() || key.get().algorithm() != SigningAlgorithm.RS256 || !(key.get().key() instanceof RSAPublicKey publicKey)
                    || publicKey.getModulus().bitLength() < MIN_MODULUS_BITS) {
                return Optional.empty();
            }
            Signature rsa = engines.get();
            rsa.initVerify(publicKey);
            rsa.update(token.substring(0, second).getBytes(StandardCharsets.US_ASCII));
            if (!rsa.verify(B64.decode(token.substring(second + 1)))) {
                return Optional.empty();
            }
            return claims(CLAIMS.readValue(B64.decode(token.substring(first + 1, second))));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // Whatever went wrong here, jjwt reads the token again and names the reason.
            return Optional.empty();
        }
    }

    /** The kid of a header exactly as the issuer writes it, or null. */
    private static String kid(byte[] header) {
        int kidLength = header.length - HEADER_START.length - HEADER_END.length;
        if (kidLength <= 0 || !startsWith(header, HEADER_START, 0) || !startsWith(header, HEADER_END, header.length - HEADER_END.length)) {
            return null;
        }
        for (int i = HEADER_START.length; i < HEADER_START.length + kidLength; i++) {
            byte b = header[i];
            if (!(b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '-' || b == '_')) {
                return null;
            }
        }
        return new String(header, HEADER_START.length, kidLength, StandardCharsets.US_ASCII);
    }

    private static boolean startsWith(byte[] a, byte[] prefix, int at) {
        if (at < 0 || at + prefix.length > a.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (a[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The access token the claims describe, when each is of its type and the times hold; else empty. */
    private Optional<AccessToken> claims(Map<String, Object> c) {
        if (!(c.get("iss") instanceof String iss) || !iss.equals(issuer) || !(c.get("sub") instanceof String sub)
                || !(c.get("jti") instanceof String jti) || !(c.get("exp") instanceof Number exp) || !integral(exp)) {
            return Optional.empty();
        }
        long now = clock.millis();
        // jjwt: expired when exp < now - skew; premature when nbf > now + skew (both in milliseconds).
        if (exp.longValue() * 1000 < now - skewMillis) {
            return Optional.empty();
        }
        Object nbf = c.get("nbf");
        if (nbf != null && (!(nbf instanceof Number n) || !integral(n) || n.longValue() * 1000 > now + skewMillis)) {
            return Optional.empty();
        }
        Object iat = c.get("iat");
        if (iat != null && (!(iat instanceof Number n) || !integral(n))) {
            return Optional.empty();
        }
        Set<String> audiences = audiences(c.get("aud"));
        Object clientId = c.get("client_id");
        Object scope = c.get("scope");
        if (audiences == null || audiences.isEmpty() || clientId != null && !(clientId instanceof String)
                || scope != null && !(scope instanceof String)) {
            return Optional.empty();
        }
        Map<String, Object> extra = new HashMap<>();
        for (Map.Entry<String, Object> e : c.entrySet()) {
            if (!AccessToken.REGISTERED_CLAIMS.contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
            }
        }
        Instant expiresAt = Instant.ofEpochSecond(exp.longValue());
        return Optional.of(new AccessToken(issuer, sub, String.join(" ", audiences), clientId == null ? "" : (String) clientId,
                Scopes.parse((String) scope), jti, iat == null ? expiresAt : Instant.ofEpochSecond(((Number) iat).longValue()),
                expiresAt, extra));
    }

    /** A whole number of seconds between the epoch and the year 9999. */
    private static boolean integral(Number n) {
        return (n instanceof Integer || n instanceof Long) && n.longValue() >= 0 && n.longValue() <= LATEST_SECOND;
    }

    /** RFC 7519 §4.1.3: one string, or an array of strings; in order, each once. Null for anything else. */
    private static Set<String> audiences(Object aud) {
        if (aud instanceof String s) {
            return Set.of(s);
        }
        if (!(aud instanceof List<?> list)) {
            return null;
        }
        Set<String> out = new LinkedHashSet<>();
        for (Object o : list) {
            if (!(o instanceof String s)) {
                return null;
            }
            out.add(s);
        }
        return out;
    }

    private static Signature engine() {
        try {
            return Signature.getInstance("SHA256withRSA");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot verify RS256", e);
        }
    }
}
