package dev.oauthlet.servlet;

import dev.oauthlet.Oauthlet;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The test WAR in Jetty 12 (ee10 {@link WebAppContext}), configured by its web.xml alone. */
class JettyWebAppTest extends ContainerWebAppContract {

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
