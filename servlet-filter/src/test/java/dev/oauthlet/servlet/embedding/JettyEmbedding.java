package dev.oauthlet.servlet.embedding;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.servlet.BearerTokenFilter;
import dev.oauthlet.servlet.OauthletServlets;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/** The README's Jetty embedding, verbatim between the markers; EmbeddingTest runs it. */
public final class JettyEmbedding {

    private JettyEmbedding() {
    }

    /** A running Jetty and the server it embeds; close both when done. */
    public record Embedded(Server jetty, Oauthlet oauthlet) {
    }

    public static Embedded start(Path configFile, String issuer, int port, HttpServlet ordersApi) throws Exception {
        // README-BEGIN jetty
        Oauthlet oauthlet = Oauthlet.builder().configFile(configFile).issuer(issuer).build();
        Server jetty = new Server(port);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        // The token endpoint(s), JWKS and metadata, at the paths oauthlet.yml names; with async support they
        // read request bodies without holding a thread, so slow clients cannot exhaust the pool.
        OauthletServlets.servlets(oauthlet).forEach((path, servlet) -> context.addServlet(servlet, path).setAsyncSupported(true));
        // Back-office tokens only; POSTs to orders also need orders:write. Same keys as web.xml init-params.
        BearerTokenFilter bearer = new BearerTokenFilter(oauthlet, Map.of(
                "audience", "back-office",
                "path-scopes", "POST /api/orders/* = orders:write"));
        context.addFilter(new FilterHolder(bearer), "/api/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(ordersApi), "/api/orders/*");
        jetty.setHandler(context);
        jetty.start();
        // README-END jetty
        return new Embedded(jetty, oauthlet);
    }
}
