package dev.oauthlet.config;

import java.util.List;
import java.util.Objects;

/**
 * {@code metrics:} — the meters an embedding host serves, and how many client ids they tag.
 *
 * @param enabled          the Jetty example registers Prometheus meters and serves them at
 *                         {@code endpoints.metrics}; off by default. An application that gives the
 *                         builder its own metrics records to them either way.
 * @param allowedAddresses who may read {@code endpoints.metrics}: the connection's address must be in
 *                         one of these addresses or CIDR ranges (default loopback only,
 *                         {@code 127.0.0.0/8} and {@code ::1}); any other gets {@code 403}
 * @param maxClientTags    how many client ids besides those of the file get a {@code client} tag of
 *                         their own; the rest share {@code other} (default 20, at most 1000)
 */
public record MetricsConfig(boolean enabled, List<String> allowedAddresses, int maxClientTags) {

    /** Loopback only. */
    public static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1");
    public static final int DEFAULT_MAX_CLIENT_TAGS = 20;
    public static final int MAX_CLIENT_TAGS = 1000;

    private static final MetricsConfig DEFAULTS = new MetricsConfig(false, LOOPBACK, DEFAULT_MAX_CLIENT_TAGS);

    /**
     * @throws IllegalArgumentException for an entry that is not an address or CIDR range, or a tag bound out of range
     */
    public MetricsConfig {
        allowedAddresses = List.copyOf(Objects.requireNonNull(allowedAddresses, "allowedAddresses"));
        TrustedProxies.parse(allowedAddresses);
        if (maxClientTags < 0 || maxClientTags > MAX_CLIENT_TAGS) {
            throw new IllegalArgumentException("max-client-tags must be from 0 to " + MAX_CLIENT_TAGS);
        }
    }

    public static MetricsConfig defaults() {
        return DEFAULTS;
    }

    /** {@code true} when a connection from {@code address} may read the metrics. */
    public boolean allows(String address) {
        return address != null && TrustedProxies.parse(allowedAddresses).trusted(address);
    }
}
