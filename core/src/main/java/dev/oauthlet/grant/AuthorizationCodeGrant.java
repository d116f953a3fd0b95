package dev.oauthlet.grant;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.protocol.Pkce;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.spi.AuthorizationCodeRecord;
import dev.oauthlet.spi.AuthorizationCodeStore.Redemption;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
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

    @Override
    public String grantType() {
        return TYPE;
    }

    @Override
    public TokenResponse handle(GrantContext context, ClientRegistration client, TokenRequest request) {
        String hash = Hashes.sha256(request.requireParameter("code"));
        Redemption redemption = context.storage().authorizationCodes().consume(hash)
                .orElseThrow(() -> OAuthException.invalidGrant("the authorization code is invalid"));
        AuthorizationCodeRecord code = redemption.code();
        // The client first: another client holding a leaked, used code must not be able to revoke
        // the user's tokens with it, so only the code's own client's replay revokes.
        if (!code.clientId().equals(client.id())) {
            throw OAuthException.invalidGrant("the authorization code was issued to another client");
        }
        if (!redemption.firstUse()) {
            revokeIssued(context, code);
            throw OAuthException.invalidGrant("the authorization code was already used; the tokens issued from it are revoked");
        }
        if (!context.clock().instant().isBefore(code.expiresAt())) {
            throw OAuthException.invalidGrant("the authorization code has expired");
        }
        checkRedirectUri(client, code, request.parameter("redirect_uri"));
        checkVerifier(code, request.parameter("code_verifier"));
        // RFC 9449 §10: a code bound by dpop_jkt is exchanged only with a proof of that key.
        if (code.dpopJkt() != null && !code.dpopJkt().equals(context.dpopJkt())) {
            throw OAuthException.invalidGrant(context.dpopJkt() == null ? "the authorization code is DPoP-bound; send a DPoP proof of its key"
                    : "the authorization code is bound to another DPoP key");
        }

        Map<String, String> parameters = new HashMap<>(request.parameters());
        parameters.remove("code");
        parameters.remove("code_verifier");
        Set<String> scopes = inClientOrder(client, code.scopes());
        // RFC 8707 §2.2: the exchange may name a subset of the resources the user granted; the refresh token keeps them all.
        List<String> audiences = GrantContext.narrowAudiences(client, code.audiences(), request.resources());
        boolean withRefresh = client.allowsGrant(RefreshTokenGrant.TYPE);
        var access = context.accessToken(client, TYPE, code.subject(), scopes, audiences, code.claims(), parameters,
                accessTokenId(hash), withRefresh ? familyId(hash) : null);
        String refresh = null;
        if (withRefresh) {
            refresh = context.newRefreshToken(client, code.subject(), scopes, granted(client, code), code.claims(), familyId(hash),
                    code.authTime());
            context.storage().authorizationCodes().attachFamily(hash, familyId(hash));
            if (context.storage().revokedTokens().isRevoked(accessTokenId(hash))) {
                // A second use raced this one: it deny-listed our access token and then revoked the family,
                // perhaps before our refresh token was stored. Revoke again so the family stays dead; this
                // request still won the code, as it would have a moment earlier.
                context.revokeFamily(familyId(hash));
            }
        }
        return context.response(access, refresh, context.idToken(client, code.subject(), scopes, code.authTime(), code.nonce(), access));
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
    private static void revokeIssued(GrantContext context, AuthorizationCodeRecord code) {
        String hash = code.hash();
        // The token was issued before the code expired, so it expires no later than this.
        Duration ttl = context.storage().clients().findById(code.clientId())
                .map(context::accessTokenTtl)
                .orElse(context.policy().accessTokenTtl());
        Instant latestExpiry = code.expiresAt().plus(ttl);
        context.revocations().revokeToken(accessTokenId(hash), latestExpiry);
        // The family takes the access tokens refreshed from it before the replay too (RFC 6749 §4.1.2).
        context.revokeFamily(code.familyId() != null ? code.familyId() : familyId(hash));
    }

    static String accessTokenId(String codeHash) {
        return Hashes.sha256("oauthlet code access token\n" + codeHash).substring(0, 22);
    }

    static String familyId(String codeHash) {
        return Hashes.sha256("oauthlet code refresh family\n" + codeHash).substring(0, 22);
    }
}
