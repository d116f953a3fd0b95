package dev.oauthlet.key;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.config.Issuers;
import dev.oauthlet.error.OutageLog;
import io.jsonwebtoken.security.Jwk;
import io.jsonwebtoken.security.JwkSet;
import io.jsonwebtoken.security.Jwks;
import io.jsonwebtoken.security.PublicJwk;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys of an authorization server on another machine, from its JWKS over HTTP: the JWKS URL given,
 * or the {@code jwks_uri} of the issuer's RFC 8414 metadata. The key set is cached for the
 * shorter of the response's {@code max-age} and {@link Settings#cacheTtl()}; a kid it does not
 * know triggers one refetch, at most once per {@link Settings#refetchInterval()}, so tokens with
 * made-up kids cannot make this resolver hammer the server. When a fetch fails the keys already
 * known stay in use (a fetch that finds the server down is retried after the refetch interval).
 * While one thread refreshes a stale set, the others keep using the keys already known; only a
 * request whose kid is unknown waits for a fetch. Only public keys are taken: a secret in a JWKS is ignored. Thread-safe.
 */
public final class RemoteKeyResolver implements KeyResolver {

    private static final Logger LOG = LoggerFactory.getLogger(RemoteKeyResolver.class);
    private static final int MAX_BODY = 512 * 1024;
    private static final Pattern MAX_AGE = Pattern.compile("max-age\\s*=\\s*(\\d+)");
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * How the resolver fetches.
     *
     * @param refetchInterval the least time between two fetches caused by unknown kids (default 30s)
     * @param cacheTtl        the longest a fetched key set is used before it is fetched again (default 5m)
     * @param timeout         connect and response timeout of one fetch (default 5s)
     */
    public record Settings(Duration refetchInterval, Duration cacheTtl, Duration timeout) {
        public Settings {
            Objects.requireNonNull(refetchInterval, "refetchInterval");
            Objects.requireNonNull(cacheTtl, "cacheTtl");
            Objects.requireNonNull(timeout, "timeout");
        }

        public static Settings defaults() {
            return new Settings(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofSeconds(5));
        }
    }

    private final String issuer;
    private volatile URI jwksUri;
    private final Settings settings;
    private final Clock clock;
    private final HttpClient http;
    /** Held by the one thread fetching; {@code tryLock} lets the others go on with the known keys. */
    private final ReentrantLock fetchLock = new ReentrantLock();
    private volatile Map<String, VerificationKey> keys = Map.of();
    private volatile Instant expiresAt = Instant.EPOCH;
    private volatile Instant lastUnknownKidFetch = Instant.EPOCH;
    private boolean fetchedOnce;
    /** Only fetch from hosts that resolve to public addresses ({@link PublicAddresses}), checked before each fetch. */
    private final boolean publicOnly;
    /** Fetch failures: one WARN when they start, one line per 30 s while they last, one INFO when a fetch works again. */
    private final OutageLog fetchOutages;

    private RemoteKeyResolver(String issuer, URI jwksUri, Settings settings, Clock clock) {
        this(issuer, jwksUri, settings, clock, false, null);
    }

    private RemoteKeyResolver(String issuer, URI jwksUri, Settings settings, Clock clock, boolean publicOnly, HttpClient http) {
        this.publicOnly = publicOnly;
        this.fetchOutages = new OutageLog(LOG, "the JWKS " + (jwksUri != null ? "at " + jwksUri : "of " + issuer),
                OutageLog.DEFAULT_INTERVAL, clock);
        this.issuer = issuer;
        this.jwksUri = jwksUri;
        this.settings = settings;
        this.clock = clock;
        this.http = http != null ? http : httpClient(settings);
    }

    /**
     * The HTTP client a resolver fetches with: {@code settings}' connect timeout, redirects never
     * followed. Each {@code HttpClient} keeps a selector thread and a connection pool, so a server
     * holding many resolvers (one per client {@code jwks_uri}) gives them all one.
     */
    public static HttpClient httpClient(Settings settings) {
        return HttpClient.newBuilder().connectTimeout(settings.timeout()).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** Keys from the JWK Set at {@code jwksUri}. */
    public static RemoteKeyResolver forJwksUri(URI jwksUri, Settings settings, Clock clock) {
        return new RemoteKeyResolver(null, checkUri(jwksUri), settings, clock);
    }

    /** As {@link #forJwksUri(URI, Settings, Clock)}, fetching with {@code http} (see {@link #httpClient}). */
    public static RemoteKeyResolver forJwksUri(URI jwksUri, Settings settings, Clock clock, HttpClient http) {
        return new RemoteKeyResolver(null, checkUri(jwksUri), settings, clock, false, java.util.Objects.requireNonNull(http, "http"));
    }

    /**
     * Keys from the JWK Set at a {@code jwks_uri} that someone outside the operator chose (a client
     * that registered itself): https only, and fetched only while its host resolves to public
     * addresses, checked right before every fetch ({@link PublicAddresses}). A refused fetch is
     * a failed one: no keys, logged once.
     */
    public static RemoteKeyResolver forRegisteredJwksUri(URI jwksUri, Settings settings, Clock clock) {
        return forRegisteredJwksUri(jwksUri, settings, clock, httpClient(settings));
    }

    /** As {@link #forRegisteredJwksUri(URI, Settings, Clock)}, fetching with {@code http} (see {@link #httpClient}). */
    public static RemoteKeyResolver forRegisteredJwksUri(URI jwksUri, Settings settings, Clock clock, HttpClient http) {
        if (!"https".equals(jwksUri.getScheme())) {
            throw new IllegalArgumentException("'" + jwksUri + "' is not an https URL");
        }
        return new RemoteKeyResolver(null, jwksUri, settings, clock, true, java.util.Objects.requireNonNull(http, "http"));
    }

    /**
     * Keys from the {@code jwks_uri} of {@code issuer}'s RFC 8414 metadata, looked up at the first
     * fetch. The metadata must name the same issuer.
     */
    public static RemoteKeyResolver forIssuer(String issuer, Settings settings, Clock clock) {
        checkUri(URI.create(issuer));
        return new RemoteKeyResolver(issuer, null, settings, clock);
    }

    /** Keys fetched over plain http could be swapped on the way, after which any token verifies: https, or loopback http. */
    private static URI checkUri(URI uri) {
        if (!Issuers.isSecureOrLoopback(uri)) {
            throw new IllegalArgumentException("'" + uri + "' is not an https URL (http is allowed only for localhost or 127.0.0.1)");
        }
        return uri;
    }

    @Override
    public Optional<VerificationKey> resolve(String kid) {
        Instant now = clock.instant();
        if (!now.isBefore(expiresAt) && fetchLock.tryLock()) {
            // One thread refreshes a stale set; the others carry on with the keys known meanwhile
            // instead of queueing behind an HTTP call (or its timeout while the key server is down).
            try {
                refreshLocked(now, null);
            } finally {
                fetchLock.unlock();
            }
        }
        VerificationKey k = keys.get(kid);
        if (k == null && !now.isBefore(lastUnknownKidFetch.plus(settings.refetchInterval()))) {
            // The server may have rotated since we fetched: look once more, then not again for a while.
            // Only a request whose kid is unknown waits for this fetch; it could not be served otherwise.
            fetchLock.lock();
            try {
                refreshLocked(now, kid);
            } finally {
                fetchLock.unlock();
            }
            k = keys.get(kid);
        }
        return Optional.ofNullable(k);
    }

    /** Fetches the keys now, e.g. at start-up; failures are logged and leave the known keys in place. */
    public void prefetch() {
        fetchLock.lock();
        try {
            refreshLocked(clock.instant(), null);
        } finally {
            fetchLock.unlock();
        }
    }

    /**
     * Fetches unless another thread already did what was needed; called holding {@link #fetchLock}.
     *
     * @param unknownKid the kid that caused this fetch, or {@code null} for a fetch because the set is stale
     */
    private void refreshLocked(Instant now, String unknownKid) {
        // Another thread may have fetched while this one waited for the lock.
        if (unknownKid != null) {
            if (keys.containsKey(unknownKid) || now.isBefore(lastUnknownKidFetch.plus(settings.refetchInterval()))) {
                return;
            }
            lastUnknownKidFetch = now;
        } else if (fetchedOnce && now.isBefore(expiresAt)) {
            return;
        }
        fetchedOnce = true;
        try {
            if (jwksUri == null) {
                jwksUri = discover();
            }
            fetchKeys(now, unknownKid != null);
        } catch (IOException | RuntimeException e) {
            // Keep what we have; try again after the refetch interval rather than on every request.
            expiresAt = now.plus(settings.refetchInterval());
            fetchOutages.failed(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void fetchKeys(Instant now, boolean bypassCaches) throws IOException, InterruptedException {
        if (publicOnly) {
            PublicAddresses.check(jwksUri);
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(jwksUri).timeout(settings.timeout()).header("Accept", "application/json");
        if (bypassCaches) {
            // An unknown kid means our copy is stale; a cache between us and the server might be too.
            req.header("Cache-Control", "no-cache");
        }
        HttpResponse<InputStream> resp = http.send(req.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        String body = read(resp);
        JwkSet set = Jwks.setParser().build().parse(body);
        Map<String, VerificationKey> fresh = new HashMap<>();
        for (Jwk<?> jwk : set) {
            VerificationKey k = toVerificationKey(jwk);
            if (k != null) {
                fresh.put(k.kid(), k);
            }
        }
        keys = Map.copyOf(fresh);
        Duration ttl = settings.cacheTtl();
        Matcher m = MAX_AGE.matcher(resp.headers().firstValue("Cache-Control").orElse(""));
        if (m.find()) {
            Duration maxAge = Duration.ofSeconds(Long.parseLong(m.group(1)));
            ttl = maxAge.compareTo(ttl) < 0 ? maxAge : ttl;
        }
        expiresAt = now.plus(ttl);
        LOG.debug("fetched {} signing keys from {}", fresh.size(), jwksUri);
        fetchOutages.succeeded();
    }

    /** Public signature keys with a kid and an algorithm we verify; anything else is left out. */
    static VerificationKey toVerificationKey(Jwk<?> jwk) {
        if (!(jwk instanceof PublicJwk<?> pub) || jwk.getId() == null) {
            return null;
        }
        if (pub.getPublicKeyUse() != null && !"sig".equals(pub.getPublicKeyUse())) {
            return null;
        }
        SigningAlgorithm byType = SigningAlgorithm.forKey(pub.toKey());
        SigningAlgorithm alg = jwk.getAlgorithm() == null ? byType : SigningAlgorithm.fromJws(jwk.getAlgorithm());
        if (alg == null || alg != byType || alg.symmetric() || alg.checkKey(pub.toKey()) != null) {
            return null;
        }
        return new VerificationKey(jwk.getId(), alg, pub.toKey());
    }

    private URI discover() throws IOException, InterruptedException {
        URI issuerUri = URI.create(issuer);
        String path = issuerUri.getRawPath() == null || issuerUri.getRawPath().equals("/") ? "" : issuerUri.getRawPath();
        // RFC 8414 §3 puts the well-known segment before the issuer's path; servers in a servlet
        // context often serve it after, so that spelling is tried second.
        URI rfc = issuerUri.resolve("/.well-known/oauth-authorization-server" + path);
        URI appended = URI.create(issuer.replaceAll("/$", "") + "/.well-known/oauth-authorization-server");
        IOException failure = null;
        for (URI candidate : path.isEmpty() ? java.util.List.of(rfc) : java.util.List.of(rfc, appended)) {
            HttpResponse<InputStream> resp = http.send(HttpRequest.newBuilder(candidate).timeout(settings.timeout())
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofInputStream());
            try {
                JsonNode meta = JSON.readTree(read(resp));
                if (!issuer.equals(meta.path("issuer").asText())) {
                    throw new IOException(candidate + " names issuer '" + meta.path("issuer").asText() + "', not '" + issuer + "'");
                }
                String jwks = meta.path("jwks_uri").asText(null);
                if (jwks == null) {
                    throw new IOException(candidate + " has no jwks_uri");
                }
                return checkUri(URI.create(jwks));
            } catch (IOException e) {
                failure = e;
            }
        }
        throw failure;
    }

    private static String read(HttpResponse<InputStream> resp) throws IOException {
        try (InputStream in = resp.body()) {
            if (resp.statusCode() != 200) {
                throw new IOException(resp.uri() + " answered " + resp.statusCode());
            }
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                throw new IOException(resp.uri() + " answered with more than " + MAX_BODY + " bytes");
            }
            return new String(b, StandardCharsets.UTF_8);
        }
    }
}
