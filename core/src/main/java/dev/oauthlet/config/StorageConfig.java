package dev.oauthlet.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code storage:} — where clients, users, refresh tokens, codes and keys live.
 *
 * @param url               {@code memory}, or a JDBC URL such as {@code jdbc:h2:file:./data/oauthlet} or {@code jdbc:postgresql://...}
 * @param username          the database user
 * @param password          the database password
 * @param poolSize          the most connections the pool opens
 * @param connectionTimeout how long a request waits for a connection before answering 503
 * @param purgeInterval     how often expired rows are deleted; zero turns purging off
 * @param waitAtStart       how long the start waits for the database to accept connections; zero fails at once
 */
public record StorageConfig(String url, String username, String password, int poolSize,
                            Duration connectionTimeout, Duration purgeInterval, Duration waitAtStart) {

    public static final String MEMORY = "memory";
    public static final int DEFAULT_POOL_SIZE = 10;
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(3);
    public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(10);
    /** The prefix of a container-managed {@code javax.sql.DataSource} looked up through JNDI. */
    public static final String JNDI = "jndi:";

    public StorageConfig {
        Objects.requireNonNull(url, "url");
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        connectionTimeout = connectionTimeout == null ? DEFAULT_CONNECTION_TIMEOUT : connectionTimeout;
        purgeInterval = purgeInterval == null ? DEFAULT_PURGE_INTERVAL : purgeInterval;
        waitAtStart = waitAtStart == null ? Duration.ZERO : waitAtStart;
    }

    /** A storage that fails at once when its database is not there at start. */
    public StorageConfig(String url, String username, String password, int poolSize, Duration connectionTimeout, Duration purgeInterval) {
        this(url, username, password, poolSize, connectionTimeout, purgeInterval, Duration.ZERO);
    }

    /** This storage at another URL, e.g. with a relative path resolved. */
    public StorageConfig withUrl(String newUrl) {
        return new StorageConfig(newUrl, username, password, poolSize, connectionTimeout, purgeInterval, waitAtStart);
    }

    public static StorageConfig memory() {
        return new StorageConfig(MEMORY, "", "", DEFAULT_POOL_SIZE, null, null);
    }

    public static StorageConfig jdbc(String url, String username, String password) {
        return new StorageConfig(url, username, password, DEFAULT_POOL_SIZE, null, null);
    }

    @Override
    public String toString() {
        return "StorageConfig[url=" + url + ", username=" + username + ", poolSize=" + poolSize + "]";
    }
}
