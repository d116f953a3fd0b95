package dev.oauthlet.config;

import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.crypto.Hashes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * {@code registration:} — dynamic client registration (RFC 7591, RFC 7592) at
 * {@code endpoints.registration}. Without this section the endpoint is not served.
 *
 * @param initialAccessTokenHashes the SHA-256 (base64url) of each initial access token a registration may carry in
 *                                 {@code Authorization: Bearer}; the tokens themselves are not kept
 * @param open                     {@code true} lets a client register without an initial access token (MCP clients
 *                                 register themselves so); one given must still be valid
 * @param policy                   what a registration may ask for
 * @param openRateLimit            how many registrations without an initial access token one address may make
 */
public record RegistrationConfig(List<String> initialAccessTokenHashes, boolean open, Policy policy, OpenRateLimit openRateLimit) {

    /** The shortest initial access token accepted: an operator's secret, guessed by nobody. */
    public static final int MIN_TOKEN_LENGTH = 32;

    public RegistrationConfig {
        initialAccessTokenHashes = List.copyOf(initialAccessTokenHashes);
        Objects.requireNonNull(policy, "policy");
        openRateLimit = openRateLimit == null ? OpenRateLimit.DEFAULT : openRateLimit;
        if (initialAccessTokenHashes.isEmpty() && !open) {
            throw new IllegalArgumentException("no initial-access-token and not open: nobody could register");
        }
    }

    /** With the {@linkplain OpenRateLimit#DEFAULT default} limit on open registration. */
    public RegistrationConfig(List<String> initialAccessTokenHashes, boolean open, Policy policy) {
        this(initialAccessTokenHashes, open, policy, OpenRateLimit.DEFAULT);
    }

    /**
     * {@code registration.open-rate-limit} — registrations without an initial access token, per
     * caller address (as {@code authorization.trusted-proxies} tells it), counted in the store so
     * every node shares the count. The count starts at an address's first registration and lasts
     * {@code window}; the one past {@code perAddress} is answered {@code 429} with {@code Retry-After}.
     * Registrations that carry a valid initial access token are not counted.
     *
     * @param perAddress how many open registrations one address may make within the window (at least 1)
     * @param window     how long a count lasts: at most one day, as the store keeps counters that long
     */
    public record OpenRateLimit(int perAddress, Duration window) {

        /** The longest window: failure counters are purged after a day ({@code Purger.COUNTER_RETENTION}). */
        public static final Duration MAX_WINDOW = Duration.ofDays(1);
        /** 20 an hour per address: a person's tools register a few times, a script flooding the store is stopped. */
        public static final OpenRateLimit DEFAULT = new OpenRateLimit(20, Duration.ofHours(1));

        public OpenRateLimit {
            Objects.requireNonNull(window, "window");
            if (perAddress < 1) {
                throw new IllegalArgumentException("per-address must be at least 1");
            }
            if (window.isZero() || window.isNegative() || window.compareTo(MAX_WINDOW) > 0) {
                throw new IllegalArgumentException("window must be longer than zero and at most 24h");
            }
        }
    }

    /** The hash that {@link #initialAccessTokenHashes} holds for {@code token}. */
    public static String hash(String token) {
        return Hashes.sha256(token);
    }

    /**
     * {@code true} when {@code token} is one of the initial access tokens. Every configured hash
     * is compared, in constant time, whether or not an earlier one matched.
     */
    public boolean acceptsInitialAccessToken(String token) {
        byte[] given = hash(token).getBytes(StandardCharsets.US_ASCII);
        boolean match = false;
        for (String h : initialAccessTokenHashes) {
            match |= MessageDigest.isEqual(given, h.getBytes(StandardCharsets.US_ASCII));
        }
        return match;
    }

    /**
     * {@code registration.policy} — the limits of what a client may register.
     *
     * @param grants                    the grant types a registered client may have
     * @param scopes                    the scopes it may ask for; a registration without {@code scope} gets them all
     * @param audiences                 the audiences (RFC 8707 resources) it may receive tokens for
     * @param redirectUriSchemes        {@code https}, and {@code http} for loopback hosts only (RFC 8252 §7.3)
     * @param authMethods               the {@code token_endpoint_auth_method} values it may choose
     * @param secretLifetime            how long a generated client secret works ({@code client_secret_expires_at});
     *                                  {@code null} for ever
     * @param jwksUriPrivateNetworks    {@code true} fetches a registered {@code jwks_uri} from loopback and private
     *                                  addresses too; off by default (SSRF)
     */
    public record Policy(Set<String> grants, Set<String> scopes, Set<String> audiences, Set<String> redirectUriSchemes,
                         Set<ClientAuthMethod> authMethods, Duration secretLifetime, boolean jwksUriPrivateNetworks) {

        /** The redirect URI schemes a policy may name. */
        public static final Set<String> SCHEMES = Set.of("https", "http");
        /** The grants registration offers unless the policy says otherwise. */
        public static final Set<String> DEFAULT_GRANTS = Set.of("authorization_code", "refresh_token");
        /**
         * The methods registration offers by default. {@code client_secret_jwt} is not among them: its
         * secret is kept sealed under {@code signing.key-encryption-key}, so a policy offers it only
         * where one is configured, by naming it.
         */
        public static final Set<ClientAuthMethod> DEFAULT_AUTH_METHODS = Set.copyOf(EnumSet.of(ClientAuthMethod.CLIENT_SECRET_BASIC,
                ClientAuthMethod.CLIENT_SECRET_POST, ClientAuthMethod.PRIVATE_KEY_JWT, ClientAuthMethod.NONE));

        public Policy {
            // Ordered as configured: a registration without scope or audiences gets them in this order.
            grants = ordered(grants);
            scopes = ordered(scopes);
            audiences = ordered(audiences);
            redirectUriSchemes = Set.copyOf(redirectUriSchemes);
            authMethods = Set.copyOf(authMethods);
            if (!SCHEMES.containsAll(redirectUriSchemes)) {
                throw new IllegalArgumentException("redirect URI schemes are https and http (loopback only)");
            }
            if (authMethods.contains(ClientAuthMethod.CLIENT_SECRET_JWT) && secretLifetime != null) {
                throw new IllegalArgumentException("client_secret_jwt cannot be offered with a secret lifetime: its sealed secret has no expiry");
            }
            if (secretLifetime != null && (secretLifetime.isZero() || secretLifetime.isNegative())) {
                throw new IllegalArgumentException("the secret lifetime must be longer than zero");
            }
        }

        private static Set<String> ordered(Set<String> values) {
            return java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(values));
        }
    }
}
