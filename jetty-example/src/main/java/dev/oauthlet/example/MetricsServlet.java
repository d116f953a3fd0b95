package dev.oauthlet.example;

import dev.oauthlet.config.MetricsConfig;
import dev.oauthlet.servlet.OAuthResponses;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code endpoints.metrics} with {@code metrics: {enabled: true}}: the Prometheus text exposition
 * of the example's registry, to {@code GET} from an address in {@code metrics.allowed-addresses}
 * (the connection's own address: a proxy in front must restrict the path itself). Any other
 * address gets {@code 403}, any other method {@code 405}.
 */
final class MetricsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;
    /** The Prometheus text format, version 0.0.4, which every Prometheus server reads. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final transient PrometheusMeterRegistry registry;
    private final transient MetricsConfig config;

    MetricsServlet(PrometheusMeterRegistry registry, MetricsConfig config) {
        this.registry = registry;
        this.config = config;
    }

    @Override
    protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        if (!"GET".equals(req.getMethod()) && !"HEAD".equals(req.getMethod())) {
            resp.setHeader("Allow", "GET, HEAD");
            OAuthResponses.json(resp, 405, OAuthResponses.errorJson("invalid_request", "the metrics are read with GET"));
            return;
        }
        if (!config.allows(req.getRemoteAddr())) {
            OAuthResponses.json(resp, 403, OAuthResponses.errorJson("access_denied",
                    "this address may not read the metrics (metrics.allowed-addresses)"));
            return;
        }
        byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
        resp.setStatus(200);
        resp.setContentType(CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        if ("GET".equals(req.getMethod())) {
            resp.getOutputStream().write(body);
        }
    }
}
