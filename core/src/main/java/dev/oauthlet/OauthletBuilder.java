package dev.oauthlet;

import dev.oauthlet.audit.AuditListener;
import dev.oauthlet.audit.AuditTrail;
import dev.oauthlet.audit.LogAuditListener;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.config.AuthorizationConfig;
import dev.oauthlet.config.BaseDirectory;
import dev.oauthlet.config.ConfigException;
import dev.oauthlet.config.ConfigLoader;
import dev.oauthlet.config.OauthletConfig;
import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.error.OutageLog;
import dev.oauthlet.grant.GrantContext;
import dev.oauthlet.grant.GrantHandler;
import dev.oauthlet.internal.server.LoginThrottle;
import dev.oauthlet.internal.server.Purger;
import dev.oauthlet.internal.server.SecretCheckGate;
import dev.oauthlet.internal.server.StoreUserAuthenticator;
import dev.oauthlet.key.KeyFileKeys;
import dev.oauthlet.key.KeyManager;
import dev.oauthlet.key.SigningAlgorithm;
import dev.oauthlet.key.SigningKeys;
import dev.oauthlet.metrics.OauthletMetrics;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.token.AccessTokenIssuer;
import dev.oauthlet.token.AccessTokenVerifier;
import dev.oauthlet.token.Revocations;
import dev.oauthlet.token.TokenCustomizer;
import dev.oauthlet.user.UserAuthenticator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

    /** The grant handlers found on the class path, by grant type; the names a configuration may use. */
    public static Map<String, GrantHandler> discoverGrants(ClassLoader loader) {
        Map<String, GrantHandler> found = new LinkedHashMap<>();
        ServiceLoader.load(GrantHandler.class, loader).forEach(g -> found.put(g.grantType(), g));
        if (found.isEmpty()) {
            throw new IllegalStateException("no GrantHandler found on the class path: is oauthlet-core's META-INF/services intact?");
        }
        return found;
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
        Set<String> known = new java.util.TreeSet<>(discoverGrants(Objects.requireNonNull(loader, "loader")).keySet());
        known.addAll(extraGrants);
        return new ConfigLoader(known, new SecretHasher());
    }

    /** The thread's context class loader, which sees a web application's own jars; this library's when there is none. */
    private static ClassLoader defaultClassLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : OauthletBuilder.class.getClassLoader();
    }

    public Oauthlet build() {
        Map<String, GrantHandler> handlers = discoverGrants(classLoader);
        for (GrantHandler g : grants) {
            handlers.put(g.grantType(), g);
        }
        OauthletConfig cfg = config;
        if (cfg == null && configFile != null) {
            cfg = new ConfigLoader(handlers.keySet(), new SecretHasher()).load(configFile);
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
                if (!handlers.containsKey(g)) {
                    throw new ConfigException("clients: client '" + c.id() + "' names grant '" + g + "' that no handler serves (known: "
                            + String.join(", ", new java.util.TreeSet<>(handlers.keySet())) + ")");
                }
            }
        }
        Path base = baseDirectory != null ? baseDirectory
                : BaseDirectory.of(configFile == null ? null : configFile.toAbsolutePath().getParent());
        cfg = BaseDirectory.resolveKeyFile(cfg, base);
        if (storage == null) {
            cfg = BaseDirectory.resolveStorage(cfg, base);
        }
        Storage store = storage != null ? storage : open(cfg.storage());
        try {
            Oauthlet server = assemble(cfg, store, handlers);
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

    private Oauthlet assemble(OauthletConfig cfg, Storage store, Map<String, GrantHandler> handlers) {
        DeclaredPrincipals.reconcile(cfg, store);
        SigningAlgorithm alg = SigningAlgorithm.fromJws(cfg.signing().algorithm());
        // One for the whole server: an outage of the store is one WARN, whichever part meets it first.
        OutageLog storeOutages = new OutageLog(LoggerFactory.getLogger(Oauthlet.class), "the store");
        Duration overlap = longestAccessTokenTtl(cfg).plus(cfg.tokens().clockSkew());
        SigningKeys keys = cfg.signing().keyFile() != null
                ? KeyFileKeys.load(cfg.signing().keyFile(), cfg.signing().keyPassword(), alg, overlap, clock)
                : new KeyManager(store.signingKeys(), alg, cfg.signing().rotation(), overlap, clock, storeOutages);
        AccessTokenVerifier verifier = new AccessTokenVerifier(keys, Set.of(alg), cfg.issuer(), cfg.tokens().clockSkew(), clock);
        List<TokenCustomizer> allCustomizers = new ArrayList<>();
        ServiceLoader.load(TokenCustomizer.class, classLoader).forEach(allCustomizers::add);
        allCustomizers.addAll(customizers);
        // One cap on concurrent PBKDF2 runs for the whole server: client secrets, passwords, dummy runs.
        SecretCheckGate secretChecks = new SecretCheckGate(cfg.authorization().maxConcurrentSecretChecks(),
                cfg.authorization().maxQueuedSecretChecks(), AuthorizationConfig.SECRET_CHECK_WAIT);
        UserAuthenticator users = userAuthenticator != null ? userAuthenticator : new StoreUserAuthenticator(store.users(), secretChecks);
        LoginThrottle loginThrottle = new LoginThrottle(store.failureCounters(), cfg.authorization(), clock);
        GrantContext context = new GrantContext(cfg.issuer(), cfg.tokens(), store, users, new AccessTokenIssuer(keys), loginThrottle,
                allCustomizers, new Revocations(store.revokedTokens(), clock), overlap, clock);
        Purger purger = Purger.start(store, cfg.storage().purgeInterval(), cfg.tokens().clockSkew(), clock);
        List<AuditListener> listeners = new ArrayList<>(List.of(new LogAuditListener()));
        ServiceLoader.load(AuditListener.class, classLoader).forEach(listeners::add);
        listeners.addAll(auditListeners);
        Set<String> declared = new java.util.TreeSet<>();
        cfg.clients().forEach(c -> declared.add(c.id()));
        OauthletMetrics bound = metrics.forServer(Set.copyOf(handlers.keySet()), declared, dev.oauthlet.config.MetricsConfig.DEFAULT_MAX_CLIENT_TAGS); // TEMP until OauthletConfig.metrics
        if (bound != OauthletMetrics.NONE) {
            // Sign-ins, lockouts, reuse and revoked families are counted from the same events the audit log writes.
            listeners.add(bound);
        }
        return new Oauthlet(cfg, store, handlers, keys, verifier, context, secretChecks, clock, purger, storeOutages,
                new AuditTrail(listeners), bound);
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
