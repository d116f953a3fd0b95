package dev.oauthlet.grant;

import dev.oauthlet.audit.AuditEvent;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.RefreshRotation;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.internal.SuccessorSeal;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.spi.ClientStore;
import dev.oauthlet.spi.RefreshTokenRecord;
import dev.oauthlet.spi.RefreshTokenRecord.State;
import dev.oauthlet.spi.RefreshTokenStore;
import dev.oauthlet.user.UserAuthenticator;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

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

    /**
     * The parameters of RFC 6749 §6, with RFC 8707's resources.
     *
     * @param scope      {@code scope}, or {@code null} for all the grant's scopes
     * @param extensions every other parameter: a tenant named must be the token's; the customizers see them
     * @throws OAuthException {@code invalid_request} when the refresh token is missing
     */
    public record Request(String refreshToken, String scope, List<String> resources, Map<String, String> extensions) {

        public static Request of(TokenRequest request) {
            return new Request(request.requireParameter("refresh_token"), request.parameter("scope"), request.resources(),
                    request.extensionParameters("refresh_token"));
        }

        @Override
        public String toString() {
            return "RefreshTokenGrant.Request[scope=" + scope + ", resources=" + resources + "]";
        }
    }

    private final RefreshTokenStore refreshTokens;
    private final ClientStore clients;
    private final UserAuthenticator users;

    /**
     * @param clients where the client of a refresh without client authentication is found
     * @param users   which request parameters name a tenant ({@link UserAuthenticator#identityParameters()})
     */
    public RefreshTokenGrant(RefreshTokenStore refreshTokens, ClientStore clients, UserAuthenticator users) {
        this.refreshTokens = Objects.requireNonNull(refreshTokens, "refreshTokens");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.users = Objects.requireNonNull(users, "users");
    }

    @Override
    public String grantType() {
        return TYPE;
    }

    @Override
    public boolean acceptsAccessTokenAuthentication() {
        return true;
    }

    @Override
    public Optional<TokenResponse> handleUnauthenticated(TokenRequest tokenRequest, Function<ClientRegistration, TokenIssuance> admit) {
        String token = tokenRequest.parameter("refresh_token");
        if (token == null) {
            return Optional.empty();
        }
        // One read of the token: it names the client, and it is the token refreshed.
        Optional<RefreshTokenRecord> record = refreshTokens.findByHash(Hashes.sha256(token));
        Optional<ClientRegistration> client = record.flatMap(r -> clients.findById(r.clientId()))
                .filter(c -> !c.publicClient() && c.tokens().refreshWithoutAuthentication());
        if (client.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(refresh(admit.apply(client.get()), client.get(), Request.of(tokenRequest), record.get()));
    }

    @Override
    public TokenResponse handle(TokenIssuance issuance, ClientRegistration client, TokenRequest tokenRequest) {
        Request request = Request.of(tokenRequest);
        RefreshTokenRecord record = refreshTokens.findByHash(Hashes.sha256(request.refreshToken()))
                // Another client's token is answered like an unknown one: nothing tells the caller it exists.
                .filter(r -> r.clientId().equals(client.id()))
                .orElseThrow(() -> OAuthException.invalidGrant("the refresh token is invalid"));
        return refresh(issuance, client, request, record);
    }

    private TokenResponse refresh(TokenIssuance issuance, ClientRegistration client, Request request, RefreshTokenRecord record) {
        Instant now = issuance.clock().instant();
        if (record.isExpired(now)) {
            throw OAuthException.invalidGrant("the refresh token has expired");
        }
        if (record.state() == State.REVOKED) {
            throw OAuthException.invalidGrant("the refresh token was revoked");
        }
        // RFC 9449 §5: a bound refresh token works only with a proof of the same key.
        if (record.dpopJkt() != null && !record.dpopJkt().equals(issuance.dpopJkt())) {
            throw OAuthException.invalidGrant(issuance.dpopJkt() == null ? "the refresh token is DPoP-bound; send a DPoP proof of its key"
                    : "the refresh token is bound to another DPoP key");
        }
        // RFC 6749 §6: a refresh may narrow the scope, never widen it.
        Set<String> scopes = issuance.scopes(request.scope(), record.scopes(), record.scopes());
        // RFC 8707 §2.2 likewise: the resources of the grant, or fewer of them.
        List<String> audiences = TokenIssuance.narrowAudiences(client, record.audiences(), request.resources());
        checkUserClaims(record, request.extensions(), users.identityParameters());

        String successor = record.state() == State.ACTIVE && issuance.rotation(client) == RefreshRotation.KEEP
                ? null
                : successor(issuance, client, record, request.refreshToken(), now);
        var access = issuance.accessToken(client, TYPE, record.subject(), scopes, audiences, record.claims(), request.extensions(),
                Hashes.randomToken(16), record.familyId());
        // OpenID Connect Core §12.2: a fresh ID token naming the original sign-in, without a nonce. A family with no
        // recorded sign-in (the password grant's, or one stored before OpenID Connect) gets none.
        String idToken = record.authTime() == null ? null
                : issuance.idToken(client, record.subject(), scopes, record.authTime(), null, record.signIn(), access);
        return issuance.response(access, successor, idToken);
    }

    /**
     * The token that replaces {@code record}: a new one if this request rotates it first, else the
     * one the first request stored, sealed under the presented token, if within the grace period.
     */
    private String successor(TokenIssuance issuance, ClientRegistration client, RefreshTokenRecord record,
                                    String presented, Instant now) {
        RefreshTokenRecord current = record;
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            switch (current.state()) {
                case REVOKED -> throw OAuthException.invalidGrant("the refresh token was revoked");
                case ROTATED -> {
                    return successorWithinGrace(issuance, current, presented, now);
                }
                case ACTIVE -> {
                    String candidate = Hashes.randomToken(TokenIssuance.REFRESH_TOKEN_BYTES);
                    RefreshTokenRecord next = new RefreshTokenRecord(Hashes.sha256(candidate), current.familyId(), client.id(),
                            current.subject(), current.scopes(), current.claims(), now,
                            issuance.refreshTokenExpiry(client, current.familyStartedAt(), now), State.ACTIVE, null, null,
                            current.audiences(), current.familyStartedAt(), current.dpopJkt(), current.authTime(), current.signIn());
                    if (refreshTokens.rotate(current.hash(), now, SuccessorSeal.seal(candidate, presented), next)) {
                        return candidate;
                    }
                    // Another request rotated (or revoked) it between our read and our write: answer as it did.
                    current = refreshTokens.findByHash(current.hash())
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
    private String successorWithinGrace(TokenIssuance issuance, RefreshTokenRecord record, String presented, Instant now) {
        boolean inGrace = record.rotatedAt() != null && !now.isAfter(record.rotatedAt().plus(issuance.policy().refreshReuseGrace()));
        Optional<String> successor = SuccessorSeal.unseal(record.sealedSuccessor(), presented);
        if (successor.isPresent() && (inGrace || neverUsed(successor.get(), now))) {
            return successor.get();
        }
        int revoked = issuance.revokeFamily(record.familyId());
        issuance.audit().record(AuditEvent.request(AuditEvent.Type.REFRESH_REUSE_DETECTED, now, record.clientId(), record.subject(), null,
                Map.of("family", record.familyId(), "refresh_tokens_revoked", Integer.toString(revoked))));
        throw OAuthException.invalidGrant("the refresh token was already used; its token family is revoked");
    }

    /** The lost-answer rule: the successor is still active (so nobody refreshed with it) and unexpired. */
    private boolean neverUsed(String successor, Instant now) {
        return refreshTokens.findByHash(Hashes.sha256(successor))
                .filter(s -> s.state() == State.ACTIVE && !s.isExpired(now))
                .isPresent();
    }

    /**
     * A request that names a tenant (or any stored user claim) must name the one the token was
     * issued for; a tenant named for a token issued without one is refused too, so a refresh never
     * yields a token for another tenant than the login did.
     */
    private static void checkUserClaims(RefreshTokenRecord record, Map<String, String> parameters, Set<String> identityParameters) {
        for (Map.Entry<String, String> claim : record.claims().entrySet()) {
            String asked = parameters.get(claim.getKey());
            if (asked != null && !asked.equals(claim.getValue())) {
                throw OAuthException.invalidGrant("the refresh token was not issued for this " + claim.getKey());
            }
        }
        for (String tenantKey : identityParameters) {
            if (parameters.get(tenantKey) != null && !record.claims().containsKey(tenantKey)) {
                throw OAuthException.invalidGrant("the refresh token was not issued for a tenant");
            }
        }
    }
}
