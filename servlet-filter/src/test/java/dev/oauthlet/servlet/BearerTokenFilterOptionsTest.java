package dev.oauthlet.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.config.ConfigLoader;
import dev.oauthlet.OauthletBuilder;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.servlet.testapp.ResourceServlet;
import jakarta.servlet.DispatcherType;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.EnumSet;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The RFC 6750 form-body and query token forms, path scopes on HEAD, and refusal of a misspelt init-param. */
class BearerTokenFilterOptionsTest {

    private static Server jetty;
    private static Oauthlet oauthlet;
    private static String base;

    @BeforeAll
    static void start() throws Exception {
        try (InputStream in = BearerTokenFilterOptionsTest.class.getClassLoader().getResourceAsStream("oauthlet.yml")) {
            var config = new ConfigLoader(OauthletBuilder.discoverGrantTypes(BearerTokenFilterOptionsTest.class.getClassLoader()),
                    new SecretHasher(1000)).load("oauthlet.yml", in);
            oauthlet = Oauthlet.builder().config(config).issuer("http://127.0.0.1").build();
        }
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        OauthletServlets.servlets(oauthlet).forEach((path, servlet) -> context.addServlet(new ServletHolder(servlet), path));
        context.addFilter(new FilterHolder(new BearerTokenFilter(oauthlet, Map.of("audience", "back-office"))), "/header-only/*",
                EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(new BearerTokenFilter(oauthlet, Map.of("audience", "back-office",
                "token-in-form", "true", "token-in-query", "true"))), "/any-form/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(new FilterHolder(new BearerTokenFilter(oauthlet, Map.of("audience", "back-office",
                "path-scopes", "GET /path-scoped/* = orders:write"))), "/path-scoped/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ResourceServlet()), "/*");
        jetty.setHandler(context);
        jetty.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        oauthlet.close();
    }

    private static String token() {
        return TestHttp.clientCredentialsToken(base + "/oauth/token", "backoffice-app", "backoffice-secret", null);
    }

    @Test
    void queryTokenWhenEnabledThenAcceptedAndResponseMarkedPrivate() {
        TestHttp.Response r = TestHttp.get(base + "/any-form/orders?access_token=" + token(), null);

        assertEquals(200, r.status(), r.body());
        assertEquals("private", r.header("Cache-Control"));
    }

    @Test
    void formBodyTokenWhenEnabledThenAccepted() {
        TestHttp.Response r = TestHttp.send(HttpRequest.newBuilder(URI.create(base + "/any-form/orders"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("access_token=" + token())).build());

        assertEquals(200, r.status(), r.body());
        assertEquals("backoffice-app", r.json().get("user").asText());
    }

    @Test
    void formBodyTokenWhenNotEnabledThenTreatedAsNoToken() {
        TestHttp.Response r = TestHttp.send(HttpRequest.newBuilder(URI.create(base + "/header-only/orders"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("access_token=" + token())).build());

        assertEquals(401, r.status());
        assertEquals("Bearer realm=\"oauthlet\"", r.header("WWW-Authenticate"));
    }

    @Test
    void tokenWhenInHeaderAndQueryAtOnceThen400InvalidRequest() {
        String token = token();
        TestHttp.Response r = TestHttp.get(base + "/any-form/orders?access_token=" + token, token);

        assertEquals(400, r.status());
        assertEquals("Bearer realm=\"oauthlet\", error=\"invalid_request\", error_description=\"the request carries more than one "
                + "access token\"", r.header("WWW-Authenticate"));
    }

    @Test
    void queryTokenWhenQueryIsNotPercentEncodedThen400InvalidRequest() throws Exception {
        // java.net.URI refuses '%zz', so the request goes out over a bare socket.
        String response;
        try (Socket s = new Socket("127.0.0.1", URI.create(base).getPort())) {
            s.getOutputStream().write(("GET /any-form/orders?access_token=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            response = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }

        assertTrue(response.startsWith("HTTP/1.1 400 "), response);
        assertTrue(response.contains("WWW-Authenticate: Bearer realm=\"oauthlet\", error=\"invalid_request\", "
                + "error_description=\"the parameters are not properly percent-encoded\""), response);
    }

    @Test
    void headWhenGetRuleNeedsAScopeTheTokenLacksThen403LikeGet() {
        String token = token();
        TestHttp.Response get = TestHttp.get(base + "/path-scoped/orders", token);
        TestHttp.Response head = TestHttp.send(HttpRequest.newBuilder(URI.create(base + "/path-scoped/orders"))
                .header("Authorization", "Bearer " + token).method("HEAD", HttpRequest.BodyPublishers.noBody()).build());

        assertEquals(403, get.status());
        assertEquals(403, head.status(), "HEAD runs doGet, so a GET rule must guard it");
        assertTrue(head.header("WWW-Authenticate").contains("scope=\"orders:write\""), head.header("WWW-Authenticate"));
    }

    @Test
    void constructorWhenInitParamMisspeltThenRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new BearerTokenFilter(oauthlet,
                Map.of("audience", "back-office", "revocation_check", "true")));

        assertTrue(e.getMessage().contains("unknown init-param 'revocation_check'"), e.getMessage());
    }

    @Test
    void initWhenInitParamMisspeltThenTheContextFailsToStart() throws Exception {
        Server other = new Server(0);
        ServletContextHandler context = new ServletContextHandler();
        FilterHolder holder = new FilterHolder(new BearerTokenFilter(oauthlet, Map.of("audience", "back-office")));
        holder.setInitParameter("scope", "orders:read");
        context.addFilter(holder, "/*", EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ResourceServlet()), "/*");
        other.setHandler(context);
        try {
            try {
                other.start();
            } catch (Exception e) {
                assertTrue(String.valueOf(e.getMessage()).contains("unknown init-param 'scope'")
                        || String.valueOf(e.getCause()).contains("unknown init-param 'scope'"), String.valueOf(e));
            }
            assertFalse(context.isAvailable(), "a typo must not leave an API unguarded");
        } finally {
            other.stop();
        }
    }
}
