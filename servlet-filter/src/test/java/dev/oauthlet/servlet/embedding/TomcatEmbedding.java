package dev.oauthlet.servlet.embedding;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.servlet.BearerTokenFilter;
import dev.oauthlet.servlet.OauthletServlets;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.http.HttpServlet;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.startup.Tomcat;

/** The README's Tomcat embedding, verbatim between the markers; EmbeddingTest runs it. */
public final class TomcatEmbedding {

    private TomcatEmbedding() {
    }

    /** A running Tomcat and the server it embeds; close both when done. */
    public record Embedded(Tomcat tomcat, Oauthlet oauthlet) {
    }

    public static Embedded start(Path configFile, String issuer, int port, HttpServlet ordersApi, Path baseDir) throws Exception {
        // README-BEGIN tomcat
        Oauthlet oauthlet = Oauthlet.builder().configFile(configFile).issuer(issuer).build();
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        tomcat.setPort(port);
        tomcat.getConnector();
        Context context = tomcat.addContext("", null);
        // Servlets and filters registered in code go in through an initializer, as the Servlet spec asks.
        context.addServletContainerInitializer((classes, ctx) -> {
            // The token endpoint(s), JWKS and metadata; also publishes the server for web.xml-declared filters.
            OauthletServlets.install(ctx, oauthlet);
            FilterRegistration.Dynamic bearer = ctx.addFilter("bearer", new BearerTokenFilter(oauthlet, Map.of(
                    "audience", "back-office",
                    "path-scopes", "POST /api/orders/* = orders:write")));
            bearer.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/api/*");
            ctx.addServlet("orders", ordersApi).addMapping("/api/orders/*");
        }, null);
        tomcat.start();
        // README-END tomcat
        return new Embedded(tomcat, oauthlet);
    }
}
