package dev.oauthlet.token;

import dev.oauthlet.error.OAuthException;
import dev.oauthlet.key.KeyResolver;
import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.key.VerificationKey;
import dev.oauthlet.protocol.Scopes;
import dev.oauthlet.token.TokenVerificationException.Reason;
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
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies access tokens: signature with a key the {@link KeyResolver} knows, only the configured
 * algorithms (never {@code none}, and a key is only ever used with its own algorithm, so an HMAC
 * token "signed" with a public key is refused), no {@code jku}/{@code x5u}/{@code x5c}/{@code jwk}
 * headers, {@code typ at+jwt}, {@code iss}, and {@code exp}/{@code nbf} within the clock skew.
 * The issuer's own RS256 tokens, of exactly the shape it writes, are accepted by
 * {@link OwnRs256Tokens} without jjwt's parse; every other token, and every refusal, is jjwt's.
 * Audience checks belong to the resource that knows its audience ({@link BearerTokenValidator}).
 * Thread-safe; build one and share it.
 */
public final class AccessTokenVerifier {

    private static final Pattern ALG_NONE = Pattern.compile("\"alg\"\\s*:\\s*\"none\"", Pattern.CASE_INSENSITIVE);

    private final JwtParser parser;
    /** The issuer's own RS256 tokens, accepted without jjwt when RS256 is accepted at all. */
    private final OwnRs256Tokens own;
    private final String issuer;
    private final Duration clockSkew;
    private final Clock clock;

    /**
     * @param keys       where keys come from
     * @param algorithms the algorithms accepted; a token signed with another is refused
     * @param issuer     the {@code iss} required
     * @param clockSkew  tolerance on {@code exp} and {@code nbf}
     * @param clock      the clock
     */
    public AccessTokenVerifier(KeyResolver keys, Set<SigningAlgorithm> algorithms, String issuer, Duration clockSkew, Clock clock) {
        this(keys, algorithms, issuer, clockSkew, clock, true);
    }

    /** @param ownTokens whether the issuer's own RS256 tokens may be read without jjwt ({@code false}: jjwt reads every token) */
    AccessTokenVerifier(KeyResolver keys, Set<SigningAlgorithm> algorithms, String issuer, Duration clockSkew, Clock clock,
                        boolean ownTokens) {
        this.issuer = issuer;
        this.clockSkew = clockSkew;
        this.clock = clock;
        Set<SigningAlgorithm> allowed = Set.copyOf(algorithms);
        this.own = ownTokens && allowed.contains(SigningAlgorithm.RS256) ? new OwnRs256Tokens(keys, issuer, clockSkew, clock) : null;
        this.parser = Jwts.parser()
                .keyLocator(new LocatorAdapter<Key>() {
                    @Override
                    protected Key locate(ProtectedHeader header) {
                        // A key the token brings along proves nothing: anyone can sign with their own key.
                        if (header.getJwkSetUrl() != null || header.getX509Url() != null || header.getJwk() != null
                                || header.getX509Chain() != null) {
                            throw new TokenVerificationException(Reason.EMBEDDED_KEY);
                        }
                        SigningAlgorithm alg = SigningAlgorithm.fromJws(header.getAlgorithm());
                        if (alg == null || !allowed.contains(alg)) {
                            throw new TokenVerificationException(Reason.ALGORITHM_NOT_ACCEPTED);
                        }
                        String kid = header.getKeyId();
                        if (kid == null) {
                            throw new TokenVerificationException(Reason.NO_KEY_ID);
                        }
                        VerificationKey key = keys.resolve(kid).orElseThrow(() -> new TokenVerificationException(Reason.UNKNOWN_KEY));
                        // The kid binds the algorithm: an HS256 header naming an RSA key's kid ends here.
                        if (key.algorithm() != alg) {
                            throw new TokenVerificationException(Reason.KEY_MISMATCH);
                        }
                        return key.key();
                    }

                    @Override
                    protected Key doLocate(Header header) {
                        throw new TokenVerificationException(Reason.NOT_SIGNED);
                    }
                })
                .requireIssuer(issuer)
                .clockSkewSeconds(clockSkew.getSeconds())
                .clock(() -> Date.from(clock.instant()))
                .build();
    }

    /** The {@code iss} this verifier requires. */
    public String issuer() {
        return issuer;
    }

    /** The tolerance on {@code exp} and {@code nbf}. */
    public Duration clockSkew() {
        return clockSkew;
    }

    /** Verifies {@code token}; throws {@link TokenVerificationException} saying why not. */
    public AccessToken verify(String token) {
        return parse(token, null);
    }

    /**
     * Verifies {@code token} like {@link #verify}, except that a token expired for at most
     * {@code maxAge} is accepted: everything else, the signature and issuer first, must check out.
     */
    public AccessToken verifyAllowingExpiry(String token, Duration maxAge) {
        return parse(token, Objects.requireNonNull(maxAge, "maxAge"));
    }

    /** One parse for both: {@code expiredMaxAge} null refuses every expired token. */
    private AccessToken parse(String token, Duration expiredMaxAge) {
        if (own != null) {
            Optional<AccessToken> accepted = own.accept(token);
            if (accepted.isPresent()) {
                return accepted.get();
            }
        }
        try {
            var jws = parser.parseSignedClaims(token);
            checkType(jws.getHeader());
            return toAccessToken(jws.getPayload());
        } catch (ExpiredJwtException e) {
            if (expiredMaxAge == null) {
                throw new TokenVerificationException(Reason.EXPIRED);
            }
            return expired(e, expiredMaxAge);
        } catch (TokenVerificationException e) {
            throw e;
        } catch (PrematureJwtException e) {
            throw new TokenVerificationException(Reason.NOT_YET_VALID);
        } catch (IncorrectClaimException | MissingClaimException e) {
            // The only claim the parser is told to require is iss.
            throw new TokenVerificationException(Reason.WRONG_ISSUER);
        } catch (SecurityException e) {
            throw new TokenVerificationException(Reason.BAD_SIGNATURE);
        } catch (JwtException | IllegalArgumentException | ClassCastException | OAuthException e) {
            throw new TokenVerificationException(isUnsigned(token) ? Reason.NOT_SIGNED : Reason.MALFORMED);
        }
    }

    /**
     * An expired token's claims: jjwt checks the signature before the expiry, so they are genuine,
     * but it throws before {@code requireIssuer} runs, so the issuer is checked here.
     */
    private AccessToken expired(ExpiredJwtException e, Duration maxAge) {
        if (!issuer.equals(e.getClaims().getIssuer())) {
            throw new TokenVerificationException(Reason.WRONG_ISSUER);
        }
        checkType(e.getHeader());
        AccessToken t;
        try {
            t = toAccessToken(e.getClaims());
        } catch (IllegalArgumentException | ClassCastException | JwtException | OAuthException malformed) {
            throw new TokenVerificationException(Reason.MALFORMED);
        }
        if (t.expiresAt().plus(maxAge).isBefore(clock.instant())) {
            throw new TokenVerificationException(Reason.EXPIRED_TOO_LONG_AGO);
        }
        return t;
    }

    private static void checkType(Header header) {
        String typ = header.getType();
        if (typ == null || !(typ.equalsIgnoreCase(AccessTokenIssuer.TYPE) || typ.equalsIgnoreCase("application/at+jwt"))) {
            throw new TokenVerificationException(Reason.WRONG_TYPE);
        }
    }

    /** Only on the failure path: tells an {@code alg: none} token from garbage, for a precise error. */
    private static boolean isUnsigned(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        try {
            String header = new String(Base64.getUrlDecoder().decode(token.substring(0, dot)), StandardCharsets.UTF_8);
            return ALG_NONE.matcher(header).find();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private AccessToken toAccessToken(Claims c) {
        if (c.getSubject() == null || c.getExpiration() == null || c.getAudience() == null || c.getAudience().isEmpty()
                || c.getId() == null) {
            throw new TokenVerificationException(Reason.MISSING_CLAIMS);
        }
        Map<String, Object> extra = new HashMap<>();
        for (Map.Entry<String, Object> e : c.entrySet()) {
            if (!AccessToken.REGISTERED_CLAIMS.contains(e.getKey())) {
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
