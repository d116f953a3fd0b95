package dev.oauthlet;

import dev.oauthlet.admin.Administration;
import dev.oauthlet.admin.DynamicRegistration;
import dev.oauthlet.audit.Actor;
import dev.oauthlet.audit.AuditTrail;
import dev.oauthlet.authorize.Authorizer;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.DpopMode;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.dpop.DpopException;
import dev.oauthlet.dpop.DpopProofVerifier;
import dev.oauthlet.protocol.DpopHeader;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.error.OutageLog;
import dev.oauthlet.grant.TokenIssuance;
import dev.oauthlet.grant.GrantHandler;
import dev.oauthlet.grant.RefreshTokenGrant;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.internal.server.ClientAuthenticator;
import dev.oauthlet.internal.server.Purger;
import dev.oauthlet.internal.server.TokenAdministration;
import dev.oauthlet.metrics.OauthletMetrics;
import dev.oauthlet.key.SigningKeys;
import dev.oauthlet.protocol.ClientAuthentication;
import dev.oauthlet.protocol.IntrospectionResponse;
import dev.oauthlet.protocol.TokenManagementRequest;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.StorageException;
import dev.oauthlet.token.AccessToken;
import dev.oauthlet.token.AccessTokenVerifier;
import dev.oauthlet.token.IdTokens;
import dev.oauthlet.user.StandardClaims;
import dev.oauthlet.user.UserInfo;
import dev.oauthlet.user.UserInfoSource;
import dev.oauthlet.token.Revocations;
import dev.oauthlet.token.TokenVerificationException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An OAuth 2.0 authorization server, without any HTTP: {@link #token(TokenRequest)} answers token
 * requests, {@link #revoke} and {@link #introspect} serve RFC 7009 and RFC 7662, {@link #verifier()}
 * checks access tokens, {@link #jwks()} and {@link #metadata} are
 * what the discovery endpoints serve. Build one with {@link #builder()}; it is thread-safe.
 * Close it to release the store.
 */
public final class Oauthlet implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Oauthlet.class);
    private static final long HEALTH_REUSE_NANOS = 1_000_000_000L;

    private final OauthletConfig config;
    private final Storage storage;
    private final Map<String, GrantHandler> grants;
    private final ClientAuthenticator clientAuthenticator;
    private final SigningKeys keys;
    private final AccessTokenVerifier verifier;
    private final TokenIssuance issuance;
    private final Authorizer authorizer;
    private final TokenAdministration administration;
    private final Clock clock;
    private final Purger purger;
    private final Discovery discovery;
    private final DpopProofVerifier dpop;
    private final OutageLog storeOutages;
    private final AuditTrail audit;
    private final OauthletMetrics metrics;
    private final UserInfoSource userInfoSource;
    private volatile HealthSample lastHealth;

    private record HealthSample(Health health, long at) {
    }

    /** Wired by {@link OauthletBuilder#build()}, which makes every collaborator. */
    Oauthlet(OauthletConfig config, Storage storage, Map<String, GrantHandler> grants, SigningKeys keys,
             AccessTokenVerifier verifier, TokenIssuance issuance, ClientAuthenticator clientAuthenticator, Authorizer authorizer,
             TokenAdministration administration, Discovery discovery, DpopProofVerifier dpop, Clock clock, Purger purger, OutageLog storeOutages,
             AuditTrail audit, OauthletMetrics metrics, UserInfoSource userInfoSource) {
        this.userInfoSource = userInfoSource;
        this.storeOutages = storeOutages;
        this.config = config;
        this.storage = storage;
        this.grants = Map.copyOf(grants);
        this.clientAuthenticator = clientAuthenticator;
        this.keys = keys;
        this.verifier = verifier;
        this.issuance = issuance;
        this.authorizer = authorizer;
        this.administration = administration;
        this.dpop = dpop;
        this.clock = clock;
        this.purger = purger;
        this.discovery = discovery;
        this.audit = audit;
        this.metrics = metrics;
    }

    public static OauthletBuilder builder() {
        return new OauthletBuilder();
    }

    /**
     * Answers a token request.
     *
     * @throws OAuthException for every refusal, with the RFC 6749 §5.2 error code; a store that
     *                        cannot be reached is {@code temporarily_unavailable}
     */
    public TokenResponse token(TokenRequest request) {
        long start = System.nanoTime();
        try {
            TokenResponse response = issue(request, start);
            if (RefreshTokenGrant.TYPE.equals(request.grantType()) && response.refreshToken() != null
                    && !response.refreshToken().equals(request.parameter("refresh_token"))) {
                metrics.refreshRotated();
            }
            return response;
        } catch (OAuthException e) {
            metrics.tokenRefused(request.grantType(), e.error(), System.nanoTime() - start);
            throw e;
        } catch (RuntimeException e) {
            metrics.tokenRefused(request.grantType(), ErrorCode.SERVER_ERROR, System.nanoTime() - start);
            throw e;
        }
    }

    /** The token for {@code request}; counted as issued here, where the authenticated client is known. */
    private TokenResponse issue(TokenRequest request, long start) {
        GrantHandler handler = grants.get(request.grantType());
        if (handler == null) {
            throw OAuthException.unsupportedGrantType("grant_type '" + OAuthException.echo(request.grantType()) + "' is not supported");
        }
        try {
            Optional<ClientRegistration> client = authenticateClient(handler, request);
            // The client a grant identified without authentication (a refresh token's), for the metrics.
            String[] identified = new String[1];
            TokenResponse response = client.isPresent()
                    ? handler.handle(admit(client.get(), request), client.get(), request)
                    : handler.handleUnauthenticated(request, c -> {
                        identified[0] = c.id();
                        return admit(c, request);
                    }).orElseThrow(() -> OAuthException.invalidClient("client authentication is required"));
            storeOutages.succeeded();
            metrics.tokenIssued(request.grantType(), client.map(ClientRegistration::id).orElse(identified[0]), System.nanoTime() - start);
            return response;
        } catch (StorageException e) {
            throw unavailable(e);
        }
    }

    /** The issuance for a client that may use the request's grant: bound to its DPoP key, if it proved one. */
    private TokenIssuance admit(ClientRegistration client, TokenRequest request) {
        if (!client.allowsGrant(request.grantType())) {
            throw OAuthException.unauthorizedClient("this client may not use grant_type " + OAuthException.echo(request.grantType()));
        }
        return issuance.boundTo(dpopBinding(client, request));
    }

    /**
     * The key this request's tokens are bound to (RFC 9449 §5): its DPoP proof's, once verified.
     * A client with {@code dpop: off} gets Bearer tokens and its header is ignored, as by a server
     * without DPoP; {@code required} refuses a request without a proof.
     */
    private String dpopBinding(ClientRegistration client, TokenRequest request) {
        if (client.dpop() == DpopMode.OFF) {
            return null;
        }
        DpopHeader header = request.dpop();
        if (header == null) {
            if (client.dpop() == DpopMode.REQUIRED) {
                throw OAuthException.invalidDpopProof("this client must send a DPoP proof");
            }
            return null;
        }
        try {
            return dpop.verify(header.proof(), header.method(), header.urls(), null).jkt();
        } catch (DpopException e) {
            throw e.useNonce() ? OAuthException.useDpopNonce(e.getMessage(), dpop.nonces().current())
                    : OAuthException.invalidDpopProof(e.getMessage());
        }
    }

    /** The nonce a client should put in its next DPoP proof ({@code DPoP-Nonce}), or {@code null} when none is asked for. */
    public String dpopNonce() {
        return dpop.nonces() == null ? null : dpop.nonces().current();
    }

    /** The client the request authenticates; empty when it carries no client authentication at all. */
    private Optional<ClientRegistration> authenticateClient(GrantHandler handler, TokenRequest request) {
        ClientAuthentication auth = request.clientAuthentication();
        if (auth instanceof ClientAuthentication.ExpiredBearer bearer) {
            if (!handler.acceptsAccessTokenAuthentication()) {
                throw OAuthException.invalidClient("an access token authenticates a client only to refresh; use the client's credentials");
            }
            return Optional.of(clientFromExpiredToken(bearer));
        }
        return clientAuthenticator.authenticate(auth, request.remoteAddress());
    }

    /**
     * An access token of the client, genuine but (perhaps) expired, authenticates it for APIs that
     * do so at refresh: its signature, issuer and type must verify; only expiry is forgiven, up to
     * {@code tokens.expired-token-max-age}; a revoked one authenticates nothing.
     */
    private ClientRegistration clientFromExpiredToken(ClientAuthentication.ExpiredBearer bearer) {
        AccessToken token;
        try {
            token = verifier.verifyAllowingExpiry(bearer.accessToken(), config.tokens().expiredTokenMaxAge());
        } catch (TokenVerificationException e) {
            throw OAuthException.invalidClient("the access token does not authenticate a client: " + e.getMessage());
        }
        if (bearer.clientId() != null && !bearer.clientId().equals(token.clientId())) {
            throw OAuthException.invalidClient("client_id does not match the access token's client");
        }
        if (isRevoked(token)) {
            throw OAuthException.invalidClient("the access token was revoked");
        }
        return storage.clients().findById(token.clientId())
                .filter(c -> c.tokens().expiredBearerAuthentication())
                .orElseThrow(() -> OAuthException.invalidClient("this client cannot authenticate with an access token"));
    }

    /**
     * Revokes a token (RFC 7009): an access token goes on the deny-list until it would have
     * expired, a refresh token takes its whole family with it. A token that is unknown, expired or
     * another client's is left alone and answered alike.
     *
     * @throws OAuthException {@code invalid_client} when the client does not authenticate
     */
    public void revoke(TokenManagementRequest request) {
        try {
            ClientRegistration client = authenticateForTokenManagement(request.clientAuthentication(), request.remoteAddress());
            administration.revoke(client, request.token(), request.tokenTypeHint());
            storeOutages.succeeded();
        } catch (StorageException e) {
            throw unavailable(e);
        }
    }

    /**
     * Introspects a token (RFC 7662) for a confidential client: {@code active: false} for an
     * unknown, expired or revoked token alike.
     *
     * @throws OAuthException {@code invalid_client} when the client does not authenticate or is public
     */
    public IntrospectionResponse introspect(TokenManagementRequest request) {
        try {
            ClientRegistration client = authenticateForTokenManagement(request.clientAuthentication(), request.remoteAddress());
            if (client.publicClient()) {
                throw OAuthException.invalidClient("a public client cannot introspect tokens");
            }
            IntrospectionResponse response = administration.introspect(client, request.token(), request.tokenTypeHint());
            storeOutages.succeeded();
            return response;
        } catch (StorageException e) {
            throw unavailable(e);
        }
    }

    /** A store failure, reported once to the outage log (not with a stack trace per request), as the client sees it. */
    private OAuthException unavailable(StorageException e) {
        storeOutages.failed(e);
        return e.toOAuthException();
    }

    /**
     * Where failures of the store are logged: one WARN when it becomes unreachable, one line per
     * 30 s while it stays so, one INFO when it is back. Servlets report what they meet here too.
     */
    public OutageLog storeOutages() {
        return storeOutages;
    }

    private ClientRegistration authenticateForTokenManagement(ClientAuthentication auth, String address) {
        if (auth instanceof ClientAuthentication.ExpiredBearer) {
            throw OAuthException.invalidClient("authenticate with the client's credentials, not an access token");
        }
        return clientAuthenticator.authenticate(auth, address)
                .orElseThrow(() -> OAuthException.invalidClient("client authentication is required"));
    }

    /**
     * {@code true} if {@code token}, or the grant it came from, was revoked (RFC 7009): a resource
     * server must refuse it though it verifies. Read from the store, so current at once.
     */
    public boolean isRevoked(AccessToken token) {
        try {
            return issuance.revocations().isRevokedNow(token);
        } catch (StorageException e) {
            storeOutages.failed(e);
            throw e;
        }
    }

    /**
     * The deny-list as resources check it: from memory, re-read from the store at most every
     * {@link Revocations#REFRESH}, so a revocation on any node is refused everywhere within that.
     */
    public Revocations revocations() {
        return issuance.revocations();
    }

    /**
     * The OpenID Connect userinfo answer (Core §5.3.2) for a verified access token: {@code sub}
     * and the claims of the user's {@code users[].userinfo} that the token's scopes release (§5.4).
     * The application's {@link UserInfoSource} is asked first, for users of its own
     * {@code UserAuthenticator} or {@code HostLogin}; a user neither knows gets {@code sub} alone.
     *
     * @throws OAuthException {@code insufficient_scope} for a token without {@code openid};
     *                        {@code temporarily_unavailable} when the source or the store fails
     */
    public Map<String, Object> userinfo(AccessToken token) {
        if (!IdTokens.requested(token.scopes())) {
            throw new OAuthException(dev.oauthlet.error.ErrorCode.INSUFFICIENT_SCOPE, "the token lacks scope openid");
        }
        Map<String, Object> answer = new java.util.LinkedHashMap<>();
        answer.put("sub", token.subject());
        Optional<UserInfo> fromSource;
        try {
            fromSource = userInfoSource == null ? Optional.empty() : userInfoSource.userinfo(token.subject());
        } catch (RuntimeException e) {
            LOG.error("the UserInfoSource {} failed for a userinfo request", userInfoSource.getClass().getName(), e);
            throw OAuthException.temporarilyUnavailable("the user's claims cannot be read right now", e);
        }
        if (fromSource.isPresent()) {
            answer.putAll(StandardClaims.released(fromSource.get().claims(), token.scopes()));
            return answer;
        }
        try {
            storage.users().findBySubject(token.subject())
                    .ifPresent(u -> answer.putAll(StandardClaims.released(u.userinfo(), token.scopes())));
            storeOutages.succeeded();
        } catch (StorageException e) {
            throw unavailable(e);
        }
        return answer;
    }

    /** Verifies access tokens issued by this server. */
    public AccessTokenVerifier verifier() {
        return verifier;
    }

    /** The authorization endpoint's logic (login, consent, codes), for the servlet that serves it. */
    public Authorizer authorizer() {
        return authorizer;
    }

    /** The signing keys: generated and stored, or read from {@code signing.key-file}. */
    public SigningKeys keys() {
        return keys;
    }

    /**
     * Rotates the signing key now: a new key signs from this call on; the old one keeps verifying,
     * and stays in the JWKS, until every token it signed has expired. With several nodes on one
     * store, the others pick the new key up on their next reload (at the latest when they meet its kid).
     *
     * @return the new key's kid
     * @throws UnsupportedOperationException when keys come from {@code signing.key-file}
     */
    public String rotateSigningKey() {
        return keys.rotate();
    }

    /**
     * How long caches may keep the JWKS ({@code Cache-Control: max-age}): five minutes, or half
     * the key overlap when tokens live so briefly that five minutes would not be well within it, or
     * half the time a scheduled key is published before it signs, so every cache has fetched the
     * new key before its first token.
     */
    public Duration jwksMaxAge() {
        return discovery.jwksMaxAge();
    }

    /**
     * Adds, changes and removes clients, users, secrets and keys in this server's store; each
     * change is an audit event naming {@code actor}. Changes take effect on this server at once,
     * and on other nodes of the same store within 15 seconds (keys; clients and users at once).
     */
    public Administration administration(Actor actor) {
        return new Administration(storage, config, grantTypes(), keys, new SecretHasher(), audit, actor, clock);
    }

    /**
     * Dynamic client registration (RFC 7591, RFC 7592) as {@code registration:} configures it, for
     * the servlet that serves {@code endpoints.registration}; empty when that section is absent.
     */
    public java.util.Optional<DynamicRegistration> registration() {
        if (config.registration() == null) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new DynamicRegistration(administration(Actor.REGISTRATION), storage.clients(), config.registration(),
                grantTypes(), config.issuer() + config.endpoints().registration(), audit, clock, storage.failureCounters()));
    }

    /**
     * Checks the store (one primary-key read) and the signing key. The answer is reused for one
     * second, so a health endpoint polled by many load balancers costs the store one read a second.
     */
    public Health health() {
        HealthSample last = lastHealth;
        long now = System.nanoTime();
        if (last != null && now - last.at() < HEALTH_REUSE_NANOS) {
            return last.health();
        }
        boolean store;
        try {
            storage.clients().findById("health-check");
            store = true;
        } catch (RuntimeException e) {
            LOG.warn("health: the store did not answer: {}", e.toString());
            store = false;
        }
        boolean key;
        try {
            key = keys.current() != null;
        } catch (RuntimeException e) {
            LOG.warn("health: no signing key: {}", e.toString());
            key = false;
        }
        Health h = new Health(store, key);
        lastHealth = new HealthSample(h, now);
        return h;
    }

    /**
     * Where this server counts and times what it does ({@link OauthletMetrics#NONE} unless the builder
     * was given metrics); a {@code BearerTokenFilter} with this server records its requests here too.
     */
    public OauthletMetrics metrics() {
        return metrics;
    }

    /** Where this server's audit events go: every listener found or given to the builder. */
    public AuditTrail audit() {
        return audit;
    }

    public OauthletConfig config() {
        return config;
    }

    public Storage storage() {
        return storage;
    }

    public Clock clock() {
        return clock;
    }

    /** The grant types this server answers. */
    public Set<String> grantTypes() {
        return new TreeSet<>(grants.keySet());
    }

    /**
     * The line a start logs: issuer, where the data lives, and the signing key ids, e.g.
     * {@code Oauthlet https://auth.example.com started: store H2 file /srv/oauthlet/data/oauthlet.mv.db, signing key kid1 (published: kid1, kid0)}.
     */
    public String startLine() {
        String published = keys.published().stream().map(k -> k.kid()).collect(java.util.stream.Collectors.joining(", "));
        return "Oauthlet " + issuer() + " started: store " + Storages.describe(config.storage()) + ", signing key "
                + keys.current().kid() + " (published: " + published + ")";
    }

    /** The issuer, {@code iss} of every token. */
    public String issuer() {
        return config.issuer();
    }

    /**
     * OpenID Connect ID tokens: issued by the code and refresh grants, read back from an
     * {@code id_token_hint}. Their keys are the access tokens' when {@code signing.algorithm} is RS256.
     */
    public IdTokens idTokens() {
        return issuance.idTokens();
    }

    /**
     * The JWK Set (RFC 7517) of the public keys that verify this server's tokens, the ID tokens' own
     * included; HMAC secrets are never published.
     */
    public String jwks() {
        return discovery.jwks();
    }

    /**
     * RFC 8414 metadata.
     *
     * @param endpoints extra members (endpoint URLs the servlet layer serves), added as given
     */
    public Map<String, Object> metadata(Map<String, Object> endpoints) {
        return discovery.metadata(endpoints);
    }

    @Override
    public void close() {
        // Stop purging first: a pass running into a closed pool would only log errors.
        purger.close();
        try {
            storage.close();
        } catch (RuntimeException e) {
            LOG.warn("closing the store failed", e);
        }
    }
}
