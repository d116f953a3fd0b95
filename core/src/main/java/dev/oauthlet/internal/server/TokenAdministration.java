package dev.oauthlet.internal.server;

import dev.oauthlet.audit.AuditEvent;
import dev.oauthlet.audit.AuditTrail;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.config.TokensConfig;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.protocol.IntrospectionResponse;
import dev.oauthlet.protocol.Scopes;
import dev.oauthlet.spi.RefreshTokenRecord;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.token.AccessToken;
import dev.oauthlet.token.AccessTokenVerifier;
import dev.oauthlet.token.Revocations;
import dev.oauthlet.token.TokenVerificationException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.ToIntFunction;
import java.util.function.Function;

/**
 * Revocation (RFC 7009) and introspection (RFC 7662) of tokens this server issued. Access tokens
 * are JWTs, so revoking one puts its {@code jti} on a deny-list until it would have expired;
 * revoking a refresh token revokes its whole family, the access tokens issued from it included.
 */
public final class TokenAdministration {

    private static final String ACCESS_TOKEN = "access_token";
    private static final String REFRESH_TOKEN = "refresh_token";

    private final Storage storage;
    private final AccessTokenVerifier verifier;
    private final TokensConfig policy;
    private final Function<String, Set<String>> introspectAudiences;
    private final Revocations revocations;
    private final ToIntFunction<String> revokeFamily;
    private final Clock clock;
    private final AuditTrail audit;

    /**
     * @param introspectAudiences per client id, the audiences whose access tokens it may introspect besides its own
     * @param revokeFamily        revokes a refresh-token family with its access tokens; answers how many refresh tokens it revoked
     * @param audit               where each revocation is reported
     */
    public TokenAdministration(Storage storage, AccessTokenVerifier verifier, TokensConfig policy,
                               Function<String, Set<String>> introspectAudiences, Revocations revocations,
                               ToIntFunction<String> revokeFamily, Clock clock, AuditTrail audit) {
        this.audit = audit;
        this.storage = storage;
        this.verifier = verifier;
        this.policy = policy;
        this.introspectAudiences = introspectAudiences;
        this.revocations = revocations;
        this.revokeFamily = revokeFamily;
        this.clock = clock;
    }

    /**
     * Revokes {@code token} if it is one of {@code client}'s. Anything else — unknown, expired,
     * another client's — is left alone without saying so, as RFC 7009 §2.2 answers invalid tokens.
     */
    public void revoke(ClientRegistration client, String token, String hint) {
        if (triesAccessTokenFirst(token, hint)) {
            if (!revokeAccessToken(client, token)) {
                revokeRefreshToken(client, token);
            }
        } else if (!revokeRefreshToken(client, token)) {
            revokeAccessToken(client, token);
        }
    }

    private boolean revokeAccessToken(ClientRegistration client, String token) {
        Optional<AccessToken> access = verifiedAccessToken(token);
        if (access.isEmpty()) {
            return false;
        }
        if (access.get().clientId().equals(client.id())) {
            revocations.revokeToken(access.get().jti(), access.get().expiresAt());
            audit.record(AuditEvent.request(AuditEvent.Type.TOKEN_REVOKED, clock.instant(), client.id(), access.get().subject(), null,
                    Map.of("token_type", ACCESS_TOKEN, "jti", access.get().jti())));
        }
        return true;
    }

    private boolean revokeRefreshToken(ClientRegistration client, String token) {
        Optional<RefreshTokenRecord> record = storage.refreshTokens().findByHash(Hashes.sha256(token));
        if (record.isEmpty()) {
            return false;
        }
        if (record.get().clientId().equals(client.id())) {
            // RFC 7009 §2.1 / RFC 9700: the whole grant goes, not just this link of the rotation chain, and with it
            // every access token issued from it.
            int revoked = revokeFamily.applyAsInt(record.get().familyId());
            audit.record(AuditEvent.request(AuditEvent.Type.TOKEN_REVOKED, clock.instant(), client.id(), record.get().subject(), null,
                    Map.of("token_type", REFRESH_TOKEN, "family", record.get().familyId(), "refresh_tokens_revoked", Integer.toString(revoked))));
        }
        return true;
    }

    /**
     * What {@code token} is, for {@code caller} (RFC 7662 §4, privacy): an access token only for its
     * own client or for a client configured to serve its audience ({@code introspect-audiences},
     * a resource server); a refresh token only for its own client. Every other token answers
     * {@code active: false}, exactly as an unknown one, so no client learns about another's tokens.
     */
    public IntrospectionResponse introspect(ClientRegistration caller, String token, String hint) {
        if (triesAccessTokenFirst(token, hint)) {
            return introspectAccessToken(caller, token).or(() -> introspectRefreshToken(caller, token))
                    .orElse(IntrospectionResponse.inactive());
        }
        return introspectRefreshToken(caller, token).or(() -> introspectAccessToken(caller, token))
                .orElse(IntrospectionResponse.inactive());
    }

    private Optional<IntrospectionResponse> introspectAccessToken(ClientRegistration caller, String token) {
        Optional<AccessToken> verified = verifiedAccessToken(token);
        if (verified.isEmpty()) {
            return Optional.empty();
        }
        AccessToken t = verified.get();
        boolean entitled = t.clientId().equals(caller.id()) || introspectAudiences.apply(caller.id()).contains(t.audience());
        if (!entitled || revocations.isRevokedNow(t)) {
            return Optional.of(IntrospectionResponse.inactive());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (!t.scopes().isEmpty()) {
            m.put("scope", t.scopeString());
        }
        m.put("client_id", t.clientId());
        m.put("token_type", policy.tokenType());
        m.put("exp", t.expiresAt().getEpochSecond());
        m.put("iat", t.issuedAt().getEpochSecond());
        m.put("nbf", t.issuedAt().getEpochSecond());
        m.put("sub", t.subject());
        // As issued: a string for one audience, an array for several.
        m.put("aud", t.audiences().size() == 1 ? t.audience() : t.audiences());
        m.put("iss", t.issuer());
        m.put("jti", t.jti());
        new TreeMap<>(t.claims()).forEach(m::putIfAbsent);
        return Optional.of(new IntrospectionResponse(true, m));
    }

    private Optional<IntrospectionResponse> introspectRefreshToken(ClientRegistration caller, String token) {
        Instant now = clock.instant();
        Optional<RefreshTokenRecord> found = storage.refreshTokens().findByHash(Hashes.sha256(token));
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RefreshTokenRecord r = found.get();
        // A rotated token still answers within the reuse grace, but only with its successor: it is no longer active.
        if (!r.clientId().equals(caller.id()) || r.state() != RefreshTokenRecord.State.ACTIVE || r.isExpired(now)) {
            return Optional.of(IntrospectionResponse.inactive());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        if (!r.scopes().isEmpty()) {
            m.put("scope", Scopes.format(r.scopes()));
        }
        m.put("client_id", r.clientId());
        m.put("token_type", REFRESH_TOKEN);
        m.put("exp", r.expiresAt().getEpochSecond());
        m.put("iat", r.issuedAt().getEpochSecond());
        m.put("sub", r.subject());
        new TreeMap<>(r.claims()).forEach(m::putIfAbsent);
        return Optional.of(new IntrospectionResponse(true, m));
    }

    /** The access token if it is genuine and unexpired; empty for anything else. */
    private Optional<AccessToken> verifiedAccessToken(String token) {
        try {
            return Optional.of(verifier.verify(token));
        } catch (TokenVerificationException e) {
            return Optional.empty();
        }
    }

    /** Access tokens are JWTs (they contain dots), refresh tokens are base64url: the hint only breaks a tie. */
    private static boolean triesAccessTokenFirst(String token, String hint) {
        if (REFRESH_TOKEN.equals(hint)) {
            return false;
        }
        return ACCESS_TOKEN.equals(hint) || token.indexOf('.') >= 0;
    }
}
