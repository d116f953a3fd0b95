package dev.oauthlet.token;

import dev.oauthlet.key.KeyResolver;
import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.key.VerificationKey;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Header;
import io.jsonwebtoken.IncorrectClaimException;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.MissingClaimException;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.ProtectedHeader;
import io.jsonwebtoken.security.SecurityException;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Verifies access tokens: signature with a key the {@link KeyResolver} knows, only the configured
 * algorithms (never {@code none}, never a key of another type), no {@code jku}/{@code x5u}/{@code jwk}
 * headers, {@code typ at+jwt}, {@code iss}, and {@code exp}/{@code nbf} within the clock skew.
 * Thread-safe; build one and share it.
 */
public final class AccessTokenVerifier {

    private static final Set<String> REGISTERED = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "client_id", "scope");

    private final JwtParser parser;
    private final String issuer;
    private final Clock clock;

    /**
     * @param keys       where keys come from
     * @param algorithms the algorithms accepted; a token signed with another is refused
     * @param issuer     the {@code iss} required
     * @param clockSkew  tolerance on {@code exp} and {@code nbf}
     * @param clock      the clock
     */
    public AccessTokenVerifier(KeyResolver keys, Set<SigningAlgorithm> algorithms, String issuer, Duration clockSkew, Clock clock) {
        this.issuer = issuer;
        this.clock = clock;
        Set<SigningAlgorithm> allowed = Set.copyOf(algorithms);
        this.parser = Jwts.parser()
                .keyLocator(new LocatorAdapter<Key>() {
                    @Override
                    protected Key locate(ProtectedHeader header) {
                        if (header.getJwkSetUrl() != null || header.getX509Url() != null || header.getJwk() != null) {
                            throw new TokenVerificationException("token names its own key (jku, x5u or jwk header)", false);
                        }
                        SigningAlgorithm alg = SigningAlgorithm.fromJws(header.getAlgorithm());
                        if (alg == null || !allowed.contains(alg)) {
                            throw new TokenVerificationException("algorithm " + header.getAlgorithm() + " is not accepted", false);
                        }
                        String kid = header.getKeyId();
                        if (kid == null) {
                            throw new TokenVerificationException("token has no kid", false);
                        }
                        VerificationKey key = keys.resolve(kid)
                                .orElseThrow(() -> new TokenVerificationException("unknown key " + kid, false));
                        if (key.algorithm() != alg) {
                            throw new TokenVerificationException("key " + kid + " is not a " + alg + " key", false);
                        }
                        return key.key();
                    }

                    @Override
                    protected Key doLocate(Header header) {
                        throw new TokenVerificationException("token is not signed", false);
                    }
                })
                .requireIssuer(issuer)
                .clockSkewSeconds(clockSkew.getSeconds())
                .clock(() -> Date.from(clock.instant()))
                .build();
    }

    /** Verifies {@code token}; throws {@link TokenVerificationException} saying why not. */
    public AccessToken verify(String token) {
        try {
            var jws = parser.parseSignedClaims(token);
            checkType(jws.getHeader());
            return toAccessToken(jws.getPayload());
        } catch (ExpiredJwtException e) {
            throw new TokenVerificationException("token expired", true);
        } catch (TokenVerificationException e) {
            throw e;
        } catch (PrematureJwtException e) {
            throw new TokenVerificationException("token is not valid yet", false);
        } catch (IncorrectClaimException | MissingClaimException e) {
            throw new TokenVerificationException("token has the wrong " + e.getClaimName(), false);
        } catch (SecurityException e) {
            throw new TokenVerificationException("signature does not verify", false);
        } catch (JwtException | IllegalArgumentException | ClassCastException e) {
            throw new TokenVerificationException("malformed token", false);
        }
    }

    /**
     * Verifies {@code token} like {@link #verify}, except that a token expired for at most
     * {@code maxAge} is accepted: everything else, the signature first, must check out.
     */
    public AccessToken verifyAllowingExpiry(String token, Duration maxAge) {
        try {
            return verify(token);
        } catch (TokenVerificationException e) {
            if (!e.expired()) {
                throw e;
            }
        }
        try {
            parser.parseSignedClaims(token);
            throw new TokenVerificationException("token expired", true);
        } catch (ExpiredJwtException e) {
            // jjwt checks the signature before the expiry, so these claims are genuine.
            checkType(e.getHeader());
            AccessToken t = toAccessToken(e.getClaims());
            if (t.expiresAt().plus(maxAge).isBefore(clock.instant())) {
                throw new TokenVerificationException("token expired too long ago", true);
            }
            return t;
        } catch (JwtException e) {
            throw new TokenVerificationException("malformed token", false);
        }
    }

    private static void checkType(Header header) {
        String typ = header.getType();
        if (typ == null || !(typ.equalsIgnoreCase(AccessTokenIssuer.TYPE) || typ.equalsIgnoreCase("application/at+jwt"))) {
            throw new TokenVerificationException("token is not an access token (typ " + typ + ")", false);
        }
    }

    private AccessToken toAccessToken(Claims c) {
        if (c.getSubject() == null || c.getExpiration() == null || c.getAudience() == null || c.getAudience().isEmpty()
                || c.getId() == null) {
            throw new TokenVerificationException("token lacks sub, aud, exp or jti", false);
        }
        Map<String, Object> extra = new HashMap<>();
        for (Map.Entry<String, Object> e : c.entrySet()) {
            if (!REGISTERED.contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
            }
        }
        Instant iat = c.getIssuedAt() == null ? c.getExpiration().toInstant() : c.getIssuedAt().toInstant();
        String clientId = c.get("client_id", String.class);
        return new AccessToken(issuer, c.getSubject(), String.join(" ", c.getAudience()), clientId == null ? "" : clientId,
                Scopes.parse(c.get("scope", String.class)), c.getId(), iat, c.getExpiration().toInstant(), extra);
    }

    /** The audiences of a verified token; {@link AccessToken#audience()} joins several with spaces. */
    public static Set<String> audiences(AccessToken token) {
        return Set.of(token.audience().split(" "));
    }
}
