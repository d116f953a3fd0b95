package dev.oauthlet.token;

import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.key.SigningKey;
import dev.oauthlet.key.SigningKeys;
import dev.oauthlet.key.VerificationKey;
import dev.oauthlet.user.SignInContext;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Header;
import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.ProtectedHeader;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * OpenID Connect ID tokens (Core 1.0 §2): signed RS256 with keys of their own when access tokens
 * use another algorithm — an HMAC-signed ID token could be checked by nobody but this server, and
 * Discovery requires RS256 — and read back when a client names one as {@code id_token_hint}.
 * Thread-safe.
 */
public final class IdTokens {

    /** The scope that makes a request an OpenID Connect one. */
    public static final String OPENID = "openid";
    /** The one algorithm ID tokens are signed with. */
    public static final SigningAlgorithm ALGORITHM = SigningAlgorithm.RS256;

    private final String issuer;
    private final SigningKeys keys;
    private final Clock clock;
    private final JwtParser parser;

    /**
     * @param keys RS256 keys: the access-token keys when {@code signing.algorithm} is RS256, else keys of
     *             their own; any other key is refused when it would sign
     */
    public IdTokens(String issuer, SigningKeys keys, Clock clock) {
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        this.keys = keys;
        this.clock = clock;
        this.parser = Jwts.parser()
                .keyLocator(new LocatorAdapter<Key>() {
                    @Override
                    protected Key locate(ProtectedHeader header) {
                        if (header.getJwkSetUrl() != null || header.getX509Url() != null || header.getJwk() != null
                                || header.getX509Chain() != null || !ALGORITHM.name().equals(header.getAlgorithm())
                                || header.getKeyId() == null) {
                            throw new JwtException("not an ID token of this server");
                        }
                        return keys.resolve(header.getKeyId()).filter(k -> k.algorithm() == ALGORITHM).map(VerificationKey::key)
                                .orElseThrow(() -> new JwtException("unknown key"));
                    }

                    @Override
                    protected Key doLocate(Header header) {
                        throw new JwtException("not signed");
                    }
                })
                .requireIssuer(issuer)
                .clock(() -> Date.from(clock.instant()))
                .build();
    }

    /** The keys that sign ID tokens: the access tokens' own when they are RS256 too. */
    public SigningKeys keys() {
        return keys;
    }

    /** {@code true} when {@code scopes} make the request an OpenID Connect one. */
    public static boolean requested(Set<String> scopes) {
        return scopes.contains(OPENID);
    }

    /**
     * What one ID token says.
     *
     * @param clientId    {@code aud}: the client it is for
     * @param subject     {@code sub}
     * @param authTime    {@code auth_time}: when the user signed in
     * @param nonce       {@code nonce} from the authorization request; {@code null} leaves it out (a refresh, Core §12.2)
     * @param accessToken the access token issued with it, hashed into {@code at_hash}; {@code null} leaves it out
     * @param lifetime    from now to {@code exp}
     * @param signIn      how the user signed in: {@code acr} and {@code amr} when known; {@code null} takes {@link SignInContext#UNKNOWN}
     */
    public record Request(String clientId, String subject, Instant authTime, String nonce, String accessToken, Duration lifetime,
                          SignInContext signIn) {
        public Request {
            Objects.requireNonNull(clientId, "clientId");
            Objects.requireNonNull(subject, "subject");
            Objects.requireNonNull(authTime, "authTime");
            Objects.requireNonNull(lifetime, "lifetime");
            signIn = signIn == null ? SignInContext.UNKNOWN : signIn;
        }

        /** An ID token that says nothing of how the user signed in. */
        public Request(String clientId, String subject, Instant authTime, String nonce, String accessToken, Duration lifetime) {
            this(clientId, subject, authTime, nonce, accessToken, lifetime, null);
        }
    }

    /**
     * Signs an ID token with the current RS256 key.
     *
     * @throws IllegalStateException when the keys are not RS256: an HS256 ID token is never issued
     */
    public String sign(Request r) {
        SigningKey key = keys.current();
        if (key.algorithm() != ALGORITHM) {
            throw new IllegalStateException("refusing to sign an ID token with " + key.algorithm() + "; ID tokens are RS256");
        }
        Instant now = clock.instant();
        JwtBuilder b = Jwts.builder()
                .header().type("JWT").keyId(key.kid()).and()
                .issuer(issuer)
                .subject(r.subject())
                .audience().single(r.clientId())
                .issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(r.lifetime())))
                .claim("auth_time", r.authTime().getEpochSecond());
        if (r.nonce() != null) {
            b.claim("nonce", r.nonce());
        }
        if (r.accessToken() != null) {
            b.claim("at_hash", atHash(r.accessToken()));
        }
        String acr = r.signIn().acrOrDerived();
        if (acr != null) {
            b.claim("acr", acr);
        }
        if (!r.signIn().amr().isEmpty()) {
            b.claim("amr", r.signIn().amr());
        }
        return b.signWith(key.signingKey(), ALGORITHM.jws()).compact();
    }

    /** Core §3.1.3.6: the left half of the SHA-256 of the access token's ASCII octets, base64url. */
    public static String atHash(String accessToken) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, digest.length / 2));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A hint's claims ({@code id_token_hint}): an ID token this server signed, with this issuer,
     * expired or not (RP-Initiated Logout 1.0 §2 accepts expired ones, and a hint only names who
     * and which client, it grants nothing). Empty for anything else, another issuer's token included.
     */
    public Optional<Hint> readHint(String idToken) {
        if (idToken == null || idToken.length() > 8192) {
            return Optional.empty();
        }
        Claims claims;
        Header header;
        try {
            var jws = parser.parseSignedClaims(idToken);
            claims = jws.getPayload();
            header = jws.getHeader();
        } catch (ExpiredJwtException e) {
            // jjwt checks the signature before the expiry, but throws before requireIssuer runs.
            claims = e.getClaims();
            header = e.getHeader();
            if (!issuer.equals(claims.getIssuer())) {
                return Optional.empty();
            }
        } catch (JwtException | IllegalArgumentException | ClassCastException e) {
            return Optional.empty();
        }
        Set<String> aud = claims.getAudience();
        Object authTime = claims.get("auth_time");
        // With signing.algorithm RS256 access tokens share the keys: their typ tells them apart, and every ID token has auth_time.
        if (AccessTokenIssuer.TYPE.equalsIgnoreCase(header.getType()) || claims.getSubject() == null || aud == null || aud.size() != 1
                || !(authTime instanceof Number)) {
            return Optional.empty();
        }
        return Optional.of(new Hint(claims.getSubject(), aud.iterator().next(), Instant.ofEpochSecond(((Number) authTime).longValue())));
    }

    /**
     * What an {@code id_token_hint} says.
     *
     * @param subject  who signed in
     * @param clientId the client it was issued to
     * @param authTime when the user signed in
     */
    public record Hint(String subject, String clientId, Instant authTime) {
    }
}
