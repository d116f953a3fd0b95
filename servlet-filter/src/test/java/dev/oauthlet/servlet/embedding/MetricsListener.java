package dev.oauthlet.servlet.embedding;

import dev.oauthlet.metrics.micrometer.MicrometerMetrics;
import dev.oauthlet.servlet.OauthletContextListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

/** docs/operations.md's listener that gives a web.xml deployment its registry; JettyWebAppTest runs it. */
// README-BEGIN web-xml-metrics
public final class MetricsListener implements ServletContextListener {
    @Override
    public void contextInitialized(ServletContextEvent event) {
        MeterRegistry registry = Metrics.globalRegistry; // or the application's own registry
        event.getServletContext().setAttribute(OauthletContextListener.METRICS_ATTRIBUTE, MicrometerMetrics.of(registry));
    }
}
// README-END web-xml-metrics
