package dev.oauthlet;

import dev.oauthlet.audit.AuditListener;
import dev.oauthlet.audit.AuditTrail;
import dev.oauthlet.audit.LogAuditListener;
import dev.oauthlet.authorize.Authorizer;
import dev.oauthlet.authorize.HostLogin;
import dev.oauthlet.authorize.SecondFactor;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.config.AuthorizationConfig;
import dev.oauthlet.config.BaseDirectory;
import dev.oauthlet.config.ConfigException;
import dev.oauthlet.config.ConfigLoader;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.config.TokensConfig;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.dpop.DpopNonces;
import dev.oauthlet.dpop.DpopProofVerifier;
import dev.oauthlet.error.OutageLog;
import dev.oauthlet.grant.AuthorizationCodeGrant;
import dev.oauthlet.grant.ClientCredentialsGrant;
import dev.oauthlet.grant.GrantFactory;
import dev.oauthlet.grant.GrantHandler;
import dev.oauthlet.grant.PasswordGrant;
import dev.oauthlet.grant.RefreshTokenGrant;
import dev.oauthlet.grant.TokenIssuance;
import dev.oauthlet.internal.server.ClientAssertions;
import dev.oauthlet.internal.server.ClientAuthenticator;
import dev.oauthlet.internal.server.ClientCache;
import dev.oauthlet.internal.server.LoginThrottle;
import dev.oauthlet.internal.server.Purger;
import dev.oauthlet.internal.server.SealedClientSecrets;
import dev.oauthlet.internal.server.SecretCheckGate;
import dev.oauthlet.internal.server.StoreUserAuthenticator;
import dev.oauthlet.internal.server.TokenAdministration;
import dev.oauthlet.key.KeyFileKeys;
import dev.oauthlet.key.AheadKey;
import dev.oauthlet.key.KeyManager;
import dev.oauthlet.key.KeySets;
import dev.oauthlet.key.RemoteKeyResolver;
import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.key.SigningKeys;
import dev.oauthlet.metrics.OauthletMetrics;
import dev.oauthlet.spi.SigningKeyStore;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.token.AccessTokenIssuer;
import dev.oauthlet.token.AccessTokenVerifier;
import dev.oauthlet.token.IdTokens;
import dev.oauthlet.token.Revocations;
import dev.oauthlet.token.TokenCustomizer;
import dev.oauthlet.user.UserAuthenticator;
import dev.oauthlet.user.UserInfoSource;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds an {@link Oauthlet}. Grant handlers and token customizers on the class path
 * ({@link ServiceLoader}) are added to those given here; storage comes from {@code storage.url}
 * unless one is given here, which wins.
 */
public final class OauthletBuilder {

    /** How long a DPoP nonce is current; it is accepted for one period more. */
    static final Duration DPOP_NONCE_PERIOD = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(OauthletBuilder.class);

    private OauthletConfig config;
    private Path configFile;
    private String issuer;
    private Storage storage;
    private UserAuthenticator userAuthenticator;
    private final List<GrantHandler> grants = new ArrayList<>();
    private final List<TokenCustomizer> customizers = new ArrayList<>();
    private final List<AuditListener> auditListeners = new ArrayList<>();
    private OauthletMetrics metrics = OauthletMetrics.NONE;
    private Clock clock = Clock.systemUTC();
    private HostLogin hostLogin;
    private SecondFactor secondFactor;
    private UserInfoSource userInfoSource;
    private ClassLoader classLoader = OauthletBuilder.class.getClassLoader();
    private Path baseDirectory;

    OauthletBuilder() {
    }

    /** The configuration, already parsed. */
    public OauthletBuilder config(OauthletConfig config) {
        this.config = Objects.requireNonNull(config);
        return this;
    }

    /** An {@code oauthlet.yml} to read at {@link #build()}. */
    public OauthletBuilder configFile(Path file) {
        this.configFile = Objects.requireNonNull(file);
        return this;
    }

    /**
     * The directory a relative H2 file and a relative {@code signing.key-file} are resolved against.
     * By default {@code oauthlet.home} / {@code OAUTHLET_HOME}, else the directory of {@link #configFile};
     * without either, a relative path stops the start ({@link BaseDirectory}).
     */
    public OauthletBuilder baseDirectory(Path directory) {
        this.baseDirectory = Objects.requireNonNull(directory).toAbsolutePath().normalize();
        return this;
    }

    /** The issuer, overriding the configuration's (e.g. derived from the bound address). */
    public OauthletBuilder issuer(String issuer) {
        this.issuer = issuer;
        return this;
    }

    /** A store to use instead of the one {@code storage.url} names. It is closed with the server. */
    public OauthletBuilder storage(Storage storage) {
        this.storage = storage;
        return this;
    }

    /** Checks users' passwords against the application's own users instead of the built-in store. */
    public OauthletBuilder userAuthenticator(UserAuthenticator authenticator) {
        this.userAuthenticator = authenticator;
        return this;
    }

    /** Adds a grant type, or replaces a built-in one of the same name. */
    public OauthletBuilder grant(GrantHandler handler) {
        grants.add(Objects.requireNonNull(handler));
        return this;
    }

    public OauthletBuilder customizer(TokenCustomizer customizer) {
        customizers.add(Objects.requireNonNull(customizer));
        return this;
    }

    /**
     * Adds a receiver of audit events, besides those {@link ServiceLoader} finds and the
     * {@link LogAuditListener}, which always writes them to the log.
     */
    public OauthletBuilder auditListener(AuditListener listener) {
        auditListeners.add(Objects.requireNonNull(listener));
        return this;
    }

    /**
     * The application signs users in at the authorization endpoint, instead of Oauthlet's login
     * page; with it, {@code authorization.host-login} is left out or {@code application}.
     */
    public OauthletBuilder hostLogin(HostLogin login) {
        this.hostLogin = Objects.requireNonNull(login);
        return this;
    }

    /**
     * Where the userinfo endpoint reads the OpenID Connect claims of users the store does not hold
     * (those of the application's {@link UserAuthenticator} or {@link HostLogin}); replaces one that
     * {@link ServiceLoader} would find.
     */
    public OauthletBuilder userInfoSource(UserInfoSource source) {
        this.userInfoSource = Objects.requireNonNull(source);
        return this;
    }

    /** A step every user must pass before consent and before any code (one-time password, security key). */
    public OauthletBuilder secondFactor(SecondFactor factor) {
        this.secondFactor = Objects.requireNonNull(factor);
        return this;
    }

    /**
     * Where the server counts and times tokens, refusals, sign-ins, lockouts and its filters'
     * requests, e.g. {@code MicrometerMetrics.of(registry)} for an application's own Micrometer
     * registry; by default nothing is recorded. The metrics also receive the audit events.
     */
    public OauthletBuilder metrics(OauthletMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics);
        return this;
    }

    public OauthletBuilder clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        return this;
    }

    /** The class loader ServiceLoader searches; the builder's own by default. */
    public OauthletBuilder classLoader(ClassLoader loader) {
        this.classLoader = Objects.requireNonNull(loader);
        return this;
    }

    /** The grant types every server serves. */
    private static final List<String> BUILT_IN_GRANTS = List.of(ClientCredentialsGrant.TYPE, PasswordGrant.TYPE, RefreshTokenGrant.TYPE,
            AuthorizationCodeGrant.TYPE);

    /**
     * The grant types a server built with {@code loader} serves, the names a configuration may use:
     * the built-in ones, and those {@link ServiceLoader} finds there as a {@link GrantHandler} or a
     * {@link GrantFactory}. Grants added with {@link #grant} come on top.
     */
    public static Set<String> discoverGrantTypes(ClassLoader loader) {
        Set<String> types = new LinkedHashSet<>(BUILT_IN_GRANTS);
        ServiceLoader.load(GrantHandler.class, loader).forEach(g -> types.add(g.grantType()));
        ServiceLoader.load(GrantFactory.class, loader).forEach(f -> types.add(f.grantType()));
        return types;
    }

    /**
     * Reads a configuration file, knowing the grant types the thread's context class loader finds
     * (in a web application, its own {@code WEB-INF/lib} too), or this library's loader when there
     * is none, and {@code extraGrants}.
     */
    public static OauthletConfig readConfig(Path file, Set<String> extraGrants) {
        return configLoader(defaultClassLoader(), extraGrants).load(file);
    }

    /** As {@link #readConfig(Path, Set)}, knowing the grant types {@code loader} finds: give the loader {@link #classLoader} gets. */
    public static OauthletConfig readConfig(Path file, Set<String> extraGrants, ClassLoader loader) {
        return configLoader(loader, extraGrants).load(file);
    }

    /** Reads a configuration from a stream ({@code name} appears in error messages); grant types as {@link #readConfig(Path, Set)}. */
    public static OauthletConfig readConfig(String name, java.io.InputStream in, Set<String> extraGrants) {
        return configLoader(defaultClassLoader(), extraGrants).load(name, in);
    }

    /** As {@link #readConfig(String, java.io.InputStream, Set)}, knowing the grant types {@code loader} finds. */
    public static OauthletConfig readConfig(String name, java.io.InputStream in, Set<String> extraGrants, ClassLoader loader) {
        return configLoader(loader, extraGrants).load(name, in);
    }

    private static ConfigLoader configLoader(ClassLoader loader, Set<String> extraGrants) {
        Set<String> known = new java.util.TreeSet<>(discoverGrantTypes(Objects.requireNonNull(loader, "loader")));
        known.addAll(extraGrants);
        return new ConfigLoader(known, new SecretHasher());
    }

    /** The thread's context class loader, which sees a web application's own jars; this library's when there is none. */
    private static ClassLoader defaultClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : OauthletBuilder.class.getClassLoader();
    }

    public Oauthlet build() {
        Set<String> grantTypes = discoverGrantTypes(classLoader);
        for (GrantHandler g : grants) {
            grantTypes.add(g.grantType());
        }
        OauthletConfig cfg = config;
        if (cfg == null && configFile != null) {
            cfg = new ConfigLoader(grantTypes, new SecretHasher()).load(configFile);
        }
        if (cfg == null) {
            throw new ConfigException("no configuration: call config(...) or configFile(...)");
        }
        if (issuer != null) {
            cfg = cfg.withIssuer(issuer);
        }
        if (cfg.issuer() == null) {
            throw new ConfigException("issuer: missing (set issuer: https://your.host, or let the server derive it from its address)");
        }
        for (ClientRegistration c : cfg.clients()) {
            for (String g : c.grants()) {
                if (!grantTypes.contains(g)) {
                    throw new ConfigException("clients: client '" + c.id() + "' names grant '" + g + "' that no handler serves (known: "
                            + String.join(", ", new java.util.TreeSet<>(grantTypes)) + ")");
                }
            }
        }
        Path base = baseDirectory != null ? baseDirectory
                : BaseDirectory.of(configFile == null ? null : configFile.toAbsolutePath().getParent());
        cfg = BaseDirectory.resolveKeyFile(cfg, base);
        if (storage == null) {
            cfg = BaseDirectory.resolveStorage(cfg, base);
        }
        // A new store needs a first signing key: generate it while the store opens and migrates.
        AheadKey ahead = storage == null && cfg.signing().keyFile() == null && Storages.isNew(cfg.storage())
                ? AheadKey.start(SigningAlgorithm.fromJws(cfg.signing().algorithm())) : AheadKey.NONE;
        Storage store = storage != null ? storage : open(cfg.storage());
        try {
            Oauthlet server = assemble(cfg, store, grantTypes, ahead);
            LOG.info(server.startLine());
            return server;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** Opens the store with the builder's class loader as the context loader, so a JDBC driver in WEB-INF/lib is found. */
    private Storage open(StorageConfig storageConfig) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(classLoader);
        try {
            return Storages.open(storageConfig, classLoader);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * The ID tokens' own RS256 keys, made on first use (a JWKS request or the first ID token). When
     * the server can issue ID tokens and the store holds none of those keys yet, the RSA pair is
     * generated ahead on a thread of its own, so that first request does not wait for it.
     */
    private SigningKeys idTokenKeys(OauthletConfig cfg, Storage store, Set<String> grantTypes, Duration overlap, OutageLog storeOutages) {
        SigningKeyStore view = KeySets.idTokens(store.signingKeys());
        AheadKey ahead = grantTypes.contains(AuthorizationCodeGrant.TYPE) && view.findAll().isEmpty()
                ? AheadKey.start(SigningAlgorithm.RS256) : AheadKey.NONE;
        return KeySets.lazy(() -> new KeyManager(view, SigningAlgorithm.RS256, cfg.signing().rotation(), overlap, clock, storeOutages,
                cfg.signing().keyEncryption(), ahead));
    }

    private Oauthlet assemble(OauthletConfig cfg, Storage opened, Set<String> grantTypes, AheadKey ahead) {
        // Every part of the server shares one client cache, so a change made here is seen here at once.
        Storage store = ClientCache.around(opened);
        List<AuditListener> listeners = new ArrayList<>(List.of(new LogAuditListener()));
        ServiceLoader.load(AuditListener.class, classLoader).forEach(listeners::add);
        listeners.addAll(auditListeners);
        Set<String> declared = new java.util.TreeSet<>();
        cfg.clients().forEach(c -> declared.add(c.id()));
        OauthletMetrics bound = metrics.forServer(Set.copyOf(grantTypes), declared, cfg.metrics().maxClientTags());
        if (bound != OauthletMetrics.NONE) {
            // Sign-ins, lockouts, reuse and revoked families are counted from the same events the audit log writes.
            listeners.add(bound);
        }
        AuditTrail audit = new AuditTrail(listeners);
        DeclaredPrincipals.reconcile(cfg, store, audit, clock);
        SealedClientSecrets.migrate(store.clients(), cfg.signing().keyEncryption());
        SigningAlgorithm alg = SigningAlgorithm.fromJws(cfg.signing().algorithm());
        // One for the whole server: an outage of the store is one WARN, whichever part meets it first.
        OutageLog storeOutages = new OutageLog(LoggerFactory.getLogger(Oauthlet.class), "the store");
        Duration overlap = longestAccessTokenTtl(cfg).plus(cfg.tokens().clockSkew());
        SigningKeys keys = cfg.signing().keyFile() != null
                ? KeyFileKeys.load(cfg.signing().keyFile(), cfg.signing().keyPassword(), alg, overlap, clock)
                : new KeyManager(alg == SigningAlgorithm.RS256 ? store.signingKeys() : KeySets.accessTokens(store.signingKeys()), alg,
                        cfg.signing().rotation(), overlap, clock, storeOutages, cfg.signing().keyEncryption(), ahead);
        // ID tokens are RS256 whatever signs access tokens: a third party must verify them (OpenID Connect Discovery 1.0 §3).
        SigningKeys idTokenKeys = alg == SigningAlgorithm.RS256 ? keys : idTokenKeys(cfg, store, grantTypes, overlap, storeOutages);
        AccessTokenVerifier verifier = new AccessTokenVerifier(keys, Set.of(alg), cfg.issuer(), cfg.tokens().clockSkew(), clock);
        List<TokenCustomizer> allCustomizers = new ArrayList<>();
        ServiceLoader.load(TokenCustomizer.class, classLoader).forEach(allCustomizers::add);
        allCustomizers.addAll(customizers);
        // One cap on concurrent PBKDF2 runs for the whole server: client secrets, passwords, dummy runs.
        SecretCheckGate secretChecks = new SecretCheckGate(cfg.authorization().maxConcurrentSecretChecks(),
                cfg.authorization().maxQueuedSecretChecks(), AuthorizationConfig.SECRET_CHECK_WAIT);
        UserAuthenticator users = userAuthenticator != null ? userAuthenticator : new StoreUserAuthenticator(store.users(), secretChecks);
        // One throttle per concern: usernames (login page and password grant alike), and client ids.
        LoginThrottle loginThrottle = new LoginThrottle(store.failureCounters(), cfg.authorization(), clock, audit);
        LoginThrottle clientThrottle = LoginThrottle.forClients(store.failureCounters(), cfg.authorization(), clock, audit);
        TokenIssuance issuance = new TokenIssuance(cfg.issuer(), cfg.tokens(), store.refreshTokens(), new AccessTokenIssuer(keys),
                allCustomizers, new Revocations(store.revokedTokens(), clock), overlap, clock, audit)
                .withIdTokens(new IdTokens(cfg.issuer(), idTokenKeys, clock));
        Map<String, GrantHandler> handlers = grants(store, users, loginThrottle);
        ClientAuthenticator clientAuthenticator = new ClientAuthenticator(store.clients(), clientThrottle, secretChecks, clock,
                cfg.verifiedSecrets(), clientAssertions(cfg, store));
        TokensConfig.Proofs proofs = cfg.tokens().proofs();
        DpopProofVerifier dpop = new DpopProofVerifier(proofs.dpopProofMaxAge(), cfg.tokens().clockSkew(),
                (key, until) -> store.usedJtis().markUsed(key, until, clock.instant()),
                proofs.dpopNonce() ? new DpopNonces(() -> keys.current().signingKey().getEncoded(), DPOP_NONCE_PERIOD, clock) : null,
                clock);
        Authorizer authorizer = new Authorizer(cfg, store, users, loginThrottle, keys, clock, hostLogin(cfg), secondFactor());
        TokenAdministration administration = new TokenAdministration(store, verifier, cfg.tokens(), cfg::introspectAudiences,
                issuance.revocations(), issuance::revokeFamily, clock, audit);
        Purger purger = Purger.start(store, cfg.storage().purgeInterval(), cfg.tokens().clockSkew(), clock);
        Discovery discovery = new Discovery(cfg, keys, idTokenKeys, handlers.keySet());
        return new Oauthlet(cfg, store, handlers, keys, verifier, issuance, clientAuthenticator, authorizer, administration, discovery,
                dpop, clock, purger, storeOutages, audit, bound, userInfoSource());
    }

    /**
     * Every grant, each given the collaborators it uses: the built-in ones, then those
     * {@link ServiceLoader} finds, then the builder's, a later one replacing an earlier one of its type.
     */
    private Map<String, GrantHandler> grants(Storage store, UserAuthenticator users, LoginThrottle loginThrottle) {
        Map<String, GrantHandler> handlers = new LinkedHashMap<>();
        List<GrantHandler> all = new ArrayList<>(List.of(new ClientCredentialsGrant(), new PasswordGrant(users, loginThrottle),
                new RefreshTokenGrant(store.refreshTokens(), store.clients(), users),
                new AuthorizationCodeGrant(store.authorizationCodes(), store.clients())));
        ServiceLoader.load(GrantHandler.class, classLoader).forEach(all::add);
        GrantFactory.Services services = new GrantFactory.Services(store, users, clock);
        for (GrantFactory factory : ServiceLoader.load(GrantFactory.class, classLoader)) {
            GrantHandler made = factory.create(services);
            if (!made.grantType().equals(factory.grantType())) {
                throw new IllegalStateException(factory.getClass().getName() + " names grant type '" + factory.grantType()
                        + "' but made a grant of type '" + made.grantType() + "'");
            }
            all.add(made);
        }
        all.addAll(grants);
        all.forEach(g -> handlers.put(g.grantType(), g));
        return handlers;
    }

    /** The builder's {@link HostLogin}, or with {@code host-login: application} the one ServiceLoader finds. */
    private HostLogin hostLogin(OauthletConfig cfg) {
        AuthorizationConfig.HostLoginMode mode = cfg.authorization().hostLogin();
        if (hostLogin != null) {
            if (mode == AuthorizationConfig.HostLoginMode.CONTAINER) {
                throw new ConfigException("authorization.host-login: 'container', but a HostLogin was given to the builder as well: "
                        + "leave host-login out (or set it to application) to use the builder's");
            }
            return hostLogin;
        }
        if (mode != AuthorizationConfig.HostLoginMode.APPLICATION) {
            return null;
        }
        List<HostLogin> found = new ArrayList<>();
        ServiceLoader.load(HostLogin.class, classLoader).forEach(found::add);
        if (found.size() != 1) {
            throw new ConfigException("authorization.host-login: 'application' needs exactly one HostLogin (found " + found.size()
                    + "): give it to Oauthlet.builder().hostLogin(...) or list it in META-INF/services/dev.oauthlet.authorize.HostLogin");
        }
        return found.get(0);
    }

    /** The builder's {@link UserInfoSource}, or the one ServiceLoader finds; none when there is none. */
    private UserInfoSource userInfoSource() {
        return userInfoSource != null ? userInfoSource : atMostOneService(UserInfoSource.class);
    }

    /** The builder's {@link SecondFactor}, or the one ServiceLoader finds; none when there is none. */
    private SecondFactor secondFactor() {
        return secondFactor != null ? secondFactor : atMostOneService(SecondFactor.class);
    }

    /** The one provider of {@code type} ServiceLoader finds, {@code null} for none; several stop the start, naming them. */
    private <T> T atMostOneService(Class<T> type) {
        List<T> found = new ArrayList<>();
        ServiceLoader.load(type, classLoader).forEach(found::add);
        if (found.size() > 1) {
            throw new ConfigException("more than one " + type.getSimpleName() + " in META-INF/services/" + type.getName() + ": "
                    + found.stream().map(f -> f.getClass().getName()).sorted().toList() + "; list one, or give it to the builder");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    /**
     * JWT client authentication: the issuer as {@code aud}, the first token endpoint as the legacy one,
     * {@code client_secret_jwt} secrets from the configuration, or for stored clients sealed under the
     * key-encryption key.
     */
    private ClientAssertions clientAssertions(OauthletConfig cfg, Storage store) {
        Map<String, String> shared = new HashMap<>();
        for (ClientRegistration c : cfg.clients()) {
            if (c.keys().sharedSecret() != null) {
                shared.put(c.id(), c.keys().sharedSecret());
            }
        }
        String tokenEndpoint = cfg.endpoints().token().isEmpty() ? null : cfg.issuer() + cfg.endpoints().token().get(0).path();
        return new ClientAssertions(cfg.issuer(), tokenEndpoint, cfg.tokens().proofs().clientAssertionLegacyAudience(),
                store.usedJtis(), c -> SealedClientSecrets.secret(c, shared, cfg.signing().keyEncryption()), RemoteKeyResolver.Settings.defaults(),
                cfg.tokens().clockSkew(), clock,
                cfg.registration() != null && cfg.registration().policy().jwksUriPrivateNetworks());
    }

    private static Duration longestAccessTokenTtl(OauthletConfig cfg) {
        Duration max = cfg.tokens().accessTokenTtl();
        for (ClientRegistration c : cfg.clients()) {
            Duration d = c.tokens().accessTokenTtl();
            if (d != null && d.compareTo(max) > 0) {
                max = d;
            }
        }
        return max;
    }
}
