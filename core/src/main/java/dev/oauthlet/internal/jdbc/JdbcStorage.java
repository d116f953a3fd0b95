package dev.oauthlet.internal.jdbc;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.oauthlet.config.StorageConfig;
import dev.oauthlet.spi.AuthorizationCodeStore;
import dev.oauthlet.spi.ClientStore;
import dev.oauthlet.spi.ConsentStore;
import dev.oauthlet.spi.FailureCounterStore;
import dev.oauthlet.spi.UsedJtiStore;
import dev.oauthlet.spi.RefreshTokenStore;
import dev.oauthlet.spi.RevokedTokenStore;
import dev.oauthlet.spi.SigningKeyStore;
import dev.oauthlet.spi.Storage;
import dev.oauthlet.spi.UserStore;
import javax.sql.DataSource;

/**
 * Every store over one HikariCP pool, or over a container-managed {@link DataSource} for a
 * {@code jndi:} URL; the schema is migrated when it opens.
 */
public final class JdbcStorage implements Storage {

    private final HikariDataSource pool;
    private final Class<?> driver;
    private final ClientStore clients;
    private final UserStore users;
    private final RefreshTokenStore refreshTokens;
    private final AuthorizationCodeStore codes;
    private final ConsentStore consents;
    private final SigningKeyStore keys;
    private final RevokedTokenStore revoked;
    private final FailureCounterStore counters;
    private final UsedJtiStore usedJtis;

    /**
     * Opens the database, waiting up to {@code storage.wait-at-start} for it to accept connections.
     *
     * @throws StorageException with one line saying which store, what failed and what to do
     */
    public JdbcStorage(StorageConfig config) {
        DataSource dataSource;
        if (config.url().startsWith(StorageConfig.JNDI)) {
            this.pool = null;
            this.driver = null;
            dataSource = JndiDataSources.lookup(config.url().substring(StorageConfig.JNDI.length()));
            JndiDataSources.await(dataSource, config);
        } else {
            this.driver = JdbcDrivers.load(config.url());
            this.pool = openPool(config, driver);
            dataSource = pool;
        }
        try {
            Migrations.apply(dataSource);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
        Jdbc jdbc = new Jdbc(dataSource);
        this.clients = new JdbcClientStore(jdbc);
        this.users = new JdbcUserStore(jdbc);
        this.refreshTokens = new JdbcRefreshTokenStore(jdbc);
        this.codes = new JdbcAuthorizationCodeStore(jdbc);
        this.consents = new JdbcSmallStores.Consents(jdbc);
        this.keys = new JdbcKeyStore(jdbc);
        this.revoked = new JdbcSmallStores.Revoked(jdbc);
        this.counters = new JdbcSmallStores.Counters(jdbc);
        this.usedJtis = new JdbcSmallStores.UsedJtis(jdbc);
    }

    private static HikariDataSource openPool(StorageConfig config, Class<?> driver) {
        HikariConfig hc = new HikariConfig();
        hc.setJdbcUrl(jdbcUrl(config.url()));
        if (driver != null) {
            hc.setDriverClassName(driver.getName());
        }
        hc.setUsername(config.username());
        hc.setPassword(config.password());
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(Math.min(2, config.poolSize()));
        hc.setConnectionTimeout(Math.max(250, config.connectionTimeout().toMillis()));
        hc.setValidationTimeout(Math.max(250, Math.min(config.connectionTimeout().toMillis(), 5_000)));
        // Hikari retries the first connection this long; 1 ms means one attempt.
        hc.setInitializationFailTimeout(Math.max(1, config.waitAtStart().toMillis()));
        hc.setPoolName("oauthlet");
        try {
            return new HikariDataSource(hc);
        } catch (RuntimeException e) {
            JdbcDrivers.deregister(driver);
            throw StartFailures.cannotOpen(config, e);
        }
    }

    /**
     * The URL the pool opens. Embedded H2 closes its database from a JVM shutdown hook of its own,
     * under requests still draining; Oauthlet closes its pool itself when it stops, so that hook is
     * turned off ({@code DB_CLOSE_ON_EXIT=FALSE}) unless the URL sets it. An H2 server (tcp, ssl)
     * and other databases are left as given.
     */
    static String jdbcUrl(String url) {
        boolean embeddedH2 = url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:h2:tcp:") && !url.startsWith("jdbc:h2:ssl:");
        if (!embeddedH2 || url.toUpperCase(java.util.Locale.ROOT).contains(";DB_CLOSE_ON_EXIT=")) {
            return url;
        }
        return url + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    @Override
    public ClientStore clients() {
        return clients;
    }

    @Override
    public UserStore users() {
        return users;
    }

    @Override
    public RefreshTokenStore refreshTokens() {
        return refreshTokens;
    }

    @Override
    public AuthorizationCodeStore authorizationCodes() {
        return codes;
    }

    @Override
    public ConsentStore consents() {
        return consents;
    }

    @Override
    public SigningKeyStore signingKeys() {
        return keys;
    }

    @Override
    public RevokedTokenStore revokedTokens() {
        return revoked;
    }

    @Override
    public FailureCounterStore failureCounters() {
        return counters;
    }

    /** Closes the pool (a container-managed data source is the container's) and deregisters the driver it loaded. */
    @Override
    public UsedJtiStore usedJtis() {
        return usedJtis;
    }

    @Override
    public void close() {
        try {
            if (pool != null) {
                pool.close();
            }
        } finally {
            JdbcDrivers.deregister(driver);
        }
    }
}
