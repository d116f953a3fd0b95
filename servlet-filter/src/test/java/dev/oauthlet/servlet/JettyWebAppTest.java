package dev.oauthlet.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.servlet.embedding.MetricsListener;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The test WAR in Jetty 12 (ee10 {@link WebAppContext}), configured by its web.xml alone, plus
 * docs/operations.md's {@link MetricsListener}, which hands the listener a registry.
 */
class JettyWebAppTest extends ContainerWebAppContract {

    private static final SimpleMeterRegistry REGISTRY = new SimpleMeterRegistry();

    private static Server jetty;
    private static WebAppContext webapp;
    private static String url;

    @BeforeAll
    static void deploy() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        connector.open();
        url = "http://127.0.0.1:" + connector.getLocalPort() + CONTEXT;
        webapp = deployWar(WEBAPP, url);
        // Added before start, so it runs before web.xml's listeners, as one declared first in web.xml would.
        Metrics.addRegistry(REGISTRY);
        webapp.addEventListener(new MetricsListener());
        jetty.setHandler(webapp);
        jetty.start();
    }

    /** A web application from an exploded directory whose classes come from the test class path. */
    static WebAppContext deployWar(java.nio.file.Path dir, String issuer) {
        WebAppContext w = new WebAppContext();
        w.setContextPath(CONTEXT);
        w.setBaseResourceAsPath(dir.toAbsolutePath());
        w.setParentLoaderPriority(true);
        w.setThrowUnavailableOnStartupException(true);
        if (issuer != null) {
            w.setInitParameter(OauthletContextListener.ISSUER_PARAM, issuer);
        }
        return w;
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        Metrics.removeRegistry(REGISTRY);
    }

    @Test
    void metricsWhenAnEarlierListenerSetTheAttributeThenTheServerAndItsFiltersRecordToTheRegistry() {
        double issued = REGISTRY.counter("oauthlet.tokens.issued", "client", "backoffice-app", "grant", "client_credentials").count();
        double refused = REGISTRY.counter("oauthlet.bearer.refused", "reason", "no_token", "resource", "back-office").count();

        backOfficeToken(null);
        assertEquals(401, TestHttp.get(appUrl() + "/api/back-office/orders", null).status());

        assertEquals(issued + 1, REGISTRY.counter("oauthlet.tokens.issued", "client", "backoffice-app", "grant", "client_credentials").count());
        assertEquals(refused + 1, REGISTRY.counter("oauthlet.bearer.refused", "reason", "no_token", "resource", "back-office").count());
    }

    @Override
    String appUrl() {
        return url;
    }

    @Override
    Oauthlet oauthlet() {
        return OauthletContextListener.of(webapp.getServletContext());
    }
}
