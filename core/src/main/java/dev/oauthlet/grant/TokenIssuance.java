package dev.oauthlet.grant;

import dev.oauthlet.audit.AuditTrail;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.RefreshRotation;
import dev.oauthlet.config.TokensConfig;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.protocol.Scopes;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.spi.RefreshTokenRecord;
import dev.oauthlet.spi.RefreshTokenStore;
import dev.oauthlet.token.AccessToken;
import dev.oauthlet.token.AccessTokenIssuer;
import dev.oauthlet.token.IdTokens;
import dev.oauthlet.user.SignInContext;
import dev.oauthlet.protocol.ResourceIndicators;
import dev.oauthlet.token.Revocations;
import dev.oauthlet.token.TokenCustomizer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issuing tokens, one class for every grant: the lifetimes and scopes a client gets, access tokens
 * signed with every customizer run, refresh tokens stored in their family, revocation of a family,
 * and the response. A grant receives its own collaborators (stores, the user authenticator) through
 * its constructor; what it shares with the others is this.
 */
public final class TokenIssuance {

    private static final Logger LOG = LoggerFactory.getLogger(TokenIssuance.class);

    /** Refresh tokens carry 256 bits of entropy. */
    static final int REFRESH_TOKEN_BYTES = 32;

    private final String issuer;
    private final TokensConfig policy;
    private final RefreshTokenStore refreshTokens;
    private final AccessTokenIssuer signer;
    private final List<TokenCustomizer> customizers;
    private final Revocations revocations;
    private final Duration familyDenyFor;
    private final Clock clock;
    private final String dpopJkt;
    private final AuditTrail audit;
    private final IdTokens idTokens;

    /**
     * @param revocations   the deny-list, shared with the server's resources
     * @param familyDenyFor how long a revoked family stays on the deny-list: the longest access-token lifetime plus the clock skew
     * @param audit         where grants report refresh-token reuse and code replay
     */
    public TokenIssuance(String issuer, TokensConfig policy, RefreshTokenStore refreshTokens, AccessTokenIssuer signer,
                         List<TokenCustomizer> customizers, Revocations revocations, Duration familyDenyFor, Clock clock,
                         AuditTrail audit) {
        this(issuer, policy, refreshTokens, signer, customizers, revocations, familyDenyFor, clock, audit, null, null);
    }

    private TokenIssuance(String issuer, TokensConfig policy, RefreshTokenStore refreshTokens, AccessTokenIssuer signer,
                          List<TokenCustomizer> customizers, Revocations revocations, Duration familyDenyFor, Clock clock,
                          AuditTrail audit, String dpopJkt, IdTokens idTokens) {
        this.audit = audit;
        this.idTokens = idTokens;
        this.issuer = issuer;
        this.policy = policy;
        this.refreshTokens = refreshTokens;
        this.signer = signer;
        this.customizers = List.copyOf(customizers);
        this.revocations = revocations;
        this.familyDenyFor = familyDenyFor;
        this.clock = clock;
        this.dpopJkt = dpopJkt;
    }

    /** This context issuing OpenID Connect ID tokens to grants whose scope includes {@code openid}. */
    public TokenIssuance withIdTokens(IdTokens tokens) {
        return new TokenIssuance(issuer, policy, refreshTokens, signer, customizers, revocations, familyDenyFor, clock, audit, dpopJkt,
                tokens);
    }

    /**
     * This context for one request whose DPoP proof was verified: the access tokens it mints are
     * bound to the key ({@code cnf.jkt}, {@code token_type DPoP}, RFC 9449 §5), and so are the
     * refresh tokens of public clients (§5: theirs have no other binding). {@code null}: Bearer tokens.
     */
    public TokenIssuance boundTo(String jkt) {
        return jkt == null ? this : new TokenIssuance(issuer, policy, refreshTokens, signer, customizers, revocations, familyDenyFor,
                clock, audit, jkt, idTokens);
    }

    /** The server's ID tokens, or {@code null} when this issuance makes none. */
    public IdTokens idTokens() {
        return idTokens;
    }

    /** The key thumbprint this request's tokens are bound to, or {@code null}. */
    public String dpopJkt() {
        return dpopJkt;
    }

    /** Where grants report security events. */
    public AuditTrail audit() {
        return audit;
    }

    public TokensConfig policy() {
        return policy;
    }

    public Clock clock() {
        return clock;
    }

    public Duration accessTokenTtl(ClientRegistration client) {
        Duration d = client.tokens().accessTokenTtl();
        return d != null ? d : policy.accessTokenTtl();
    }

    public Duration refreshTokenTtl(ClientRegistration client) {
        Duration d = client.tokens().refreshTokenTtl();
        return d != null ? d : policy.refreshTokenTtl();
    }

    /**
     * When a refresh token issued {@code now} in a family that started at {@code familyStartedAt}
     * expires: after its lifetime, but never past the family's absolute lifetime
     * ({@code tokens.refresh-token-max-lifetime}), so a family refreshed forever still ends.
     */
    public Instant refreshTokenExpiry(ClientRegistration client, Instant familyStartedAt, Instant now) {
        Instant own = now.plus(refreshTokenTtl(client));
        Instant familyEnd = familyStartedAt.plus(policy.refreshTokenMaxLifetime());
        return own.isBefore(familyEnd) ? own : familyEnd;
    }

    public RefreshRotation rotation(ClientRegistration client) {
        RefreshRotation r = client.tokens().refreshRotation();
        return r != null ? r : policy.refreshRotation();
    }

    /**
     * The scopes a request gets: its {@code scope} if every one is allowed, the client's default
     * scopes if it asked for none. The result keeps the order of {@code allowed}, the order a
     * response prints them in.
     *
     * @throws OAuthException {@code invalid_scope} naming the first scope outside {@code allowed}
     */
    public static Set<String> resolveScopes(String requested, Set<String> allowed, Set<String> defaults) {
        return resolve(Scopes.parse(requested), allowed, defaults);
    }

    /** {@link #resolveScopes}, reading {@code requested} the way {@code tokens.scope-separator} says. */
    public Set<String> scopes(String requested, Set<String> allowed, Set<String> defaults) {
        return resolve(Scopes.parse(requested, policy.commaSeparatedScopes()), allowed, defaults);
    }

    private static Set<String> resolve(Set<String> asked, Set<String> allowed, Set<String> defaults) {
        if (asked.isEmpty()) {
            return defaults;
        }
        for (String s : asked) {
            if (!allowed.contains(s)) {
                throw OAuthException.invalidScope("scope '" + OAuthException.echo(s) + "' is not allowed for this client");
            }
        }
        Set<String> inOrder = new LinkedHashSet<>();
        for (String s : allowed) {
            if (asked.contains(s)) {
                inOrder.add(s);
            }
        }
        return Scopes.ordered(inOrder);
    }

    /**
     * The audiences a request for a new grant gets (RFC 8707): the client's default audience when
     * it names no {@code resource}, else the resources named, each among the client's {@code audiences}.
     *
     * @throws OAuthException {@code invalid_target}
     */
    public static List<String> audiences(ClientRegistration client, List<String> resources) {
        return ResourceIndicators.select(resources, client.audiences(), List.of(client.audience()));
    }

    /**
     * The audiences a request on an existing grant (a code, a refresh token) gets: all the grant's
     * when it names no {@code resource}, else those named, each among the grant's. It narrows, never widens.
     *
     * @param granted the grant's audiences; empty for a grant stored before resources were recorded: the client's default
     * @throws OAuthException {@code invalid_target}
     */
    public static List<String> narrowAudiences(ClientRegistration client, List<String> granted, List<String> resources) {
        List<String> grant = granted.isEmpty() ? List.of(client.audience()) : granted;
        return ResourceIndicators.select(resources, grant, grant);
    }

    /** Signs an access token for {@code subject} and the client's default audience, running every customizer. */
    public SignedAccessToken accessToken(ClientRegistration client, String grantType, String subject, Set<String> scopes,
                                         Map<String, String> userClaims, Map<String, String> parameters) {
        return accessToken(client, grantType, subject, scopes, List.of(client.audience()), userClaims, parameters,
                Hashes.randomToken(16));
    }

    /** Signs an access token for {@code subject} and {@code audiences}, running every customizer. */
    public SignedAccessToken accessToken(ClientRegistration client, String grantType, String subject, Set<String> scopes,
                                         List<String> audiences, Map<String, String> userClaims, Map<String, String> parameters) {
        return accessToken(client, grantType, subject, scopes, audiences, userClaims, parameters, Hashes.randomToken(16));
    }

    /** As above with a given {@code jti}, for grants that must find the token again (a reused code revokes it). */
    public SignedAccessToken accessToken(ClientRegistration client, String grantType, String subject, Set<String> scopes,
                                         List<String> audiences, Map<String, String> userClaims, Map<String, String> parameters,
                                         String jti) {
        return accessToken(client, grantType, subject, scopes, audiences, userClaims, parameters, jti, null);
    }

    /**
     * As above for a token of the refresh-token family {@code familyId} ({@code null}: none): it
     * carries the family's {@value Revocations#FAMILY_CLAIM} claim, so revoking the family revokes it too.
     */
    public SignedAccessToken accessToken(ClientRegistration client, String grantType, String subject, Set<String> scopes,
                                         List<String> audiences, Map<String, String> userClaims, Map<String, String> parameters,
                                         String jti, String familyId) {
        Instant now = clock.instant();
        Map<String, Object> claims = new HashMap<>(userClaims);
        TokenCustomizer.Context ctx = new TokenCustomizer.Context(client, grantType, subject, userClaims, parameters);
        for (TokenCustomizer c : customizers) {
            c.customize(ctx, claims);
        }
        for (String registered : AccessToken.REGISTERED_CLAIMS) {
            if (claims.remove(registered) != null) {
                // The server's own claims (sub, exp, scope, ...) are not a customizer's to change.
                LOG.warn("ignored claim '{}' set by a user or customizer: the server sets it itself", registered);
            }
        }
        if (claims.remove(Revocations.FAMILY_CLAIM) != null) {
            LOG.warn("ignored claim '{}' set by a user or customizer: the server sets it itself", Revocations.FAMILY_CLAIM);
        }
        if (familyId != null) {
            claims.put(Revocations.FAMILY_CLAIM, Revocations.familyClaim(familyId));
        }
        if (claims.remove(AccessToken.CNF) != null) {
            // A made-up binding would let a resource server accept the token from whoever holds that key.
            LOG.warn("ignored claim 'cnf' set by a user or customizer: only a verified DPoP proof binds a token");
        }
        if (dpopJkt != null) {
            claims.put(AccessToken.CNF, Map.of("jkt", dpopJkt));
        }
        Duration ttl = accessTokenTtl(client);
        AccessToken token = new AccessToken(issuer, subject, AccessToken.joinAudiences(audiences), client.id(), scopes, jti, now,
                now.plus(ttl), claims);
        return new SignedAccessToken(signer.sign(token), token);
    }

    /**
     * Stores a new refresh token of a new family and returns it.
     *
     * @param audiences the grant's audiences, which its refreshes may narrow
     */
    public String newRefreshToken(ClientRegistration client, String subject, Set<String> scopes, List<String> audiences,
                                  Map<String, String> userClaims) {
        return newRefreshToken(client, subject, scopes, audiences, userClaims, newFamilyId());
    }

    /** A new family id, for a grant about to issue an access token and the first refresh token of the family. */
    public static String newFamilyId() {
        return Hashes.randomToken(16);
    }

    /**
     * Revokes a whole grant: every refresh token of the family and every unexpired access token
     * issued from it (RFC 7009 §2.1, RFC 6749 §4.1.2, RFC 9700 §4.14.2). Access tokens are refused
     * by introspection at once and by resources within {@link Revocations#REFRESH}.
     *
     * @return how many refresh tokens were revoked
     */
    public int revokeFamily(String familyId) {
        // Access tokens first: a refresh racing this one may mint one more, which the entry already covers.
        revocations.revokeFamily(familyId, clock.instant().plus(familyDenyFor));
        return refreshTokens.revokeFamily(familyId);
    }

    /** The deny-list, for grants that revoke single access tokens. */
    public Revocations revocations() {
        return revocations;
    }

    /** As above with a given family id, for grants that must revoke the family later (a reused code). */
    public String newRefreshToken(ClientRegistration client, String subject, Set<String> scopes, List<String> audiences,
                                  Map<String, String> userClaims, String familyId) {
        return newRefreshToken(client, subject, scopes, audiences, userClaims, familyId, null);
    }

    /** As above for a family whose user signed in at {@code authTime} (OpenID Connect; {@code null}: not recorded). */
    public String newRefreshToken(ClientRegistration client, String subject, Set<String> scopes, List<String> audiences,
                                  Map<String, String> userClaims, String familyId, Instant authTime) {
        return newRefreshToken(client, subject, scopes, audiences, userClaims, familyId, authTime, null);
    }

    /** As above, the user having signed in as {@code signIn} says ({@code acr}, {@code amr}; {@code null}: unknown). */
    public String newRefreshToken(ClientRegistration client, String subject, Set<String> scopes, List<String> audiences,
                                  Map<String, String> userClaims, String familyId, Instant authTime, SignInContext signIn) {
        String token = Hashes.randomToken(REFRESH_TOKEN_BYTES);
        Instant now = clock.instant();
        // The client's default alone is stored as none, as rows written before resources existed are.
        List<String> stored = audiences.equals(List.of(client.audience())) ? List.of() : audiences;
        refreshTokens.save(new RefreshTokenRecord(Hashes.sha256(token), familyId, client.id(), subject,
                scopes, userClaims, now, refreshTokenExpiry(client, now, now), RefreshTokenRecord.State.ACTIVE, null, null, stored,
                now, refreshTokenBinding(client), authTime, signIn));
        return token;
    }

    /**
     * The DPoP key a refresh token issued now is bound to: a public client's, which has no
     * authentication to tie it; a confidential client's refresh tokens are bound by its
     * authentication (RFC 9449 §5).
     */
    public String refreshTokenBinding(ClientRegistration client) {
        return client.publicClient() ? dpopJkt : null;
    }

    /**
     * A token response: the access token, and the refresh token when there is one. {@code token_type}
     * and the scope separator are spelled as {@code tokens:} says; scopes print in the token's order.
     */
    public TokenResponse response(SignedAccessToken access, String refreshToken) {
        return response(access, refreshToken, null);
    }

    /**
     * The ID token of an OpenID Connect grant (its {@code scopes} include {@code openid}), issued
     * with {@code access}; {@code null} for other grants, or when this server issues none.
     *
     * @param authTime when the user signed in; {@code null} (a grant recorded before OpenID Connect) takes the access token's issue time
     * @param nonce    the authorization request's {@code nonce}; {@code null} for none, and on every refresh (Core §12.2)
     * @param signIn   how the user signed in, for {@code acr} and {@code amr}; {@code null}: unknown
     */
    public String idToken(ClientRegistration client, String subject, Set<String> scopes, Instant authTime, String nonce,
                          SignInContext signIn, SignedAccessToken access) {
        if (idTokens == null || !IdTokens.requested(scopes)) {
            return null;
        }
        Instant signedIn = authTime != null ? authTime : access.token().issuedAt();
        return idTokens.sign(new IdTokens.Request(client.id(), subject, signedIn, nonce, access.value(), accessTokenTtl(client),
                signIn));
    }

    /** As {@link #response(SignedAccessToken, String)}, with an ID token ({@code null}: none). */
    public TokenResponse response(SignedAccessToken access, String refreshToken, String idToken) {
        long expiresIn = Duration.between(access.token().issuedAt(), access.token().expiresAt()).getSeconds();
        Set<String> scopes = access.token().scopes();
        String scope = scopes.isEmpty() ? null : Scopes.format(scopes, policy.scopeSeparator());
        String type = access.token().dpopJkt() != null ? "DPoP" : policy.tokenType();
        return new TokenResponse(access.value(), type, expiresIn, refreshToken, scope, idToken);
    }

    /** A signed access token and what it says. */
    public record SignedAccessToken(String value, AccessToken token) {
    }
}
