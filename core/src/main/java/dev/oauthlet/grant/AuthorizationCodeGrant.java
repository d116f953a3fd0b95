package dev.oauthlet.grant;

import dev.oauthlet.audit.AuditEvent;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.protocol.Pkce;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.spi.AuthorizationCodeRecord;
import dev.oauthlet.spi.AuthorizationCodeStore;
import dev.oauthlet.spi.AuthorizationCodeStore.Redemption;
import dev.oauthlet.spi.ClientStore;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * RFC 6749 §4.1.3 with RFC 7636 PKCE: exchanges a code from the authorization endpoint for tokens.
 * A code works once; a second presentation by the code's own client answers {@code invalid_grant}
 * and revokes the refresh family and the access token the first one yielded (RFC 6749 §4.1.2).
 * Another client presenting it is refused without revoking anything.
 *
 * <p>The access token's {@code jti} and the refresh family are derived from the code's hash, so a
 * second use can revoke them without the store having to record them — even when it races the
 * first one.
 */
public final class AuthorizationCodeGrant implements GrantHandler {

    public static final String TYPE = "authorization_code";

    /**
     * The parameters of RFC 6749 §4.1.3 with RFC 7636's verifier and RFC 8707's resources.
     *
     * @param redirectUri  {@code redirect_uri}, or {@code null}
     * @param codeVerifier {@code code_verifier}, or {@code null}
     * @param extensions   every other parameter, for the token customizers
     * @throws OAuthException {@code invalid_request} when the code is missing
     */
    public record Request(String code, String redirectUri, String codeVerifier, List<String> resources, Map<String, String> extensions) {

        public static Request of(TokenRequest request) {
            return new Request(request.requireParameter("code"), request.parameter("redirect_uri"), request.parameter("code_verifier"),
                    request.resources(), request.extensionParameters("code", "code_verifier", "redirect_uri"));
        }

        @Override
        public String toString() {
            return "AuthorizationCodeGrant.Request[redirectUri=" + redirectUri + ", resources=" + resources + "]";
        }
    }

    private final AuthorizationCodeStore codes;
    private final ClientStore clients;

    /** @param clients where a replayed code's client is found, for how long its access token may live */
    public AuthorizationCodeGrant(AuthorizationCodeStore codes, ClientStore clients) {
        this.codes = Objects.requireNonNull(codes, "codes");
        this.clients = Objects.requireNonNull(clients, "clients");
    }

    @Override
    public String grantType() {
        return TYPE;
    }

    @Override
    public TokenResponse handle(TokenIssuance issuance, ClientRegistration client, TokenRequest tokenRequest) {
        Request request = Request.of(tokenRequest);
        String hash = Hashes.sha256(request.code());
        Redemption redemption = codes.consume(hash)
                .orElseThrow(() -> OAuthException.invalidGrant("the authorization code is invalid"));
        AuthorizationCodeRecord code = redemption.code();
        // The client first: another client holding a leaked, used code must not be able to revoke
        // the user's tokens with it, so only the code's own client's replay revokes.
        if (!code.clientId().equals(client.id())) {
            throw OAuthException.invalidGrant("the authorization code was issued to another client");
        }
        if (!redemption.firstUse()) {
            revokeIssued(issuance, code);
            throw OAuthException.invalidGrant("the authorization code was already used; the tokens issued from it are revoked");
        }
        if (!issuance.clock().instant().isBefore(code.expiresAt())) {
            throw OAuthException.invalidGrant("the authorization code has expired");
        }
        checkRedirectUri(client, code, request.redirectUri());
        checkVerifier(code, request.codeVerifier());
        // RFC 9449 §10: a code bound by dpop_jkt is exchanged only with a proof of that key.
        if (code.dpopJkt() != null && !code.dpopJkt().equals(issuance.dpopJkt())) {
            throw OAuthException.invalidGrant(issuance.dpopJkt() == null ? "the authorization code is DPoP-bound; send a DPoP proof of its key"
                    : "the authorization code is bound to another DPoP key");
        }

        Set<String> scopes = inClientOrder(client, code.scopes());
        // RFC 8707 §2.2: the exchange may name a subset of the resources the user granted; the refresh token keeps them all.
        List<String> audiences = TokenIssuance.narrowAudiences(client, code.audiences(), request.resources());
        boolean withRefresh = client.allowsGrant(RefreshTokenGrant.TYPE);
        var access = issuance.accessToken(client, TYPE, code.subject(), scopes, audiences, code.claims(), request.extensions(),
                accessTokenId(hash), withRefresh ? familyId(hash) : null);
        String refresh = null;
        if (withRefresh) {
            refresh = issuance.newRefreshToken(client, code.subject(), scopes, granted(client, code), code.claims(), familyId(hash),
                    code.authTime(), code.signIn());
            codes.attachFamily(hash, familyId(hash));
            if (issuance.revocations().isRevokedNow(accessTokenId(hash))) {
                // A second use raced this one: it deny-listed our access token and then revoked the family,
                // perhaps before our refresh token was stored. Revoke again so the family stays dead; this
                // request still won the code, as it would have a moment earlier.
                issuance.revokeFamily(familyId(hash));
            }
        }
        return issuance.response(access, refresh, issuance.idToken(client, code.subject(), scopes, code.authTime(), code.nonce(),
                code.signIn(), access));
    }

    private static List<String> granted(ClientRegistration client, AuthorizationCodeRecord code) {
        return code.audiences().isEmpty() ? List.of(client.audience()) : code.audiences();
    }

    /** Responses print scopes in the order the client's configuration lists them, whatever order a store returns. */
    private static Set<String> inClientOrder(ClientRegistration client, Set<String> granted) {
        Set<String> ordered = new LinkedHashSet<>();
        for (String s : client.scopes()) {
            if (granted.contains(s)) {
                ordered.add(s);
            }
        }
        ordered.addAll(granted);
        return ordered;
    }

    /** RFC 6749 §4.1.3: a redirect_uri in the authorization request must be repeated, identically. */
    private static void checkRedirectUri(ClientRegistration client, AuthorizationCodeRecord code, String given) {
        if (code.redirectUri() != null) {
            if (!code.redirectUri().equals(given)) {
                throw OAuthException.invalidGrant(given == null
                        ? "redirect_uri is missing (the authorization request had one)"
                        : "redirect_uri does not match the authorization request");
            }
        } else if (given != null && !client.redirectUris().contains(given)) {
            throw OAuthException.invalidGrant("redirect_uri does not match the authorization request");
        }
    }

    private static void checkVerifier(AuthorizationCodeRecord code, String verifier) {
        if (code.codeChallenge() == null) {
            // RFC 9700 §2.1.1: a verifier for a code issued without a challenge signals a downgrade attack.
            if (verifier != null) {
                throw OAuthException.invalidGrant("code_verifier was sent, but the authorization request had no code_challenge");
            }
            return;
        }
        if (verifier == null) {
            throw OAuthException.invalidGrant("code_verifier is missing (the authorization request had a code_challenge)");
        }
        if (!Pkce.matches(verifier, code.codeChallenge(), code.codeChallengeMethod())) {
            throw OAuthException.invalidGrant("code_verifier does not match the code_challenge");
        }
    }

    /**
     * Revokes what the first redemption yielded: the access token by its jti until it expires, then
     * the refresh family. The order matters when the first redemption is still running: it checks
     * the deny-list after storing its refresh token, so either it sees the entry and revokes its
     * family itself, or its token is stored before our family revocation runs.
     */
    private void revokeIssued(TokenIssuance issuance, AuthorizationCodeRecord code) {
        String hash = code.hash();
        // The token was issued before the code expired, so it expires no later than this.
        Duration ttl = clients.findById(code.clientId())
                .map(issuance::accessTokenTtl)
                .orElse(issuance.policy().accessTokenTtl());
        Instant latestExpiry = code.expiresAt().plus(ttl);
        issuance.revocations().revokeToken(accessTokenId(hash), latestExpiry);
        // The family takes the access tokens refreshed from it before the replay too (RFC 6749 §4.1.2).
        String family = code.familyId() != null ? code.familyId() : familyId(hash);
        int revoked = issuance.revokeFamily(family);
        issuance.audit().record(AuditEvent.request(AuditEvent.Type.CODE_REPLAYED, issuance.clock().instant(), code.clientId(), code.subject(),
                null, Map.of("family", family, "refresh_tokens_revoked", Integer.toString(revoked))));
    }

    static String accessTokenId(String codeHash) {
        return Hashes.sha256("oauthlet code access token\n" + codeHash).substring(0, 22);
    }

    static String familyId(String codeHash) {
        return Hashes.sha256("oauthlet code refresh family\n" + codeHash).substring(0, 22);
    }
}
