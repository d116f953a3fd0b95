package dev.oauthlet.admin;

import dev.oauthlet.audit.Actor;
import dev.oauthlet.audit.AuditEvent;
import dev.oauthlet.audit.AuditTrail;
import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.ClientKeys;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.ClientSecret;
import dev.oauthlet.client.DpopMode;
import dev.oauthlet.client.Origin;
import dev.oauthlet.config.RegistrationConfig;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.error.TooManyAttemptsException;
import dev.oauthlet.key.PublicAddresses;
import dev.oauthlet.spi.ClientStore;
import dev.oauthlet.spi.FailureCounterStore;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Dynamic client registration: RFC 7591 (a client registers itself) and RFC 7592 (it reads,
 * replaces and deletes its registration at its registration URI), without HTTP — the servlet
 * hands in the {@code Authorization} header and the body and writes the {@link Answer} out.
 *
 * <p>A registration carries an initial access token from {@code registration.initial-access-token}
 * ({@code Authorization: Bearer}), unless {@code registration.open} lets anyone register. What it may
 * ask for is bounded by {@code registration.policy}; how many clients one address may register
 * without an initial access token, by {@code registration.open-rate-limit}. The client gets a generated id, a generated
 * secret unless it is public or signs assertions ({@code private_key_jwt}), and a registration
 * access token; secret and token are 256 random bits, stored only as {@code sha256$} hashes (a
 * {@code client_secret_jwt} secret, the HMAC key, sealed under {@code signing.key-encryption-key}
 * instead), and shown once, in the {@code 201}. Every change goes through {@link Administration} acting as
 * {@link Actor#REGISTRATION}, so it is an audit event; clients registered so have
 * {@link Origin#REGISTRATION}, and no other client can be reached through a registration URI.
 */
public final class DynamicRegistration {

    /**
     * The answer to write.
     *
     * @param status   the HTTP status
     * @param json     the body; {@code null} for {@code 204}
     * @param location the new client's registration URI, for a {@code Location} header; or {@code null}
     */
    public record Answer(int status, String json, String location) {
    }

    private static final int MAX_REDIRECT_URIS_LENGTH = 8000;
    /** Compared against when a client has no registration token, so an unknown id costs what a known one does. */
    private static final String NO_TOKEN = SecretHasher.hashGenerated("no registration access token");

    private final Administration admin;
    private final ClientStore clients;
    private final RegistrationConfig config;
    private final Set<String> grantTypes;
    private final String registrationUrl;
    private final AuditTrail audit;
    private final Clock clock;
    private final FailureCounterStore counters;

    /**
     * @param grantTypes      the grant types the server answers
     * @param registrationUrl the registration endpoint's absolute URL; a client's registration URI is it plus
     *                        {@code /CLIENT_ID}
     * @param counters        where open registrations are counted per address ({@code registration.open-rate-limit})
     */
    public DynamicRegistration(Administration admin, ClientStore clients, RegistrationConfig config, Set<String> grantTypes,
                               String registrationUrl, AuditTrail audit, Clock clock, FailureCounterStore counters) {
        this.admin = admin.as(Actor.REGISTRATION);
        this.counters = counters;
        this.clients = clients;
        this.config = config;
        this.grantTypes = Set.copyOf(grantTypes);
        this.registrationUrl = registrationUrl;
        this.audit = audit;
        this.clock = clock;
    }

    /** {@link #register(String, String, byte[])} for a call that did not come through HTTP: all such count as one address. */
    public Answer register(String authorization, byte[] body) {
        return register(authorization, null, body);
    }

    /**
     * {@code POST} to the registration endpoint (RFC 7591 §3): {@code 201} with the client's id,
     * secret, registration access token and URI, and its registered metadata.
     *
     * @param authorization the {@code Authorization} header, or {@code null}
     * @param address       the caller's address, which open registrations are counted by
     * @throws OAuthException {@code invalid_token} (401) without a valid initial access token where one is needed;
     *                        {@code invalid_redirect_uri} or {@code invalid_client_metadata} (400);
     *                        {@link TooManyAttemptsException} (429) once {@code address} has used up the open-registration limit
     */
    public Answer register(String authorization, String address, byte[] body) {
        String token = bearer(authorization);
        if (token == null ? !config.open() : !config.acceptsInitialAccessToken(token)) {
            throw OAuthException.invalidToken(token == null ? "registration needs an initial access token"
                    : "the initial access token is not valid");
        }
        if (token == null) {
            countOpenRegistration(address);
        }
        ClientMetadata m = ClientMetadata.parse(body);
        String id = Hashes.randomToken(16);
        Instant expires = config.policy().secretLifetime() == null ? null : clock.instant().plus(config.policy().secretLifetime());
        CreatedClient created;
        try {
            created = admin.addClient(spec(id, m), expires);
        } catch (AdminException e) {
            throw OAuthException.invalidClientMetadata(e.getMessage());
        }
        String registrationToken = SecretHasher.generateSecret();
        try {
            if (!clients.saveRegistrationTokenHash(id, SecretHasher.hashGenerated(registrationToken))) {
                throw new IllegalStateException("the client registered a moment ago is gone");
            }
        } catch (RuntimeException e) {
            // Without its registration token the client could never be changed or deleted by its owner.
            admin.removeClient(id);
            throw e;
        }
        Map<String, Object> issued = new LinkedHashMap<>();
        issued.put("client_id", id);
        if (created.secret() != null) {
            issued.put("client_secret", created.secret());
            // A sealed client_secret_jwt secret has no expiry; the policy cannot give it one (RegistrationConfig.Policy).
            boolean sealed = created.client().keys().sealedSecret() != null;
            issued.put("client_secret_expires_at", expires == null || sealed ? 0L : expires.getEpochSecond());
        }
        issued.put("registration_access_token", registrationToken);
        issued.put("registration_client_uri", registrationUri(id));
        return new Answer(201, ClientMetadata.write(ClientMetadata.join(issued, ClientMetadata.of(created.client()))), registrationUri(id));
    }

    /**
     * {@code GET} at a registration URI (RFC 7592 §2.1): the registered metadata, without the
     * secret (the server keeps only its hash).
     *
     * @throws OAuthException {@code invalid_token} (401) unless {@code authorization} carries this client's
     *                        registration access token; a deleted or unknown client answers so too (§2.1)
     */
    public Answer read(String clientId, String address, String authorization) {
        ClientRegistration client = authorized(clientId, authorization, address);
        return new Answer(200, ClientMetadata.write(ClientMetadata.join(issued(client), ClientMetadata.of(client))), null);
    }

    /**
     * {@code PUT} at a registration URI (RFC 7592 §2.2): the body replaces the whole registration;
     * a member left out takes its default. It must name the client's {@code client_id}; a
     * {@code client_secret} it carries must be the current secret (a client cannot choose its own);
     * the server-issued members ({@code registration_access_token}, {@code registration_client_uri},
     * {@code client_secret_expires_at}, {@code client_id_issued_at}) are ignored. The secret and the
     * registration access token stay. Changing between public, secret and {@code private_key_jwt}
     * is refused: delete the client and register anew.
     *
     * @throws OAuthException {@code invalid_token} (401), {@code invalid_redirect_uri} or {@code invalid_client_metadata} (400)
     */
    public Answer replace(String clientId, String address, String authorization, byte[] body) {
        ClientRegistration existing = authorized(clientId, authorization, address);
        ClientMetadata m = ClientMetadata.parse(body);
        if (m.clientId() == null || !m.clientId().equals(clientId)) {
            throw OAuthException.invalidClientMetadata("client_id must be given and be this client's (RFC 7592 2.2)");
        }
        if (m.clientSecret() != null && existing.secretsValidAt(clock.instant()).stream()
                .noneMatch(s -> SecretHasher.matches(m.clientSecret(), s.hash()))) {
            throw OAuthException.invalidClientMetadata("client_secret is not this client's current secret; a client cannot choose its secret");
        }
        ClientRegistration replaced;
        try {
            replaced = admin.replaceClient(spec(clientId, m));
        } catch (AdminException e) {
            throw OAuthException.invalidClientMetadata(e.getMessage());
        }
        return new Answer(200, ClientMetadata.write(ClientMetadata.join(issued(replaced), ClientMetadata.of(replaced))), null);
    }

    /**
     * {@code DELETE} at a registration URI (RFC 7592 §2.3): the client is removed and its refresh
     * tokens revoked; {@code 204}. Its registration URI then answers {@code 401}, its token
     * requests {@code invalid_client}.
     *
     * @throws OAuthException {@code invalid_token} (401)
     */
    public Answer delete(String clientId, String address, String authorization) {
        authorized(clientId, authorization, address);
        try {
            admin.removeClient(clientId);
        } catch (AdminException e) {
            // Deleted by a concurrent request a moment ago: to this one, as if it never existed.
            throw OAuthException.invalidToken("the registration access token is not valid for this client");
        }
        return new Answer(204, null, null);
    }

    /**
     * Counts one registration without an initial access token from {@code address}, whatever its
     * outcome, atomically in the store (every node shares the count, and a concurrent burst cannot
     * pass the limit: each increment gets its own count).
     */
    private void countOpenRegistration(String address) {
        RegistrationConfig.OpenRateLimit limit = config.openRateLimit();
        String key = "registration-address:" + Hashes.sha256(address == null ? "" : address);
        if (counters.increment(key, clock.instant(), limit.window()) > limit.perAddress()) {
            throw new TooManyAttemptsException(ErrorCode.TEMPORARILY_UNAVAILABLE, "too many registrations from this address"
                    + " without an initial access token; try again later", limit.window());
        }
    }

    /** The registration URI of {@code clientId}. */
    public String registrationUri(String clientId) {
        return registrationUrl + "/" + clientId;
    }

    private Map<String, Object> issued(ClientRegistration client) {
        Map<String, Object> issued = new LinkedHashMap<>();
        issued.put("client_id", client.id());
        if (!client.secrets().isEmpty()) {
            ClientSecret newest = client.secrets().get(0);
            issued.put("client_secret_expires_at", newest.expiresAt() == null ? 0L : newest.expiresAt().getEpochSecond());
        } else if (client.keys().sealedSecret() != null) {
            issued.put("client_secret_expires_at", 0L);
        }
        issued.put("registration_client_uri", registrationUri(client.id()));
        return issued;
    }

    /**
     * The client of a registration URI, when {@code authorization} carries its registration access
     * token. An unknown id, a client that did not register itself and a wrong token are refused
     * alike, after the same hash comparison.
     */
    private ClientRegistration authorized(String clientId, String authorization, String address) {
        String token = bearer(authorization);
        if (token == null) {
            throw OAuthException.invalidToken("the registration access token is missing");
        }
        Optional<ClientRegistration> client = clientId == null ? Optional.empty() : clients.findById(clientId)
                .filter(c -> c.origin() == Origin.REGISTRATION);
        String hash = client.flatMap(c -> clients.registrationTokenHash(c.id())).orElse(NO_TOKEN);
        boolean valid = SecretHasher.matches(token, hash) && client.isPresent();
        if (!valid) {
            if (client.isPresent()) {
                audit.record(AuditEvent.request(AuditEvent.Type.CLIENT_AUTHENTICATION_FAILED, clock.instant(), clientId, null, address,
                        Map.of("reason", "registration_access_token")));
            }
            throw OAuthException.invalidToken("the registration access token is not valid for this client");
        }
        return client.get();
    }

    /** The token of an {@code Authorization: Bearer} header; {@code null} without a header. */
    private static String bearer(String authorization) {
        if (authorization == null) {
            return null;
        }
        if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7) || authorization.length() == 7) {
            throw OAuthException.invalidToken("send the token as Authorization: Bearer TOKEN");
        }
        return authorization.substring(7).strip();
    }

    /** The client {@code m} asks for, once the policy allows every part of it. */
    private NewClient spec(String id, ClientMetadata m) {
        RegistrationConfig.Policy policy = config.policy();
        List<String> redirectUris = redirectUris(m.redirectUris(), policy);
        for (String g : m.grantTypes()) {
            if (!grantTypes.contains(g)) {
                throw OAuthException.invalidClientMetadata("grant_type '" + OAuthException.echo(g) + "' is not known (known: "
                        + String.join(", ", new java.util.TreeSet<>(grantTypes)) + ")");
            }
            if (!policy.grants().contains(g)) {
                throw OAuthException.invalidClientMetadata("grant_type '" + g + "' is not offered to registered clients (offered: "
                        + String.join(", ", new java.util.TreeSet<>(policy.grants())) + ")");
            }
        }
        if (m.grantTypes().isEmpty()) {
            throw OAuthException.invalidClientMetadata("grant_types is empty");
        }
        boolean code = m.grantTypes().contains("authorization_code");
        if (!m.responseTypes().equals(code ? Set.of("code") : Set.of())) {
            throw OAuthException.invalidClientMetadata(code ? "response_types must be [\"code\"] with the authorization_code grant"
                    : "response_types must be empty without the authorization_code grant (only code is supported)");
        }
        if (code && redirectUris.isEmpty()) {
            throw OAuthException.invalidRedirectUri("the authorization_code grant needs redirect_uris");
        }
        ClientAuthMethod method = m.authMethod();
        if (!policy.authMethods().contains(method)) {
            throw OAuthException.invalidClientMetadata("token_endpoint_auth_method " + method.wireName()
                    + " is not offered to registered clients (offered: "
                    + String.join(", ", policy.authMethods().stream().map(ClientAuthMethod::wireName).sorted().toList()) + ")");
        }
        List<String> scopes = m.scopes() == null ? List.copyOf(policy.scopes()) : m.scopes();
        for (String s : scopes) {
            if (!policy.scopes().contains(s)) {
                throw OAuthException.invalidClientMetadata("scope '" + OAuthException.echo(s) + "' is not offered to registered clients");
            }
        }
        List<String> audiences = m.audiences() == null ? List.copyOf(policy.audiences()) : m.audiences();
        String audience = m.audience() != null ? m.audience() : audiences.isEmpty() ? null : audiences.get(0);
        List<String> all = new ArrayList<>(audiences);
        if (audience != null && !all.contains(audience)) {
            all.add(0, audience);
        }
        if (audience == null) {
            throw OAuthException.invalidClientMetadata("audiences is empty: name at least one");
        }
        for (String a : all) {
            if (!policy.audiences().contains(a)) {
                throw OAuthException.invalidClientMetadata("audience '" + OAuthException.echo(a) + "' is not offered to registered clients");
            }
        }
        ClientKeys keys = keys(m, method, policy);
        String name = m.clientName() == null ? null : m.clientName().strip();
        if (name != null && name.length() > 200) {
            throw OAuthException.invalidClientMetadata("client_name is longer than 200 characters");
        }
        return new NewClient(id, name, method == ClientAuthMethod.NONE, m.grantTypes(), audience, scopes, redirectUris, null, null,
                keys.method(), all, keys.jwks(), keys.jwksUri(), m.dpopBound() ? DpopMode.REQUIRED : DpopMode.ALLOWED);
    }

    private static ClientKeys keys(ClientMetadata m, ClientAuthMethod method, RegistrationConfig.Policy policy) {
        if (method != ClientAuthMethod.PRIVATE_KEY_JWT) {
            if (m.jwks() != null || m.jwksUri() != null) {
                throw OAuthException.invalidClientMetadata("jwks and jwks_uri are for token_endpoint_auth_method private_key_jwt");
            }
            return new ClientKeys(method, null, null, null);
        }
        if (m.jwks() == null && m.jwksUri() == null) {
            throw OAuthException.invalidClientMetadata("private_key_jwt needs jwks or jwks_uri");
        }
        if (m.jwks() != null) {
            if (!ClientKeys.hasPublicKey(m.jwks())) {
                throw OAuthException.invalidClientMetadata("jwks holds no public key with a kid");
            }
            return new ClientKeys(method, m.jwks(), null, null);
        }
        URI uri = m.jwksUri();
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null) {
            throw OAuthException.invalidClientMetadata("jwks_uri must be an https URL without user info or fragment");
        }
        if (!policy.jwksUriPrivateNetworks()) {
            try {
                PublicAddresses.check(uri);
            } catch (IOException e) {
                throw OAuthException.invalidClientMetadata("jwks_uri must be on a public address (its host does not resolve, or resolves"
                        + " to a loopback, private or link-local one)");
            }
        }
        return new ClientKeys(method, null, uri, null);
    }

    /**
     * Each redirect URI: absolute, no fragment or user info, a scheme of the policy — {@code http}
     * only on a loopback host (RFC 8252 §7.3) — so no {@code javascript:}, {@code data:} or
     * other-host {@code http:} URI is ever registered.
     */
    private static List<String> redirectUris(List<String> uris, RegistrationConfig.Policy policy) {
        int length = 0;
        for (String uri : uris) {
            length += uri.length() + 1;
            URI u;
            try {
                u = new URI(uri);
            } catch (URISyntaxException e) {
                throw OAuthException.invalidRedirectUri("'" + OAuthException.echo(uri) + "' is not a URI");
            }
            String scheme = u.getScheme() == null ? "" : u.getScheme();
            boolean allowed = u.isAbsolute() && u.getRawFragment() == null && u.getRawUserInfo() == null && u.getHost() != null
                    && policy.redirectUriSchemes().contains(scheme)
                    && (scheme.equals("https") || scheme.equals("http") && loopback(u.getHost()));
            if (!allowed) {
                throw OAuthException.invalidRedirectUri("'" + OAuthException.echo(uri) + "' is not allowed: "
                        + String.join(" or ", policy.redirectUriSchemes().stream().sorted().map(s -> s.equals("http")
                        ? "http on a loopback host" : s).toList()) + ", absolute, without fragment or user info");
            }
        }
        if (length > MAX_REDIRECT_URIS_LENGTH) {
            throw OAuthException.invalidRedirectUri("redirect_uris are longer than " + MAX_REDIRECT_URIS_LENGTH + " characters together");
        }
        return List.copyOf(new java.util.LinkedHashSet<>(uris));
    }

    private static boolean loopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            InetAddress a = InetAddress.getByName(literal);
            return a.isLoopbackAddress();
        } catch (IOException e) {
            return false;
        }
    }
}
