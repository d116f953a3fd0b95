package dev.oauthlet.modulecheck;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.servlet.BearerTokenFilter;
import dev.oauthlet.servlet.OauthletServlets;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Serves Oauthlet with Jetty on a free loopback port, takes a client_credentials token over HTTP and
 * calls a resource behind the Bearer filter with it; prints what it saw, one fact a line.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Module core = Oauthlet.class.getModule();
        System.out.println("core module: " + core.getName());
        System.out.println("servlet module: " + BearerTokenFilter.class.getModule().getName());
        System.out.println("internal exported: " + core.isExported("dev.oauthlet.internal.server"));
        try (Oauthlet oauthlet = Oauthlet.builder().configFile(Path.of(args[0])).build()) {
            System.out.println("grants: " + oauthlet.grantTypes().stream().sorted().toList());
            Server jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
            ServletContextHandler context = new ServletContextHandler();
            OauthletServlets.servlets(oauthlet).forEach((path, servlet) -> context.addServlet(new ServletHolder(servlet), path));
            context.addFilter(new FilterHolder(new BearerTokenFilter(oauthlet, "orders", Set.of("orders:read"))), "/api/*",
                    EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new Me()), "/api/me");
            jetty.setHandler(context);
            jetty.start();
            try {
                String base = "http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort();
                HttpClient http = HttpClient.newHttpClient();
                String basic = Base64.getEncoder().encodeToString("machine:machine-secret".getBytes(StandardCharsets.UTF_8));
                HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(base + "/oauth/token"))
                        .header("Authorization", "Basic " + basic)
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=orders:read")).build(),
                        HttpResponse.BodyHandlers.ofString());
                System.out.println("token status: " + token.statusCode());
                Matcher m = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(token.body());
                if (!m.find()) {
                    throw new IllegalStateException("no access token in " + token.body());
                }
                HttpResponse<String> me = http.send(HttpRequest.newBuilder(URI.create(base + "/api/me"))
                        .header("Authorization", "Bearer " + m.group(1)).build(), HttpResponse.BodyHandlers.ofString());
                System.out.println("resource: " + me.statusCode() + " " + me.body());
                HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(URI.create(base + "/api/me")).build(),
                        HttpResponse.BodyHandlers.ofString());
                System.out.println("without token: " + anonymous.statusCode());
            } finally {
                jetty.stop();
            }
        }
    }

    /** The protected resource: answers with the token's subject. */
    private static final class Me extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print("subject=" + req.getUserPrincipal().getName());
        }
    }
}
