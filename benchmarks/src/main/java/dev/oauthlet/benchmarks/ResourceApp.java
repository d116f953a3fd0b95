package dev.oauthlet.benchmarks;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.servlet.BearerTokenFilter;
import dev.oauthlet.servlet.OauthletServlets;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The Oauthlet side of {@code benchmarks/run.sh}'s resource scenarios, as its own process so its CPU
 * can be read from {@code /proc}: Jetty 12 on loopback with Oauthlet's endpoints (H2 file store under
 * {@code ./data}, client {@code bench-client}), and the same few bytes of JSON at {@code /open} (no
 * filter), {@code /protected} (a {@link BearerTokenFilter} with its default verified-token cache) and
 * {@code /fresh} (a filter whose cache holds 16 tokens, so a client cycling through many tokens
 * misses it every time). Jetty's connector is set up as README.md advises for a resource server that
 * only APIs call: a header cache of 256 characters, which no access token fits in. Usage:
 * {@code java -cp benchmarks.jar dev.oauthlet.benchmarks.ResourceApp PORT}.
 */
public final class ResourceApp {

    private ResourceApp() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Server jetty = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setHeaderCacheSize(256);
        ServerConnector connector = new ServerConnector(jetty, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        jetty.addConnector(connector);
        // Run by hand from the directory that keeps its data, as the example is.
        Oauthlet oauthlet = Oauthlet.builder().config(Fixtures.config("jdbc:h2:file:./data/oauthlet"))
                .issuer("http://127.0.0.1:" + port).baseDirectory(java.nio.file.Path.of("")).build();
        ServletContextHandler ctx = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        OauthletServlets.servlets(oauthlet).forEach((path, servlet) -> ctx.addServlet(new ServletHolder(servlet), path));
        for (String path : new String[] {"/open", "/protected", "/fresh"}) {
            ctx.addServlet(new ServletHolder(new FilterLoad.Ok()), path);
        }
        ctx.addFilter(new FilterHolder(new BearerTokenFilter(oauthlet, Map.of("audience", "api"))), "/protected",
                EnumSet.of(DispatcherType.REQUEST));
        ctx.addFilter(new FilterHolder(new BearerTokenFilter(oauthlet, Map.of("audience", "api", "cache-size", "16"))), "/fresh",
                EnumSet.of(DispatcherType.REQUEST));
        jetty.setHandler(ctx);
        jetty.start();
        System.out.println("listening on http://127.0.0.1:" + port);
        jetty.join();
    }
}
