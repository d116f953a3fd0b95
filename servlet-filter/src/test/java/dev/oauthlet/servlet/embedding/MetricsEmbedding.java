package dev.oauthlet.servlet.embedding;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.metrics.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;

/** The README's metrics snippet, verbatim between the markers; EmbeddingTest runs it. */
public final class MetricsEmbedding {

    private MetricsEmbedding() {
    }

    public static Oauthlet build(Path configFile, String issuer, MeterRegistry registry) {
        // README-BEGIN metrics
        // Any Micrometer registry: Prometheus, OTLP, JMX, the one Spring Boot or Quarkus gives you.
        Oauthlet oauthlet = Oauthlet.builder().configFile(configFile).issuer(issuer).metrics(MicrometerMetrics.of(registry)).build();
        // README-END metrics
        return oauthlet;
    }
}
