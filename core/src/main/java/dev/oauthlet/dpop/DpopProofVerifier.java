package dev.oauthlet.dpop;

import dev.oauthlet.crypto.Hashes;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Header;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.ProtectedHeader;
import io.jsonwebtoken.security.PrivateJwk;
import io.jsonwebtoken.security.PublicJwk;
import java.net.URI;
import java.net.URISyntaxException;
import java.security.Key;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Checks DPoP proofs (RFC 9449 §4.3) in the order the RFC lists: a JWT of {@code typ dpop+jwt},
 * signed with an asymmetric algorithm by the public key in its own {@code jwk} header (a header
 * carrying private key material is refused), {@code htm} and {@code htu} of this request,
 * the server's nonce when it asks for one, {@code iat} within {@code max-age}, {@code ath} of the
 * presented access token, and last a {@code jti} never seen before — last, so that a proof refused
 * for any other reason does not use up its {@code jti}. Thread-safe.
 */
public final class DpopProofVerifier {

    /** The asymmetric JWS algorithms accepted for proofs, as {@code dpop_signing_alg_values_supported} lists them. */
    public static final List<String> ALGORITHMS = List.of("ES256", "ES384", "RS256", "PS256", "EdDSA");
    /** The {@code typ} of a DPoP proof. */
    public static final String TYPE = "dpop+jwt";

    /** Where used {@code jti}s are kept: the store (all nodes) at the authorization server, memory in a remote filter. */
    @FunctionalInterface
    public interface ReplayGuard {
        /**
         * Records {@code key} as used until {@code keepUntil}.
         *
         * @return {@code false} when it was recorded already: a replay
         */
        boolean firstUse(String key, Instant keepUntil);
    }

    private final Duration maxAge;
    private final Duration clockSkew;
    private final ReplayGuard replay;
    private final DpopNonces nonces;
    private final Clock clock;
    private final JwtParser parser;

    /**
     * @param maxAge    how old a proof's {@code iat} may be
     * @param clockSkew how far in the future its {@code iat} may be
     * @param replay    the {@code jti} record
     * @param nonces    the server nonces every proof must carry; {@code null} asks for none
     * @param clock     the clock
     */
    public DpopProofVerifier(Duration maxAge, Duration clockSkew, ReplayGuard replay, DpopNonces nonces, Clock clock) {
        this.maxAge = Objects.requireNonNull(maxAge, "maxAge");
        this.clockSkew = Objects.requireNonNull(clockSkew, "clockSkew");
        this.replay = Objects.requireNonNull(replay, "replay");
        this.nonces = nonces;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.parser = Jwts.parser()
                .keyLocator(new LocatorAdapter<Key>() {
                    @Override
                    protected Key locate(ProtectedHeader header) {
                        return proofKey(header);
                    }

                    @Override
                    protected Key doLocate(Header header) {
                        throw DpopException.invalid("the DPoP proof is not signed");
                    }
                })
                .clockSkewSeconds(clockSkew.getSeconds())
                .clock(() -> Date.from(clock.instant()))
                .build();
    }

    /** The nonces this verifier asks for, or {@code null}. */
    public DpopNonces nonces() {
        return nonces;
    }

    /**
     * Verifies one proof.
     *
     * @param proof       the {@code DPoP} header's value
     * @param method      the request's HTTP method
     * @param urls        the URIs this request may be said to have been sent to (its public URL, and the URL the
     *                    container saw); the proof's {@code htu} must be one of them, compared without query and
     *                    fragment after RFC 3986 normalisation
     * @param accessToken the access token presented with the proof, whose hash {@code ath} must be; {@code null} at
     *                    the token endpoint, where no access token is presented
     * @return the checked proof
     * @throws DpopException why it is refused
     */
    public DpopProof verify(String proof, String method, Collection<URI> urls, String accessToken) {
        if (proof == null || proof.isBlank() || proof.length() > 8192) {
            throw DpopException.invalid("the DPoP header is missing or too long");
        }
        if (proof.indexOf(',') >= 0) {
            // A JWT has no comma: this is two DPoP headers joined, and a request carries exactly one proof.
            throw DpopException.invalid("the request carries more than one DPoP proof");
        }
        refusePrivateKeyMaterial(proof.strip());
        Claims claims;
        ProtectedHeader header;
        try {
            var jws = parser.parseSignedClaims(proof.strip());
            claims = jws.getPayload();
            header = jws.getHeader();
        } catch (DpopException e) {
            throw e;
        } catch (JwtException | IllegalArgumentException | ClassCastException e) {
            throw DpopException.invalid("the DPoP proof is not a valid signed JWT");
        }
        String jti = string(claims, "jti");
        String htm = string(claims, "htm");
        String htu = string(claims, "htu");
        Date iatDate;
        try {
            iatDate = claims.getIssuedAt();
        } catch (RuntimeException e) {
            iatDate = null;
        }
        if (jti == null || htm == null || htu == null || iatDate == null) {
            throw DpopException.invalid("the DPoP proof lacks one of jti, htm, htu and iat");
        }
        if (jti.length() > 256) {
            throw DpopException.invalid("the DPoP proof's jti is too long");
        }
        if (!htm.equals(method)) {
            throw DpopException.invalid("the DPoP proof's htm is not this request's method");
        }
        if (!matchesAny(htu, urls)) {
            throw DpopException.invalid("the DPoP proof's htu is not this request's URI");
        }
        String nonce = string(claims, "nonce");
        if (nonces != null && (nonce == null || !nonces.isValid(nonce))) {
            throw DpopException.useNonce(nonce == null ? "this server requires a DPoP nonce" : "the DPoP nonce is stale");
        }
        Instant iat = iatDate.toInstant();
        Instant now = clock.instant();
        if (iat.isAfter(now.plus(clockSkew)) || iat.isBefore(now.minus(maxAge).minus(clockSkew))) {
            throw DpopException.invalid("the DPoP proof's iat is outside the accepted window");
        }
        String ath = string(claims, "ath");
        if (accessToken != null) {
            if (ath == null) {
                throw DpopException.invalid("the DPoP proof lacks ath, the access token's hash");
            }
            if (!MessageDigest.isEqual(ath.getBytes(StandardCharsets.US_ASCII),
                    Hashes.sha256(accessToken).getBytes(StandardCharsets.US_ASCII))) {
                throw DpopException.invalid("the DPoP proof's ath does not match the access token");
            }
        }
        String jkt = ((PublicJwk<?>) header.getJwk()).thumbprint().toString();
        // Per key: a jti only needs to be unique among one key's proofs, and no client can spend another's.
        if (!replay.firstUse(Hashes.sha256(jkt + ":" + jti), iat.plus(maxAge).plus(clockSkew).plus(clockSkew))) {
            throw DpopException.invalid("the DPoP proof was used before");
        }
        return new DpopProof(jkt, jti, htm, htu, iat, ath, nonce);
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();
    /** The JWK members (RFC 7518 §6) that only a private or symmetric key has. */
    private static final List<String> PRIVATE_MEMBERS = List.of("d", "p", "q", "dp", "dq", "qi", "oth", "k");

    /**
     * jjwt refuses a private {@code jwk} header too, but as one more malformed JWT; read first so the
     * client learns which mistake it made (it is about to leak its private key with every request).
     */
    private static void refusePrivateKeyMaterial(String proof) {
        int dot = proof.indexOf('.');
        if (dot <= 0) {
            return;
        }
        try {
            var header = JSON.readTree(java.util.Base64.getUrlDecoder().decode(proof.substring(0, dot)));
            var jwk = header == null ? null : header.get("jwk");
            if (jwk != null && jwk.isObject()) {
                for (String m : PRIVATE_MEMBERS) {
                    if (jwk.has(m)) {
                        throw DpopException.invalid("the DPoP proof's jwk holds a private key");
                    }
                }
            }
        } catch (java.io.IOException | IllegalArgumentException e) {
            // Not JSON, not base64url: the parser says so next.
        }
    }

    private static Key proofKey(ProtectedHeader header) {
        String typ = header.getType();
        if (typ == null || !typ.toLowerCase(Locale.ROOT).equals(TYPE)) {
            throw DpopException.invalid("the DPoP proof's typ is not dpop+jwt");
        }
        String alg = header.getAlgorithm();
        if (alg == null || !ALGORITHMS.contains(alg)) {
            throw DpopException.invalid("the DPoP proof's alg is not one of " + String.join(" ", ALGORITHMS));
        }
        if (header.getJwkSetUrl() != null || header.getX509Url() != null || header.getX509Chain() != null) {
            throw DpopException.invalid("the DPoP proof names its key by reference; it must carry it as jwk");
        }
        Object jwk = header.getJwk();
        if (jwk instanceof PrivateJwk<?, ?, ?>) {
            throw DpopException.invalid("the DPoP proof's jwk holds a private key");
        }
        if (!(jwk instanceof PublicJwk<?> publicJwk)) {
            throw DpopException.invalid("the DPoP proof carries no public jwk");
        }
        return publicJwk.toKey();
    }

    private static String string(Claims claims, String name) {
        Object v = claims.get(name);
        return v instanceof String s && !s.isEmpty() ? s : null;
    }

    private static boolean matchesAny(String htu, Collection<URI> urls) {
        URI sent = normalise(htu);
        if (sent == null) {
            return false;
        }
        for (URI u : urls) {
            if (sent.equals(normalise(u.toString()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * RFC 9449 §4.3 item 9: compared without query and fragment, after syntax- and scheme-based
     * normalisation (RFC 3986 §6.2.2, §6.2.3): case of scheme and host, default ports, dot segments,
     * an empty path as {@code /}.
     */
    static URI normalise(String uri) {
        try {
            URI u = new URI(uri).normalize();
            String scheme = u.getScheme();
            String host = u.getHost();
            if (scheme == null || host == null) {
                return null;
            }
            scheme = scheme.toLowerCase(Locale.ROOT);
            int port = u.getPort();
            if (("https".equals(scheme) && port == 443) || ("http".equals(scheme) && port == 80)) {
                port = -1;
            }
            String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return new URI(scheme + "://" + host.toLowerCase(Locale.ROOT) + (port == -1 ? "" : ":" + port) + path);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
