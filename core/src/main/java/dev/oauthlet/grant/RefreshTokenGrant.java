package dev.oauthlet.grant;

import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.RefreshRotation;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.internal.SuccessorSeal;
import dev.oauthlet.internal.server.StoreUserAuthenticator;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.spi.RefreshTokenRecord;
import dev.oauthlet.spi.RefreshTokenRecord.State;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * RFC 6749 §6. With {@code rotate}, every refresh of one token within the reuse grace period gets
 * the same successor (so racing processes all end up holding a working token). After the grace
 * period, a token whose successor was never used still gets that successor (its answer may have been
 * lost); one whose successor was used is treated as theft and revokes the whole family
 * (RFC 9700 §4.14.2; the trade-off is in docs/storage.md).
 * With {@code keep}, the refresh token stays as it is.
 */
public final class RefreshTokenGrant implements GrantHandler {

    public static final String TYPE = "refresh_token";

    /** Compare-and-set attempts before giving up; each lost attempt means another request changed the token. */
    private static final int MAX_ATTEMPTS = 3;

    @Override
    public String grantType() {
        return TYPE;
    }

    @Override
    public boolean acceptsAccessTokenAuthentication() {
        return true;
    }

    @Override
    public Optional<ClientRegistration> identifyUnauthenticatedClient(GrantContext context, TokenRequest request) {
        String token = request.parameter("refresh_token");
        if (token == null) {
            return Optional.empty();
        }
        return context.storage().refreshTokens().findByHash(Hashes.sha256(token))
                .flatMap(r -> context.storage().clients().findById(r.clientId()))
                .filter(c -> !c.publicClient() && c.tokens().refreshWithoutAuthentication());
    }

    @Override
    public TokenResponse handle(GrantContext context, ClientRegistration client, TokenRequest request) {
        String presented = request.requireParameter("refresh_token");
        String hash = Hashes.sha256(presented);
        Instant now = context.clock().instant();
        RefreshTokenRecord record = context.storage().refreshTokens().findByHash(hash)
                // Another client's token is answered like an unknown one: nothing tells the caller it exists.
                .filter(r -> r.clientId().equals(client.id()))
                .orElseThrow(() -> OAuthException.invalidGrant("the refresh token is invalid"));
        if (record.isExpired(now)) {
            throw OAuthException.invalidGrant("the refresh token has expired");
        }
        if (record.state() == State.REVOKED) {
            throw OAuthException.invalidGrant("the refresh token was revoked");
        }
        // RFC 9449 §5: a bound refresh token works only with a proof of the same key.
        if (record.dpopJkt() != null && !record.dpopJkt().equals(context.dpopJkt())) {
            throw OAuthException.invalidGrant(context.dpopJkt() == null ? "the refresh token is DPoP-bound; send a DPoP proof of its key"
                    : "the refresh token is bound to another DPoP key");
        }
        // RFC 6749 §6: a refresh may narrow the scope, never widen it.
        Set<String> scopes = context.scopes(request.parameter("scope"), record.scopes(), record.scopes());
        // RFC 8707 §2.2 likewise: the resources of the grant, or fewer of them.
        List<String> audiences = GrantContext.narrowAudiences(client, record.audiences(), request.resources());
        checkUserClaims(record, request);

        String successor = record.state() == State.ACTIVE && context.rotation(client) == RefreshRotation.KEEP
                ? null
                : successor(context, client, record, presented, now);
        Map<String, String> parameters = new HashMap<>(request.parameters());
        parameters.remove("refresh_token");
        var access = context.accessToken(client, TYPE, record.subject(), scopes, audiences, record.claims(), parameters,
                Hashes.randomToken(16), record.familyId());
        // OpenID Connect Core §12.2: a fresh ID token naming the original sign-in, without a nonce. A family with no
        // recorded sign-in (the password grant's, or one stored before OpenID Connect) gets none.
        String idToken = record.authTime() == null ? null : context.idToken(client, record.subject(), scopes, record.authTime(), null, access);
        return context.response(access, successor, idToken);
    }

    /**
     * The token that replaces {@code record}: a new one if this request rotates it first, else the
     * one the first request stored, sealed under the presented token, if within the grace period.
     */
    private static String successor(GrantContext context, ClientRegistration client, RefreshTokenRecord record,
                                    String presented, Instant now) {
        RefreshTokenRecord current = record;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            switch (current.state()) {
                case REVOKED -> throw OAuthException.invalidGrant("the refresh token was revoked");
                case ROTATED -> {
                    return successorWithinGrace(context, current, presented, now);
                }
                case ACTIVE -> {
                    String candidate = Hashes.randomToken(GrantContext.REFRESH_TOKEN_BYTES);
                    RefreshTokenRecord next = new RefreshTokenRecord(Hashes.sha256(candidate), current.familyId(), client.id(),
                            current.subject(), current.scopes(), current.claims(), now,
                            context.refreshTokenExpiry(client, current.familyStartedAt(), now), State.ACTIVE, null, null,
                            current.audiences(), current.familyStartedAt(), current.dpopJkt(), current.authTime());
                    if (context.storage().refreshTokens().rotate(current.hash(), now, SuccessorSeal.seal(candidate, presented), next)) {
                        return candidate;
                    }
                    // Another request rotated (or revoked) it between our read and our write: answer as it did.
                    current = context.storage().refreshTokens().findByHash(current.hash())
                            .orElseThrow(() -> OAuthException.invalidGrant("the refresh token is invalid"));
                }
                default -> throw new IllegalStateException("unknown state " + current.state());
            }
        }
        throw OAuthException.temporarilyUnavailable("the refresh token is being refreshed concurrently; try again", null);
    }

    /**
     * The successor of a token already rotated. Within the grace period, the sealed one (racing
     * refreshes). After it, the same one if it was never used: the answer to the first refresh may
     * have been lost (a stop, a broken connection), and a retry is not theft. Otherwise — the
     * successor itself was used, or cannot be read — the token was replayed: the family is revoked.
     */
    private static String successorWithinGrace(GrantContext context, RefreshTokenRecord record, String presented, Instant now) {
        boolean inGrace = record.rotatedAt() != null && !now.isAfter(record.rotatedAt().plus(context.policy().refreshReuseGrace()));
        Optional<String> successor = SuccessorSeal.unseal(record.sealedSuccessor(), presented);
        if (successor.isPresent() && (inGrace || neverUsed(context, successor.get(), now))) {
            return successor.get();
        }
        context.revokeFamily(record.familyId());
        throw OAuthException.invalidGrant("the refresh token was already used; its token family is revoked");
    }

    /** The lost-answer rule: the successor is still active (so nobody refreshed with it) and unexpired. */
    private static boolean neverUsed(GrantContext context, String successor, Instant now) {
        return context.storage().refreshTokens().findByHash(Hashes.sha256(successor))
                .filter(s -> s.state() == State.ACTIVE && !s.isExpired(now))
                .isPresent();
    }

    /**
     * A request that names a tenant (or any stored user claim) must name the one the token was
     * issued for; a tenant named for a token issued without one is refused too, so a refresh never
     * yields a token for another tenant than the login did.
     */
    private static void checkUserClaims(RefreshTokenRecord record, TokenRequest request) {
        for (Map.Entry<String, String> claim : record.claims().entrySet()) {
            String asked = request.parameter(claim.getKey());
            if (asked != null && !asked.equals(claim.getValue())) {
                throw OAuthException.invalidGrant("the refresh token was not issued for this " + claim.getKey());
            }
        }
        for (String tenantKey : List.of(StoreUserAuthenticator.TENANT_TYPE, StoreUserAuthenticator.TENANT_ID)) {
            if (request.parameter(tenantKey) != null && !record.claims().containsKey(tenantKey)) {
                throw OAuthException.invalidGrant("the refresh token was not issued for a tenant");
            }
        }
    }
}
