package dev.oauthlet.grant;

import dev.oauthlet.TokenRequest;
import dev.oauthlet.TokenResponse;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.RefreshRotation;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.internal.Hashes;
import dev.oauthlet.internal.SuccessorSeal;
import dev.oauthlet.spi.RefreshTokenRecord;
import dev.oauthlet.spi.RefreshTokenRecord.State;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * RFC 6749 §6. With {@code rotate}, every refresh of one token within the reuse grace period gets
 * the same successor (so racing processes all end up holding a working token); a presentation
 * after the grace period is treated as theft and revokes the whole family (RFC 9700 §4.14.2).
 * With {@code keep}, the refresh token stays as it is.
 */
public final class RefreshTokenGrant implements GrantHandler {

    public static final String TYPE = "refresh_token";

    @Override
    public String grantType() {
        return TYPE;
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
                .filter(r -> r.clientId().equals(client.id()))
                .orElseThrow(() -> OAuthException.invalidGrant("the refresh token is invalid"));
        if (record.isExpired(now)) {
            throw OAuthException.invalidGrant("the refresh token has expired");
        }
        if (record.state() == State.REVOKED) {
            throw OAuthException.invalidGrant("the refresh token was revoked");
        }
        Set<String> scopes = GrantContext.resolveScopes(request.parameter("scope"), record.scopes(), record.scopes());
        checkUserClaims(record, request);

        String successor = null;
        if (record.state() == State.ACTIVE && context.rotation(client) == RefreshRotation.ROTATE) {
            String candidate = Hashes.randomToken(GrantContext.REFRESH_TOKEN_BYTES);
            RefreshTokenRecord next = new RefreshTokenRecord(Hashes.sha256(candidate), record.familyId(), client.id(),
                    record.subject(), record.scopes(), record.claims(), now, now.plus(context.refreshTokenTtl(client)),
                    State.ACTIVE, null, null);
            if (context.storage().refreshTokens().rotate(hash, now, SuccessorSeal.seal(candidate, presented), next)) {
                successor = candidate;
            } else {
                // Another request rotated it between our read and our write: answer as it did.
                record = context.storage().refreshTokens().findByHash(hash)
                        .orElseThrow(() -> OAuthException.invalidGrant("the refresh token is invalid"));
            }
        }
        if (successor == null && record.state() == State.ROTATED) {
            successor = successorWithinGrace(context, record, presented, now);
        } else if (successor == null && record.state() != State.ACTIVE) {
            throw OAuthException.invalidGrant("the refresh token was revoked");
        }
        var access = context.accessToken(client, TYPE, record.subject(), scopes, record.claims(), request.parameters());
        return context.response(access, successor);
    }

    private static String successorWithinGrace(GrantContext context, RefreshTokenRecord record, String presented, Instant now) {
        boolean inGrace = record.rotatedAt() != null && !now.isAfter(record.rotatedAt().plus(context.policy().refreshReuseGrace()));
        Optional<String> successor = inGrace ? SuccessorSeal.unseal(record.sealedSuccessor(), presented) : Optional.empty();
        if (successor.isEmpty()) {
            context.storage().refreshTokens().revokeFamily(record.familyId());
            throw OAuthException.invalidGrant("the refresh token was already used; its token family is revoked");
        }
        return successor.get();
    }

    /** A request that names a tenant (or any stored user claim) must name the one the token was issued for. */
    private static void checkUserClaims(RefreshTokenRecord record, TokenRequest request) {
        for (Map.Entry<String, String> claim : record.claims().entrySet()) {
            String asked = request.parameter(claim.getKey());
            if (asked != null && !asked.equals(claim.getValue())) {
                throw OAuthException.invalidGrant("the refresh token was not issued for this " + claim.getKey());
            }
        }
    }
}
