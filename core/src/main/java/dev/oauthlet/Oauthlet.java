package dev.oauthlet;

import dev.oauthlet.admin.Administration;
import dev.oauthlet.audit.Actor;
import dev.oauthlet.audit.AuditTrail;
import dev.oauthlet.authorize.Authorizer;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.DpopMode;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.config.TokenPolicy;
import dev.oauthlet.dpop.DpopException;
import dev.oauthlet.dpop.DpopNonces;
import dev.oauthlet.dpop.DpopProofVerifier;
import dev.oauthlet.internal.server.ClientAssertions;
import dev.oauthlet.key.RemoteKeyResolver;
import dev.oauthlet.protocol.DpopHeader;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.error.OutageLog;
import dev.oauthlet.grant.AuthorizationCodeGrant;
import dev.oauthlet.grant.GrantContext;
import dev.oauthlet.grant.GrantHandler;
import dev.oauthlet.grant.RefreshTokenGrant;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.internal.server.ClientAuthenticator;
import dev.oauthlet.internal.server.LoginThrottle;
import dev.oauthlet.internal.server.Purger;
import dev.oauthlet.internal.server.SecretCheckGate;
import dev.oauthlet.internal.server.TokenAdministration;
import dev.oauthlet.key.SigningKey;
import dev.oauthlet.metrics.OauthletMetrics;
import dev.oauthlet.key.SigningKeys;
import dev.oauthlet.key.VerificationKey;
import dev.oauthlet.protocol.ClientAuthentication;
import dev.oauthlet.protocol.IntrospectionResponse;
import dev.oauthlet.protocol.Pkce;
import dev.oauthlet.protocol.TokenManagementRequest;
import dev.oauthlet.protocol.TokenRequest;
import dev.oauthlet.protocol.TokenResponse;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.StorageException;
import dev.oauthlet.token.AccessToken;
import dev.oauthlet.token.AccessTokenVerifier;
import dev.oauthlet.token.Revocations;
import dev.oauthlet.token.TokenVerificationException;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import java.security.PublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    private final GrantContext context;
    private final Authorizer authorizer;
    private final TokenAdministration administration;
    private final Clock clock;
    private final Purger purger;
    private final DpopProofVerifier dpop;
    private final OutageLog storeOutages;
    private final AuditTrail audit;
    private final OauthletMetrics metrics;
    private volatile HealthSample lastHealth;

    private record HealthSample(Health health, long at) {
    }

    Oauthlet(OauthletConfig config, Storage storage, Map<String, GrantHandler> grants, SigningKeys keys,
             AccessTokenVerifier verifier, GrantContext context, SecretCheckGate secretChecks, Clock clock, Purger purger,
             OutageLog storeOutages, AuditTrail audit, OauthletMetrics metrics) {
        this.storeOutages = storeOutages;
        this.config = config;
        this.storage = storage;
        this.grants = Map.copyOf(grants);
        this.clientAuthenticator = new ClientAuthenticator(storage.clients(),
                LoginThrottle.forClients(storage.failureCounters(), config.authorization(), clock), secretChecks, clock,
                clientAssertions(config, storage, clock));
        TokenPolicy.Proofs proofs = config.tokens().proofs();
        this.dpop = new DpopProofVerifier(proofs.dpopProofMaxAge(), config.tokens().clockSkew(),
                (key, until) -> storage.usedJtis().markUsed(key, until, clock.instant()),
                proofs.dpopNonce() ? new DpopNonces(() -> keys.current().signingKey().getEncoded(), DPOP_NONCE_PERIOD, clock) : null,
                clock);
        this.keys = keys;
        this.verifier = verifier;
        this.context = context;
        this.authorizer = new Authorizer(config, storage, context.users(), keys, clock);
        this.administration = new TokenAdministration(storage, verifier, config.tokens(), config::introspectAudiences,
                context.revocations(), context::revokeFamily, clock);
        this.clock = clock;
        this.purger = purger;
        this.audit = audit;
        this.metrics = metrics;
    }

    /** How long a DPoP nonce is current; it is accepted for one period more. */
    static final Duration DPOP_NONCE_PERIOD = Duration.ofMinutes(5);

    /**
     * JWT client authentication: the issuer as {@code aud}, the first token endpoint as the legacy one,
     * {@code client_secret_jwt} secrets from the configuration only (no store keeps them).
     */
    private static ClientAssertions clientAssertions(OauthletConfig config, Storage storage, Clock clock) {
        Map<String, String> shared = new java.util.HashMap<>();
        for (ClientRegistration c : config.clients()) {
            if (c.keys().sharedSecret() != null) {
                shared.put(c.id(), c.keys().sharedSecret());
            }
        }
        String tokenEndpoint = config.endpoints().token().isEmpty() ? null : config.issuer() + config.endpoints().token().get(0).path();
        return new ClientAssertions(config.issuer(), tokenEndpoint, config.tokens().proofs().clientAssertionLegacyAudience(),
                storage.usedJtis(), id -> java.util.Optional.ofNullable(shared.get(id)), RemoteKeyResolver.Settings.defaults(),
                config.tokens().clockSkew(), clock);
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
            ClientRegistration client = authenticateClient(handler, request);
            if (!client.allowsGrant(request.grantType())) {
                throw OAuthException.unauthorizedClient("this client may not use grant_type " + OAuthException.echo(request.grantType()));
            }
            TokenResponse response = handler.handle(context.boundTo(dpopBinding(client, request)), client, request);
            storeOutages.succeeded();
            metrics.tokenIssued(request.grantType(), client.id(), System.nanoTime() - start);
            return response;
        } catch (StorageException e) {
            throw unavailable(e);
        }
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

    private ClientRegistration authenticateClient(GrantHandler handler, TokenRequest request) {
        ClientAuthentication auth = request.clientAuthentication();
        if (auth instanceof ClientAuthentication.ExpiredBearer bearer) {
            if (!handler.acceptsAccessTokenAuthentication()) {
                throw OAuthException.invalidClient("an access token authenticates a client only to refresh; use the client's credentials");
            }
            return clientFromExpiredToken(bearer);
        }
        return clientAuthenticator.authenticate(auth, request.remoteAddress())
                .or(() -> handler.identifyUnauthenticatedClient(context, request))
                .orElseThrow(() -> OAuthException.invalidClient("client authentication is required"));
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
        return OAuthException.temporarilyUnavailable("the service is temporarily unavailable; try again shortly", e);
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
            return context.revocations().isRevokedNow(token);
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
        return context.revocations();
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
        Duration max = Duration.ofMinutes(5);
        for (Duration bound : List.of(keys.overlap().dividedBy(2), keys.publicationLead().dividedBy(2))) {
            if (!bound.isZero() && bound.compareTo(max) < 0) {
                max = bound;
            }
        }
        return max;
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

    /** The JWK Set (RFC 7517) of the public keys that verify this server's tokens; HMAC secrets are never published. */
    public String jwks() {
        List<Object> list = new ArrayList<>();
        for (VerificationKey k : keys.published()) {
            if (!(k.key() instanceof PublicKey publicKey)) {
                continue;
            }
            PublicJwk<?> jwk = Jwks.builder().key(publicKey).id(k.kid()).algorithm(k.algorithm().name()).publicKeyUse("sig").build();
            list.add(new LinkedHashMap<>(jwk));
        }
        return dev.oauthlet.protocol.Json.write(Map.of("keys", list));
    }

    /**
     * RFC 8414 metadata.
     *
     * @param endpoints extra members (endpoint URLs the servlet layer serves), added as given
     */
    public Map<String, Object> metadata(Map<String, Object> endpoints) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("issuer", config.issuer());
        m.putAll(endpoints);
        m.put("grant_types_supported", List.copyOf(grantTypes()));
        List<String> authMethods = List.of("client_secret_basic", "client_secret_post", "private_key_jwt", "client_secret_jwt", "none");
        m.put("token_endpoint_auth_methods_supported", authMethods);
        m.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS256", "ES256", "EdDSA", "HS256"));
        m.put("dpop_signing_alg_values_supported", DpopProofVerifier.ALGORITHMS);
        if (grants.containsKey(AuthorizationCodeGrant.TYPE)) {
            m.put("response_types_supported", List.of("code"));
            m.put("code_challenge_methods_supported", config.authorization().pkcePlainAllowed()
                    ? List.of(Pkce.S256, Pkce.PLAIN) : List.of(Pkce.S256));
            m.put("authorization_response_iss_parameter_supported", true);
        }
        if (endpoints.containsKey("revocation_endpoint")) {
            m.put("revocation_endpoint_auth_methods_supported", authMethods);
        }
        if (endpoints.containsKey("introspection_endpoint")) {
            m.put("introspection_endpoint_auth_methods_supported", authMethods.subList(0, 4));
        }
        Set<String> scopes = new TreeSet<>(config.scopes().keySet());
        for (ClientRegistration c : config.clients()) {
            scopes.addAll(c.scopes());
        }
        m.put("scopes_supported", List.copyOf(scopes));
        return m;
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
