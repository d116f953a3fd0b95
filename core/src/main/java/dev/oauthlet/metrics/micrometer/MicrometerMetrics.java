package dev.oauthlet.metrics.micrometer;

import dev.oauthlet.metrics.OauthletMetrics;
import dev.oauthlet.metrics.ResourceMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Objects;
import java.util.Set;

/**
 * Oauthlet's meters in a Micrometer {@link MeterRegistry} — the application's own, or the
 * Prometheus registry the Jetty example serves: {@code Oauthlet.builder().metrics(MicrometerMetrics.of(registry))}.
 * docs/operations.md lists every meter, its type and its tags with their bounds.
 *
 * <p>The builder binds these metrics to its server ({@link #forServer}), which registers the
 * server's meters; a {@code BearerTokenFilter} registers its own when it starts
 * ({@link #resource}). Unbound, they record nothing of a token endpoint, so a resource server
 * without one shows only its filters' meters.
 *
 * <p>Needs {@code io.micrometer:micrometer-core} on the class path, which Oauthlet's core declares
 * optional: only this package uses it, and nothing loads it unless the application calls {@link #of}.
 */
public final class MicrometerMetrics implements OauthletMetrics {

    /** The tag value shared by every grant type, client or reason beyond the bounds. */
    public static final String OTHER = "other";

    private final MeterRegistry registry;

    private MicrometerMetrics(MeterRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Metrics to be registered in {@code registry}. */
    public static MicrometerMetrics of(MeterRegistry registry) {
        return new MicrometerMetrics(registry);
    }

    /** The registry the meters go to. */
    public MeterRegistry registry() {
        return registry;
    }

    @Override
    public OauthletMetrics forServer(Set<String> grantTypes, Set<String> declaredClients, int maxClientTags) {
        return new ServerMeters(registry, grantTypes, declaredClients, maxClientTags);
    }

    @Override
    public ResourceMetrics resource(String resource) {
        return new MicrometerResourceMetrics(registry, resource);
    }
}
