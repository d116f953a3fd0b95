package dev.oauthlet.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code server:} — how the process that hosts Oauthlet stops.
 *
 * @param stopTimeout how long a stop waits for requests in flight to finish before the store is
 *                    closed under the rest (default 10s; zero waits for nothing)
 */
public record ServerConfig(Duration stopTimeout) {

    /** The longest drain accepted: beyond it, orchestrators (Kubernetes 30 s, systemd 90 s) kill the process anyway. */
    public static final Duration MAX_STOP_TIMEOUT = Duration.ofMinutes(5);

    public ServerConfig {
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        if (stopTimeout.isNegative() || stopTimeout.compareTo(MAX_STOP_TIMEOUT) > 0) {
            throw new IllegalArgumentException("stop-timeout must be from 0s to 5m");
        }
    }

    public static ServerConfig defaults() {
        return new ServerConfig(Duration.ofSeconds(10));
    }
}
