package dev.oauthlet.internal.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.Origin;
import dev.oauthlet.crypto.Hashes;
import dev.oauthlet.error.OAuthException;
import dev.oauthlet.key.KeyResolver;
import dev.oauthlet.key.RemoteKeyResolver;
import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.key.StaticKeyResolver;
import dev.oauthlet.key.VerificationKey;
import dev.oauthlet.spi.UsedJtiStore;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.ExpiredJwtException;
import io.jsonwebtoken.Header;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.PrematureJwtException;
import io.jsonwebtoken.ProtectedHeader;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.Key;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.net.http.HttpClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import javax.crypto.spec.SecretKeySpec;

/**
 * JWT client authentication (RFC 7523 §2.2 and §3): {@code private_key_jwt} verified with the
 * client's own public keys ({@code jwks}, or {@code jwks_uri} fetched over https with the remote-JWKS
 * cache), {@code client_secret_jwt} with HMAC under the client's secret. The assertion's
 * {@code iss} and {@code sub} are the client id; its {@code aud} is this server's issuer identifier
 * as one string, as draft-ietf-oauth-rfc7523bis requires since the 2025 audience-injection
 * advisories (the token endpoint URL too only with {@code tokens.client-assertion-legacy-audience});
 * {@code exp} is required and at most {@link #MAX_LIFETIME} ahead; its {@code jti} is single use
 * on every node.
 */
public final class ClientAssertions {

    /** How far ahead an assertion's {@code exp} may lie: an assertion is made for one request. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(10);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String issuer;
    private final String tokenEndpoint;
    private final boolean legacyAudience;
    private final UsedJtiStore jtis;
    private final Function<ClientRegistration, Optional<String>> sharedSecrets;
    private final RemoteKeyResolver.Settings fetch;
    private final Duration clockSkew;
    private final Clock clock;
    /**
     * How many clients' keys are kept parsed (and their {@code jwks_uri} documents cached): the
     * least recently used beyond this are dropped, so clients that register themselves cannot grow
     * the map without bound, and a removed client's entry goes in its turn; a dropped client's next
     * assertion parses or fetches its keys anew.
     */
    public static final int MAX_CACHED_CLIENTS = 1000;

    /** Per client id: its keys, and what they were made from, so a changed client gets new ones. Guarded by itself. */
    private final LinkedHashMap<String, CachedKeys> keysByClient;
    /**
     * One for every {@code jwks_uri}: each {@code HttpClient} holds a selector thread and its own
     * connections. Made at the first {@code jwks_uri}, not at start: a server without such clients
     * starts no thread a container would find left behind at undeploy. Guarded by {@link #keysByClient}.
     */
    private HttpClient http;
    /** Fetch a registered client's {@code jwks_uri} from private addresses too ({@code registration.policy.jwks-uri-private-networks}). */
    private final boolean registeredPrivateNetworks;

    /**
     * @param issuer         this server's issuer identifier, the {@code aud} required
     * @param tokenEndpoint  the token endpoint's URL, accepted as {@code aud} when {@code legacyAudience}
     * @param legacyAudience accept the token endpoint URL, and an array, as {@code aud}
     * @param jtis           where used {@code jti}s are kept
     * @param sharedSecrets  the secret of a {@code client_secret_jwt} client: the configuration's, or the store's opened
     *                       with the key-encryption key
     * @param fetch          how {@code jwks_uri} documents are fetched and cached
     */
    public ClientAssertions(String issuer, String tokenEndpoint, boolean legacyAudience, UsedJtiStore jtis,
                            Function<ClientRegistration, Optional<String>> sharedSecrets, RemoteKeyResolver.Settings fetch, Duration clockSkew,
                            Clock clock) {
        this(issuer, tokenEndpoint, legacyAudience, jtis, sharedSecrets, fetch, clockSkew, clock, false);
    }

    /**
     * As above; {@code registeredPrivateNetworks} lets the {@code jwks_uri} of a client that
     * registered itself resolve to loopback and private addresses (otherwise never fetched from there).
     */
    public ClientAssertions(String issuer, String tokenEndpoint, boolean legacyAudience, UsedJtiStore jtis,
                            Function<ClientRegistration, Optional<String>> sharedSecrets, RemoteKeyResolver.Settings fetch, Duration clockSkew,
                            Clock clock, boolean registeredPrivateNetworks) {
        this(issuer, tokenEndpoint, legacyAudience, jtis, sharedSecrets, fetch, clockSkew, clock, registeredPrivateNetworks,
                MAX_CACHED_CLIENTS);
    }

    /** As above, keeping the keys of at most {@code maxCachedClients} clients. */
    ClientAssertions(String issuer, String tokenEndpoint, boolean legacyAudience, UsedJtiStore jtis,
                     Function<ClientRegistration, Optional<String>> sharedSecrets, RemoteKeyResolver.Settings fetch, Duration clockSkew,
                     Clock clock, boolean registeredPrivateNetworks, int maxCachedClients) {
        this.keysByClient = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, CachedKeys> eldest) {
                return size() > maxCachedClients;
            }
        };
        this.registeredPrivateNetworks = registeredPrivateNetworks;
        this.issuer = issuer;
        this.tokenEndpoint = tokenEndpoint;
        this.legacyAudience = legacyAudience;
        this.jtis = jtis;
        this.sharedSecrets = sharedSecrets;
        this.fetch = fetch;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    /**
     * The client id an assertion claims to come from ({@code sub}, else {@code iss}), read without
     * verifying it, to find the client whose keys then verify it.
     */
    public static Optional<String> claimedClient(String assertion) {
        JsonNode payload = payload(assertion);
        if (payload == null) {
            return Optional.empty();
        }
        JsonNode sub = payload.get("sub");
        JsonNode iss = payload.get("iss");
        JsonNode id = sub != null && sub.isTextual() ? sub : iss;
        return id != null && id.isTextual() && !id.asText().isEmpty() ? Optional.of(id.asText()) : Optional.empty();
    }

    /**
     * Verifies that {@code assertion} authenticates {@code client}.
     *
     * @throws OAuthException {@code invalid_client} saying what is wrong with it
     */
    public void verify(ClientRegistration client, String assertion) {
        ClientAuthMethod method = client.keys().method();
        if (method == null || !method.assertion()) {
            throw OAuthException.invalidClient("client authentication failed: this client does not authenticate with a JWT");
        }
        JsonNode payload = payload(assertion);
        if (payload == null) {
            throw refused("the client assertion is not a JWT");
        }
        checkAudience(payload.get("aud"));
        Claims claims;
        try {
            claims = Jwts.parser()
                    .keyLocator(new LocatorAdapter<Key>() {
                        @Override
                        protected Key locate(ProtectedHeader header) {
                            return key(client, method, header);
                        }

                        @Override
                        protected Key doLocate(Header header) {
                            throw refused("the client assertion is not signed");
                        }
                    })
                    .clockSkewSeconds(clockSkew.getSeconds())
                    .clock(() -> Date.from(clock.instant()))
                    .build().parseSignedClaims(assertion).getPayload();
        } catch (OAuthException e) {
            throw e;
        } catch (ExpiredJwtException e) {
            throw refused("the client assertion has expired");
        } catch (PrematureJwtException e) {
            throw refused("the client assertion is not valid yet");
        } catch (JwtException | IllegalArgumentException | ClassCastException e) {
            throw refused("the client assertion's signature does not verify with the client's keys");
        }
        if (!client.id().equals(claims.getIssuer()) || !client.id().equals(claims.getSubject())) {
            throw refused("the client assertion's iss and sub must both be the client id");
        }
        Date exp = claims.getExpiration();
        if (exp == null) {
            throw refused("the client assertion has no exp");
        }
        Instant now = clock.instant();
        if (exp.toInstant().isAfter(now.plus(MAX_LIFETIME).plus(clockSkew))) {
            throw refused("the client assertion's exp is more than " + MAX_LIFETIME.toMinutes() + " minutes ahead");
        }
        String jti = claims.getId();
        if (jti == null || jti.isEmpty() || jti.length() > 256) {
            throw refused("the client assertion has no jti");
        }
        if (!jtis.markUsed(Hashes.sha256("client-assertion:" + client.id() + ":" + jti), exp.toInstant().plus(clockSkew), now)) {
            throw refused("the client assertion was used before");
        }
    }

    private void checkAudience(JsonNode aud) {
        if (aud == null) {
            throw refused("the client assertion has no aud");
        }
        if (aud.isTextual()) {
            String a = aud.asText();
            if (issuer.equals(a) || (legacyAudience && a.equals(tokenEndpoint))) {
                return;
            }
        } else if (legacyAudience && aud.isArray()) {
            for (JsonNode a : aud) {
                if (a.isTextual() && (issuer.equals(a.asText()) || a.asText().equals(tokenEndpoint))) {
                    return;
                }
            }
        }
        throw refused("the client assertion's aud must be the issuer identifier " + issuer + " as a single string");
    }

    private Key key(ClientRegistration client, ClientAuthMethod method, ProtectedHeader header) {
        if (header.getJwkSetUrl() != null || header.getX509Url() != null || header.getJwk() != null || header.getX509Chain() != null) {
            throw refused("the client assertion names a key of its own; only the client's registered keys verify it");
        }
        SigningAlgorithm alg = SigningAlgorithm.fromJws(header.getAlgorithm());
        if (method == ClientAuthMethod.CLIENT_SECRET_JWT) {
            if (alg != SigningAlgorithm.HS256) {
                throw refused("a client_secret_jwt assertion is signed HS256");
            }
            String secret = sharedSecrets.apply(client)
                    .orElseThrow(() -> refused("this client's secret is not configured on this server"));
            return new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
        }
        if (alg == null || alg.symmetric()) {
            throw refused("a private_key_jwt assertion is signed with RS256, ES256 or EdDSA");
        }
        KeyResolver keys = keysOf(client);
        String kid = header.getKeyId();
        Optional<VerificationKey> found = kid != null ? keys.resolve(kid)
                : keys instanceof StaticKeyResolver s ? s.only() : Optional.empty();
        VerificationKey key = found.orElseThrow(() -> refused(kid == null
                ? "the client assertion has no kid, and the client has more than one key" : "the client assertion's kid is not one of the client's keys"));
        if (key.algorithm() != alg) {
            throw refused("the client assertion's alg does not fit the client's key");
        }
        return key.key();
    }

    private record CachedKeys(String madeFrom, KeyResolver keys) {
    }

    /**
     * The client's keys: the cached ones while the client still has the keys they were made from,
     * else new ones, which replace them (a client whose {@code jwks} or {@code jwks_uri} changed
     * leaves no stale entry behind).
     */
    private KeyResolver keysOf(ClientRegistration client) {
        String madeFrom = client.origin() + "\n" + client.keys().jwksUri() + "\n"
                + (client.keys().jwks() == null ? "" : Hashes.sha256(client.keys().jwks()));
        synchronized (keysByClient) {
            CachedKeys cached = keysByClient.get(client.id());
            if (cached != null && cached.madeFrom().equals(madeFrom)) {
                return cached.keys();
            }
        }
        // Parsed outside the lock; when two threads race, the first one's stays, with its fetched keys.
        KeyResolver fresh = resolver(client);
        synchronized (keysByClient) {
            CachedKeys cached = keysByClient.get(client.id());
            if (cached != null && cached.madeFrom().equals(madeFrom)) {
                return cached.keys();
            }
            keysByClient.put(client.id(), new CachedKeys(madeFrom, fresh));
            return fresh;
        }
    }

    /** How many clients' keys are kept now; at most {@link #MAX_CACHED_CLIENTS}. */
    int cachedClients() {
        synchronized (keysByClient) {
            return keysByClient.size();
        }
    }

    private HttpClient http() {
        synchronized (keysByClient) {
            if (http == null) {
                http = RemoteKeyResolver.httpClient(fetch);
            }
            return http;
        }
    }

    private KeyResolver resolver(ClientRegistration client) {
        if (client.keys().jwks() != null) {
            return StaticKeyResolver.parse(client.keys().jwks());
        }
        URI uri = client.keys().jwksUri();
        if (client.origin() == Origin.REGISTRATION && !registeredPrivateNetworks) {
            // Anyone may have chosen this URL: fetched over https from public addresses only (SSRF).
            return RemoteKeyResolver.forRegisteredJwksUri(uri, fetch, clock, http());
        }
        return RemoteKeyResolver.forJwksUri(uri, fetch, clock, http());
    }

    private static JsonNode payload(String jwt) {
        if (jwt == null || jwt.length() > 16_384) {
            return null;
        }
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return null;
        }
        try {
            JsonNode n = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            return n != null && n.isObject() ? n : null;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    private static OAuthException refused(String why) {
        return OAuthException.invalidClient("client authentication failed: " + why);
    }
}
