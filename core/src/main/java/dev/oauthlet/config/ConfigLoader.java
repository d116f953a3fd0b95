package dev.oauthlet.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.oauthlet.client.ClientAuthMethod;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.client.RefreshRotation;
import dev.oauthlet.config.TokenEndpointConfig.RequestFormat;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.crypto.VerifiedSecrets;
import dev.oauthlet.crypto.KeyEncryptionKey;
import dev.oauthlet.crypto.KeyEncryptionKeys;
import dev.oauthlet.error.ErrorCode;
import dev.oauthlet.user.UserAccount;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code oauthlet.yml} into an {@link OauthletConfig}, validating every key. Plain
 * {@code secret} and {@code password} values are hashed here and not kept. {@code ${NAME}} in any
 * value is replaced first ({@link Placeholders}).
 */
public final class ConfigLoader {

    private static final List<String> TOP_KEYS = List.of(
            "issuer", "storage", "signing", "tokens", "endpoints", "audiences", "scopes", "clients", "users", "authorization", "pages",
            "server", "cors", "metrics", "registration");

    private final Set<String> knownGrants;
    private final SecretHasher hasher;
    private final Placeholders placeholders;

    /**
     * @param knownGrants the grant types the server has handlers for; a client naming another is refused
     * @param hasher      hashes plain secrets and passwords
     */
    public ConfigLoader(Set<String> knownGrants, SecretHasher hasher) {
        this(knownGrants, hasher, Placeholders.fromSystem());
    }

    /** As {@link #ConfigLoader(Set, SecretHasher)}, resolving {@code ${...}} in values through {@code placeholders}. */
    public ConfigLoader(Set<String> knownGrants, SecretHasher hasher, Placeholders placeholders) {
        this.knownGrants = new TreeSet<>(knownGrants);
        this.hasher = hasher;
        this.placeholders = placeholders;
    }

    public OauthletConfig load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(file.getFileName().toString(), in);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getMessage() + ")", e);
        }
    }

    /** Reads configuration from {@code in}; {@code name} is used in error messages. */
    public OauthletConfig load(String name, InputStream in) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(in);
        } catch (IOException e) {
            throw new ConfigException(name + ": not valid YAML (" + e.getMessage().lines().findFirst().orElse("") + ")", e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException(name + ": is empty (see docs/configuration.md for the keys)");
        }
        return parse(new ConfigNode(name, "", placeholders.resolveTree(name, root)));
    }

    private OauthletConfig parse(ConfigNode root) {
        root.allowOnly(TOP_KEYS);
        // Each configuration gets its own memory of the plain secrets it hashes, for the one server built from it.
        VerifiedSecrets secrets = new VerifiedSecrets();
        PrincipalsReader principals = new PrincipalsReader(knownGrants, hasher, secrets);
        String issuer = root.string("issuer", null);
        if (issuer != null) {
            try {
                issuer = Issuers.normalize(issuer);
            } catch (IllegalArgumentException e) {
                throw root.child("issuer").error(e.getMessage());
            }
        }
        StorageConfig storage = root.has("storage") ? storage(root.child("storage")) : StorageConfig.memory();
        SigningConfig signing = root.has("signing") ? signing(root.child("signing")) : SigningConfig.defaults();
        TokensConfig tokens = root.has("tokens") ? tokens(root.child("tokens")) : TokensConfig.defaults();
        EndpointsConfig endpoints = root.has("endpoints") ? endpoints(root.child("endpoints")) : EndpointsConfig.defaults();
        List<String> audiences = audiences(root);
        var scopes = root.stringMap("scopes");
        List<ClientRegistration> clients = root.eachInParallel("clients", n -> principals.client(n, audiences));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < clients.size(); i++) {
            if (!ids.add(clients.get(i).id())) {
                throw root.elementError("clients", i, "duplicate client id '" + clients.get(i).id() + "' (each id once)");
            }
        }
        for (int i = 0; i < clients.size(); i++) {
            ClientRegistration c = clients.get(i);
            RefreshRotation own = c.tokens().refreshRotation();
            if (c.publicClient() && c.allowsGrant("refresh_token") && (own != null ? own : tokens.refreshRotation()) == RefreshRotation.KEEP) {
                // RFC 9700 4.14.2: a public client's refresh token must rotate or be sender-constrained; Oauthlet has no
                // sender-constraining yet (DPoP will allow keep with dpop: required).
                throw own != null
                        ? root.elementError("clients", i, "refresh-token-rotation: keep is refused for public client '" + c.id()
                                + "': its refresh token would be a bearer credential that never changes (RFC 9700 4.14.2); use rotate")
                        : root.elementError("clients", i, "public client '" + c.id() + "' would inherit tokens.refresh-token-rotation:"
                                + " keep, which is refused for public clients (RFC 9700 4.14.2); set refresh-token-rotation: rotate on it");
            }
        }
        java.util.Map<String, Set<String>> introspect = new java.util.HashMap<>();
        List<Set<String>> listed = root.each("clients", n -> PrincipalsReader.introspectAudiences(n, audiences));
        for (int i = 0; i < clients.size(); i++) {
            if (!listed.get(i).isEmpty()) {
                introspect.put(clients.get(i).id(), listed.get(i));
            }
        }
        List<UserAccount> users = root.eachInParallel("users", principals::user);
        Set<String> names = new HashSet<>();
        for (int i = 0; i < users.size(); i++) {
            if (!names.add(users.get(i).username())) {
                throw root.elementError("users", i, "duplicate username '" + users.get(i).username() + "'");
            }
        }
        Set<String> subjects = new HashSet<>();
        for (int i = 0; i < users.size(); i++) {
            if (!subjects.add(users.get(i).subject())) {
                throw root.elementError("users", i, "subject '" + users.get(i).subject()
                        + "' is another user's already (each subject names one user, for good)");
            }
        }
        AuthorizationConfig authorization = root.has("authorization") ? authorization(root.child("authorization"))
                : AuthorizationConfig.defaults();
        PagesConfig pages = root.has("pages") ? pages(root.child("pages")) : PagesConfig.defaults();
        ServerConfig server = root.has("server") ? server(root.child("server")) : ServerConfig.defaults();
        CorsConfig cors = root.has("cors") ? cors(root.child("cors")) : CorsConfig.none();
        MetricsConfig metrics = root.has("metrics") ? metrics(root.child("metrics")) : MetricsConfig.defaults();
        RegistrationConfig registration = root.has("registration") ? registration(root.child("registration"), audiences, scopes,
                signing.keyEncryption().configured()) : null;
        if (registration == null && root.has("endpoints") && root.child("endpoints").has("registration")) {
            throw root.child("endpoints").child("registration").error("is set, but registration: is missing (add registration:"
                    + " {initial-access-token: ${REGISTRATION_TOKEN}} to serve it; see docs/configuration.md)");
        }
        return new OauthletConfig(issuer, storage, signing, tokens, endpoints, audiences, scopes, clients, users, authorization, pages,
                server, cors, introspect, metrics, registration, secrets);
    }

    /** Plain names, or absolute URIs that are RFC 8707 resource indicators; a space would split the token's aud. */
    private static List<String> audiences(ConfigNode root) {
        List<String> audiences = root.strings("audiences");
        for (int i = 0; i < audiences.size(); i++) {
            String a = audiences.get(i);
            if (a.isBlank() || a.chars().anyMatch(Character::isWhitespace)) {
                throw root.elementError("audiences", i, "'" + a + "' is empty or contains a space (name an API, e.g. back-office)");
            }
            if (a.contains(":") && !dev.oauthlet.protocol.ResourceIndicators.isIndicator(a)) {
                throw root.elementError("audiences", i, "'" + a + "' is not an absolute URI without fragment (RFC 8707), "
                        + "e.g. https://api.example.com/orders; a plain name must not contain ':'");
            }
        }
        return audiences;
    }

    private static CorsConfig cors(ConfigNode n) {
        n.allowOnly(List.of("allowed-origins"));
        List<String> origins = n.strings("allowed-origins");
        for (int i = 0; i < origins.size(); i++) {
            String o = origins.get(i);
            if (!isOrigin(o)) {
                throw n.elementError("allowed-origins", i, "'" + o + "' is not an origin: write scheme://host[:port] without path "
                        + "or trailing slash, https (http only on localhost), e.g. https://app.example.com");
            }
        }
        return new CorsConfig(origins);
    }

    private static boolean isOrigin(String o) {
        try {
            java.net.URI u = new java.net.URI(o);
            boolean secure = "https".equals(u.getScheme()) || ("http".equals(u.getScheme()) && u.getHost() != null
                    && RedirectUris.isLoopback(u.getHost()));
            return secure && u.getHost() != null && u.getRawPath().isEmpty() && u.getRawQuery() == null && u.getRawFragment() == null
                    && u.getRawUserInfo() == null && o.equals(u.getScheme() + "://" + u.getRawAuthority())
                    && o.equals(o.toLowerCase(java.util.Locale.ROOT));
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private AuthorizationConfig authorization(ConfigNode n) {
        n.allowOnly(List.of("pkce-required", "pkce-plain-allowed", "session-ttl", "login-max-failures-per-user",
                "login-max-failures-per-address", "login-failure-window", "login-failure-delay", "max-concurrent-secret-checks",
                "login-max-failures-per-user-any-address", "max-queued-secret-checks", "trusted-proxies", "host-login"));
        AuthorizationConfig d = AuthorizationConfig.defaults();
        Duration delay = n.duration("login-failure-delay", d.loginFailureDelay());
        int perUser = n.integer("login-max-failures-per-user", d.maxLoginFailuresPerUser(), 1, 1000);
        int anyAddress = n.integer("login-max-failures-per-user-any-address",
                Math.max(AuthorizationConfig.DEFAULT_ANY_ADDRESS_CEILING, perUser), 1, 100_000);
        int concurrent = n.integer("max-concurrent-secret-checks", d.maxConcurrentSecretChecks(), 1, 1000);
        TrustedProxies proxies;
        try {
            proxies = TrustedProxies.parse(n.strings("trusted-proxies"));
        } catch (IllegalArgumentException e) {
            throw n.child("trusted-proxies").error(e.getMessage());
        }
        return checked(n, () -> new AuthorizationConfig(
                n.bool("pkce-required", d.pkceRequired()),
                n.bool("pkce-plain-allowed", d.pkcePlainAllowed()),
                n.positiveDuration("session-ttl", d.sessionTtl()),
                perUser,
                n.integer("login-max-failures-per-address", d.maxLoginFailuresPerAddress(), 1, 100_000),
                n.positiveDuration("login-failure-window", d.loginFailureWindow()),
                delay,
                concurrent,
                anyAddress,
                n.integer("max-queued-secret-checks", AuthorizationConfig.defaultQueue(concurrent), 0, 100_000),
                proxies,
                hostLogin(n)));
    }

    private static AuthorizationConfig.HostLoginMode hostLogin(ConfigNode n) {
        String v = n.string("host-login", "oauthlet");
        return switch (v) {
            case "oauthlet" -> AuthorizationConfig.HostLoginMode.OAUTHLET;
            case "container" -> AuthorizationConfig.HostLoginMode.CONTAINER;
            case "application" -> AuthorizationConfig.HostLoginMode.APPLICATION;
            default -> throw n.child("host-login").error("expected oauthlet, container or application, got '" + v + "'");
        };
    }

    private PagesConfig pages(ConfigNode n) {
        n.allowOnly(List.of("name", "logo-url", "primary-color", "background-color", "languages", "messages", "templates"));
        PagesConfig d = PagesConfig.defaults();
        List<String> languages = n.strings("languages");
        return checked(n, () -> new PagesConfig(n.string("name", d.name()), n.string("logo-url", null),
                n.string("primary-color", d.primaryColor()), n.string("background-color", d.backgroundColor()),
                languages.isEmpty() ? d.languages() : languages, n.string("messages", null), n.string("templates", null)));
    }

    /**
     * Builds a record whose compact constructor owns the rules; its refusal, {@code "key: problem"},
     * is told at that key of the file.
     */
    private static <T> T checked(ConfigNode n, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            String m = String.valueOf(e.getMessage());
            int colon = m.indexOf(": ");
            if (colon > 0 && m.substring(0, colon).matches("[a-z][a-z-]*")) {
                throw n.child(m.substring(0, colon)).error(m.substring(colon + 2));
            }
            throw n.error(m);
        }
    }

    private StorageConfig storage(ConfigNode n) {
        n.allowOnly(List.of("url", "username", "password", "pool-size", "connection-timeout", "purge-interval", "wait-at-start"));
        String url = n.string("url", StorageConfig.MEMORY);
        if (!url.equals(StorageConfig.MEMORY) && !url.contains(":")) {
            throw n.child("url").error("expected 'memory' or a JDBC URL such as jdbc:h2:file:./data/oauthlet, got '" + url + "'");
        }
        Duration wait = n.duration("wait-at-start", Duration.ZERO);
        if (wait.isNegative()) {
            throw n.child("wait-at-start").error("must not be negative (0s fails at once when the database is not there)");
        }
        return new StorageConfig(url, n.string("username", ""), n.string("password", ""),
                n.integer("pool-size", StorageConfig.DEFAULT_POOL_SIZE, 1, 500),
                n.duration("connection-timeout", StorageConfig.DEFAULT_CONNECTION_TIMEOUT),
                n.duration("purge-interval", StorageConfig.DEFAULT_PURGE_INTERVAL), wait);
    }

    private ServerConfig server(ConfigNode n) {
        n.allowOnly(List.of("stop-timeout"));
        try {
            return new ServerConfig(n.duration("stop-timeout", ServerConfig.defaults().stopTimeout()));
        } catch (IllegalArgumentException e) {
            throw n.child("stop-timeout").error(e.getMessage().replaceFirst("^stop-timeout ", "")
                    + " (how long a stop lets requests in flight finish)");
        }
    }

    private SigningConfig signing(ConfigNode n) {
        n.allowOnly(List.of("algorithm", "rotation", "key-file", "key-password", "key-encryption-key", "previous-key-encryption-keys"));
        String alg = n.string("algorithm", "RS256");
        if (!SigningConfig.ALGORITHMS.contains(alg)) {
            throw n.child("algorithm").error("unknown algorithm '" + alg + "' (known: " + String.join(", ", SigningConfig.ALGORITHMS) + ")");
        }
        String keyFile = n.string("key-file", null);
        Duration rotation = n.duration("rotation", null);
        if (keyFile != null && rotation != null) {
            throw n.child("rotation").error("cannot be used with key-file (keys in a file are rotated by replacing the file)");
        }
        if (rotation != null && (rotation.isZero() || rotation.isNegative())) {
            throw n.child("rotation").error("must be longer than zero");
        }
        if (keyFile == null && n.has("key-password")) {
            throw n.child("key-password").error("is only used with key-file");
        }
        return new SigningConfig(alg, rotation, keyFile == null ? null : Path.of(keyFile), n.string("key-password", null),
                keyEncryption(n));
    }

    /**
     * {@code key-encryption-key} and {@code previous-key-encryption-keys}: base64 of 32 bytes each. An
     * empty value (an unset {@code ${OAUTHLET_KEK:-}}) means none. Messages never quote a key.
     */
    private static KeyEncryptionKeys keyEncryption(ConfigNode n) {
        String current = n.string("key-encryption-key", "");
        List<String> previous = n.strings("previous-key-encryption-keys");
        if (current.isBlank()) {
            if (previous.stream().anyMatch(p -> !p.isBlank())) {
                throw n.child("previous-key-encryption-keys").error("only with key-encryption-key, the key they are re-encrypted "
                        + "under (set signing.key-encryption-key to the new key)");
            }
            return KeyEncryptionKeys.none();
        }
        KeyEncryptionKey kek;
        try {
            kek = KeyEncryptionKey.parse(current);
        } catch (IllegalArgumentException e) {
            throw n.child("key-encryption-key").error(e.getMessage());
        }
        List<KeyEncryptionKey> earlier = new java.util.ArrayList<>();
        for (int i = 0; i < previous.size(); i++) {
            if (!previous.get(i).isBlank()) {
                try {
                    earlier.add(KeyEncryptionKey.parse(previous.get(i)));
                } catch (IllegalArgumentException e) {
                    throw n.elementError("previous-key-encryption-keys", i, e.getMessage());
                }
            }
        }
        try {
            return new KeyEncryptionKeys(kek, earlier);
        } catch (IllegalArgumentException e) {
            throw n.error(e.getMessage());
        }
    }

    private TokensConfig tokens(ConfigNode n) {
        n.allowOnly(List.of("access-token-ttl", "refresh-token-ttl", "refresh-token-rotation", "refresh-token-reuse-grace",
                "authorization-code-ttl", "expired-token-error", "expired-token-max-age", "clock-skew", "token-type",
                "scope-separator", "refresh-token-max-lifetime", "dpop-nonce", "dpop-proof-max-age", "client-assertion-legacy-audience"));
        TokensConfig d = TokensConfig.defaults();
        String err = n.string("expired-token-error", d.expiredTokenError().code());
        ErrorCode expiredError = ErrorCode.fromCode(err);
        if (expiredError != ErrorCode.INVALID_TOKEN && expiredError != ErrorCode.AUTH_EXPIRED) {
            throw n.child("expired-token-error").error("unknown value '" + err + "' (known: invalid_token, auth_expired)");
        }
        String tokenType = n.string("token-type", d.tokenType());
        if (!tokenType.equalsIgnoreCase(TokensConfig.BEARER)) {
            throw n.child("token-type").error("'" + tokenType + "' is not a spelling of Bearer (use Bearer or bearer)");
        }
        String separator = n.string("scope-separator", d.scopeSeparator());
        if (!TokensConfig.SCOPE_SEPARATORS.contains(separator)) {
            throw n.child("scope-separator").error("'" + separator + "' is not one of \" \", \",\" or \", \" (quote it in YAML)");
        }
        Duration refreshTtl = n.positiveDuration("refresh-token-ttl", d.refreshTokenTtl());
        Duration maxLifetime = n.positiveDuration("refresh-token-max-lifetime", null);
        if (maxLifetime != null && maxLifetime.compareTo(refreshTtl) < 0) {
            throw n.child("refresh-token-max-lifetime").error("is shorter than refresh-token-ttl (" + refreshTtl.toDays()
                    + "d): a family must outlive its first token; raise it or lower refresh-token-ttl");
        }
        return new TokensConfig(
                n.positiveDuration("access-token-ttl", d.accessTokenTtl()),
                refreshTtl,
                n.choice("refresh-token-rotation", d.refreshRotation(), RefreshRotation.class),
                n.duration("refresh-token-reuse-grace", d.refreshReuseGrace()),
                n.positiveDuration("authorization-code-ttl", d.authorizationCodeTtl()),
                expiredError,
                n.duration("expired-token-max-age", d.expiredTokenMaxAge()),
                n.duration("clock-skew", d.clockSkew()),
                tokenType,
                separator,
                maxLifetime,
                new TokensConfig.Proofs(n.bool("dpop-nonce", false),
                        n.positiveDuration("dpop-proof-max-age", TokensConfig.Proofs.DEFAULTS.dpopProofMaxAge()),
                        n.bool("client-assertion-legacy-audience", false)));
    }

    private EndpointsConfig endpoints(ConfigNode n) {
        n.allowOnly(List.of("token", "refresh", "revocation", "introspection", "authorize", "jwks", "metadata", "end-session", "health",
                "registration", "userinfo", "metrics"));
        EndpointsConfig d = EndpointsConfig.defaults();
        List<TokenEndpointConfig> token = n.has("token") ? n.each("token", this::tokenEndpoint) : d.token();
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < token.size(); i++) {
            if (!paths.add(token.get(i).path())) {
                throw n.elementError("token", i, "path '" + token.get(i).path() + "' is configured twice");
            }
        }
        return new EndpointsConfig(token, path(n, "refresh", d.refresh()), path(n, "revocation", d.revocation()),
                path(n, "introspection", d.introspection()), path(n, "authorize", d.authorize()), path(n, "jwks", d.jwks()),
                path(n, "metadata", d.metadata()), path(n, "end-session", d.endSession()), path(n, "health", d.health()),
                registrationPath(n), path(n, "userinfo", d.userinfo()), path(n, "metrics", d.metrics()));
    }

    private static String registrationPath(ConfigNode n) {
        String p = path(n, "registration", EndpointsConfig.REGISTRATION);
        if (p.length() > 1 && p.endsWith("/")) {
            throw n.child("registration").error("must not end with '/' (each client's registration URI is PATH/CLIENT_ID)");
        }
        return p;
    }

    /**
     * {@code registration:} — initial access tokens (hashed here, the plain text not kept), open
     * registration, and the policy, whose lists default to what the rest of the file offers.
     */
    private RegistrationConfig registration(ConfigNode n, List<String> audiences, java.util.Map<String, String> scopes,
                                            boolean keyEncryption) {
        n.allowOnly(List.of("initial-access-token", "open", "open-rate-limit", "policy"));
        List<String> tokens = n.strings("initial-access-token");
        List<String> hashes = new java.util.ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).length() < RegistrationConfig.MIN_TOKEN_LENGTH) {
                throw n.elementError("initial-access-token", i, "shorter than " + RegistrationConfig.MIN_TOKEN_LENGTH
                        + " characters; generate one (openssl rand -base64 32) and give it from the environment, e.g. ${REGISTRATION_TOKEN}");
            }
            hashes.add(RegistrationConfig.hash(tokens.get(i)));
        }
        boolean open = n.bool("open", false);
        if (hashes.isEmpty() && !open) {
            throw n.error("nobody could register: give initial-access-token (e.g. ${REGISTRATION_TOKEN}), or open: true to let any client register");
        }
        RegistrationConfig.Policy policy = registrationPolicy(n, n.has("policy") ? n.child("policy") : null, audiences, scopes,
                keyEncryption);
        return new RegistrationConfig(hashes, open, policy, n.has("open-rate-limit") ? openRateLimit(n.child("open-rate-limit")) : null);
    }

    /** {@code registration.open-rate-limit: {per-address: 20, window: 1h}}. */
    private static RegistrationConfig.OpenRateLimit openRateLimit(ConfigNode n) {
        n.allowOnly(List.of("per-address", "window"));
        RegistrationConfig.OpenRateLimit d = RegistrationConfig.OpenRateLimit.DEFAULT;
        int perAddress = n.integer("per-address", d.perAddress(), 1, 1_000_000);
        Duration window = n.positiveDuration("window", d.window());
        if (window.compareTo(RegistrationConfig.OpenRateLimit.MAX_WINDOW) > 0) {
            throw n.child("window").error("is longer than 24h; the store keeps its counts for a day (e.g. window: 1h)");
        }
        return new RegistrationConfig.OpenRateLimit(perAddress, window);
    }

    /** The list at {@code key} of {@code n}, each element among {@code known}; {@code defaults} when absent. */
    private static Set<String> among(ConfigNode n, String key, java.util.Collection<String> known, java.util.Collection<String> defaults,
                                     String what, String hint) {
        if (n == null || !n.has(key)) {
            return new java.util.LinkedHashSet<>(defaults);
        }
        Set<String> out = new java.util.LinkedHashSet<>();
        List<String> listed = n.strings(key);
        for (int i = 0; i < listed.size(); i++) {
            if (!known.contains(listed.get(i))) {
                throw n.elementError(key, i, "unknown " + what + " '" + listed.get(i) + "' (known: " + hint + ")");
            }
            out.add(listed.get(i));
        }
        return out;
    }

    private RegistrationConfig.Policy registrationPolicy(ConfigNode registration, ConfigNode n, List<String> audiences,
                                                         java.util.Map<String, String> scopes, boolean keyEncryption) {
        if (n != null) {
            n.allowOnly(List.of("grants", "scopes", "audiences", "redirect-uri-schemes", "token-endpoint-auth-methods",
                    "client-secret-lifetime", "jwks-uri-private-networks"));
        }
        List<String> defaultGrants = RegistrationConfig.Policy.DEFAULT_GRANTS.stream().filter(knownGrants::contains).sorted().toList();
        Set<String> grants = among(n, "grants", knownGrants, defaultGrants, "grant", String.join(", ", knownGrants));
        Set<String> audienceSet = among(n, "audiences", audiences, audiences, "audience", String.join(", ", audiences));
        if (audienceSet.isEmpty()) {
            throw registration.error("no audience to offer registered clients (list audiences: at the top level)");
        }
        // The top-level scopes: map keeps no order, so its scopes are offered sorted.
        Set<String> scopeSet = new java.util.LinkedHashSet<>(n != null && n.has("scopes") ? n.strings("scopes") : new TreeSet<>(scopes.keySet()));
        Set<String> schemes = among(n, "redirect-uri-schemes", RegistrationConfig.Policy.SCHEMES, List.of("https", "http"), "scheme",
                "https, http; http is allowed on loopback hosts only");
        Set<ClientAuthMethod> methods = EnumSet.noneOf(ClientAuthMethod.class);
        if (n != null && n.has("token-endpoint-auth-methods")) {
            List<String> listed = n.strings("token-endpoint-auth-methods");
            for (int i = 0; i < listed.size(); i++) {
                ClientAuthMethod m = ClientAuthMethod.fromWire(listed.get(i));
                if (m == null) {
                    throw n.elementError("token-endpoint-auth-methods", i, "unknown method '" + listed.get(i) + "' (known: "
                            + "client_secret_basic, client_secret_post, private_key_jwt, client_secret_jwt, none)");
                }
                if (m == ClientAuthMethod.CLIENT_SECRET_JWT && !keyEncryption) {
                    throw n.elementError("token-endpoint-auth-methods", i, "client_secret_jwt needs signing.key-encryption-key: its"
                            + " secret is the HMAC key, kept encrypted under that key (set one, e.g. ${OAUTHLET_KEK}, or drop client_secret_jwt)");
                }
                methods.add(m);
            }
        } else {
            methods.addAll(RegistrationConfig.Policy.DEFAULT_AUTH_METHODS);
        }
        Duration lifetime = n == null ? null : n.positiveDuration("client-secret-lifetime", null);
        if (lifetime != null && methods.contains(ClientAuthMethod.CLIENT_SECRET_JWT)) {
            throw n.child("client-secret-lifetime").error("cannot be set while token-endpoint-auth-methods offers client_secret_jwt:"
                    + " its sealed secret has no expiry (drop one of the two)");
        }
        return new RegistrationConfig.Policy(grants, scopeSet, audienceSet, schemes, methods, lifetime,
                n != null && n.bool("jwks-uri-private-networks", false));
    }

    private TokenEndpointConfig tokenEndpoint(ConfigNode n) {
        n.allowOnly(List.of("path", "formats"));
        String p = path(n, "path", null);
        if (p == null) {
            throw n.error("missing 'path' (e.g. path: /oauth/token)");
        }
        Set<RequestFormat> formats = EnumSet.noneOf(RequestFormat.class);
        List<String> names = n.has("formats") ? n.strings("formats") : List.of("form");
        for (int i = 0; i < names.size(); i++) {
            String f = names.get(i);
            RequestFormat match = null;
            for (RequestFormat rf : RequestFormat.values()) {
                if (rf.configName().equals(f)) {
                    match = rf;
                }
            }
            if (match == null) {
                throw n.elementError("formats", i, "unknown format '" + f + "' (known: form, json, query)");
            }
            formats.add(match);
        }
        if (formats.isEmpty()) {
            throw n.child("formats").error("empty (list at least one of form, json, query)");
        }
        return new TokenEndpointConfig(p, formats);
    }

    private static String path(ConfigNode n, String key, String defaultValue) {
        String p = n.string(key, defaultValue);
        if (p != null && (!p.startsWith("/") || p.contains("*") || p.contains("?") || p.contains(" "))) {
            throw n.child(key).error("must be a plain path starting with '/', got '" + p + "'");
        }
        return p;
    }

    private static MetricsConfig metrics(ConfigNode n) {
        n.allowOnly(List.of("enabled", "allowed-addresses", "max-client-tags"));
        boolean enabled = n.bool("enabled", false);
        int maxClientTags = n.integer("max-client-tags", MetricsConfig.DEFAULT_MAX_CLIENT_TAGS, 0, MetricsConfig.MAX_CLIENT_TAGS);
        List<String> allowed = n.has("allowed-addresses") ? n.strings("allowed-addresses") : MetricsConfig.LOOPBACK;
        try {
            return new MetricsConfig(enabled, allowed, maxClientTags);
        } catch (IllegalArgumentException e) {
            // The tag bound was checked above: what is left is an entry that is no address.
            throw n.child("allowed-addresses").error(e.getMessage() + "; list who may read the metrics, e.g. [127.0.0.1, 10.0.0.0/8]");
        }
    }
}
