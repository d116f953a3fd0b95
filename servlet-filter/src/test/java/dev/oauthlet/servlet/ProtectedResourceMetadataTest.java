package dev.oauthlet.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.OauthletBuilder;
import dev.oauthlet.config.ConfigLoader;
import dev.oauthlet.crypto.SecretHasher;
import dev.oauthlet.servlet.testapp.ResourceServlet;
import jakarta.servlet.DispatcherType;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A filter with init-param {@code resource} in a web application at the context path {@code /shop}:
 * RFC 9728 metadata under the context, {@code resource_metadata} in every challenge pointing there,
 * tokens for the resource URI or the audience name accepted, and CORS for a configured origin.
 */
class ProtectedResourceMetadataTest {

    private static final String APP = "https://app.example.com";
    private static Server jetty;
    private static Oauthlet oauthlet;
    private static String base;
    private static String resource;
    private static String metadataUrl;

    @BeforeAll
    static void start() throws Exception {
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        jetty.addConnector(connector);
        connector.open();
        base = "http://127.0.0.1:" + connector.getLocalPort() + "/shop";
        resource = base + "/api/orders";
        metadataUrl = "http://127.0.0.1:" + connector.getLocalPort() + "/shop/.well-known/oauth-protected-resource/shop/api/orders";
        String yaml = """
                audiences: [back-office, storefront, %s]
                cors:
                  allowed-origins: [%s]
                clients:
                  - id: partner
                    secret: partner-secret
                    grants: [client_credentials]
                    audience: back-office
                    audiences: [%s]
                    scopes: [orders:read]
                  - id: shop
                    secret: shop-secret
                    grants: [client_credentials]
                    audience: storefront
                """.formatted(resource, APP, resource);
        var config = new ConfigLoader(OauthletBuilder.discoverGrantTypes(ProtectedResourceMetadataTest.class.getClassLoader()),
                new SecretHasher(1000)).load("oauthlet.yml", new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8)));
        oauthlet = Oauthlet.builder().config(config).issuer(base).build();
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/shop");
        OauthletServlets.servlets(oauthlet).forEach((path, servlet) -> context.addServlet(new ServletHolder(servlet), path));
        FilterHolder filter = new FilterHolder(new BearerTokenFilter(oauthlet, Map.of("audience", "back-office", "resource", resource)));
        context.addFilter(filter, "/api/orders/*", EnumSet.of(DispatcherType.REQUEST));
        context.addFilter(filter, BearerTokenFilter.metadataPath(resource), EnumSet.of(DispatcherType.REQUEST));
        context.addServlet(new ServletHolder(new ResourceServlet()), "/api/*");
        jetty.setHandler(context);
        jetty.start();
    }

    @AfterAll
    static void stop() throws Exception {
        jetty.stop();
        oauthlet.close();
    }

    private static String token(String client, String resourceParam) {
        String form = "grant_type=client_credentials" + (resourceParam == null ? "" : "&resource=" + resourceParam);
        TestHttp.Response r = TestHttp.send(HttpRequest.newBuilder(URI.create(base + "/oauth/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString((client + ":" + client + "-secret")
                        .getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build());
        assertEquals(200, r.status(), r.body());
        return r.json().get("access_token").asText();
    }

    private static TestHttp.Response withOrigin(String method, String url, String origin, String requestMethod) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).method(method, HttpRequest.BodyPublishers.noBody())
                .header("Origin", origin);
        if (requestMethod != null) {
            b.header("Access-Control-Request-Method", requestMethod).header("Access-Control-Request-Headers", "authorization");
        }
        return TestHttp.send(b.build());
    }

    @Test
    void metadataWhenFetchedThenRfc9728MembersForThisResource() {
        TestHttp.Response r = TestHttp.get(metadataUrl, null);

        assertEquals(200, r.status(), r.body());
        assertTrue(r.header("Content-Type").startsWith("application/json"), r.header("Content-Type"));
        JsonNode doc = r.json();
        assertEquals(resource, doc.get("resource").asText());
        assertEquals(List.of(base), List.of(doc.get("authorization_servers").get(0).asText()));
        assertEquals(1, doc.get("authorization_servers").size());
        assertEquals("orders:read", doc.get("scopes_supported").get(0).asText());
        assertEquals("header", doc.get("bearer_methods_supported").get(0).asText());
        assertEquals(1, doc.get("bearer_methods_supported").size());
    }

    @Test
    void requestWhenNoTokenThenChallengePointsToTheMetadataUnderTheContextPath() {
        TestHttp.Response r = TestHttp.get(resource + "/1", null);

        assertEquals(401, r.status());
        assertEquals("Bearer realm=\"oauthlet\", resource_metadata=\"" + metadataUrl + "\"", r.header("WWW-Authenticate"));
    }

    @Test
    void requestWhenTokenInvalidThenChallengeHasErrorAndResourceMetadata() {
        TestHttp.Response r = TestHttp.get(resource + "/1", "not-a-token");

        assertEquals(401, r.status());
        String challenge = r.header("WWW-Authenticate");
        assertTrue(challenge.startsWith("Bearer realm=\"oauthlet\", error=\"invalid_token\", error_description=\""), challenge);
        assertTrue(challenge.endsWith("\", resource_metadata=\"" + metadataUrl + "\""), challenge);
    }

    @Test
    void requestWhenTokenForTheResourceUriThenAccepted() {
        assertEquals(200, TestHttp.get(resource + "/1", token("partner", resource)).status());
    }

    @Test
    void requestWhenTokenForTheAudienceNameThenAcceptedToo() {
        assertEquals(200, TestHttp.get(resource + "/1", token("partner", null)).status());
    }

    @Test
    void requestWhenTokenForAnotherAudienceThenRefusedWithResourceMetadata() {
        TestHttp.Response r = TestHttp.get(resource + "/1", token("shop", null));

        assertEquals(401, r.status());
        assertTrue(r.header("WWW-Authenticate").contains("resource_metadata=\"" + metadataUrl + "\""), r.header("WWW-Authenticate"));
    }

    @Test
    void metadataWhenPreflightFromAllowedOriginThen204WithCorsHeaders() {
        TestHttp.Response r = withOrigin("OPTIONS", metadataUrl, APP, "GET");

        assertEquals(204, r.status());
        assertEquals(APP, r.header("Access-Control-Allow-Origin"));
        assertEquals("GET", r.header("Access-Control-Allow-Methods"));
        assertEquals(Cors.ALLOWED_HEADERS, r.header("Access-Control-Allow-Headers"));
    }

    @Test
    void metadataWhenPreflightFromAnotherOriginThen403WithoutCorsHeaders() {
        TestHttp.Response r = withOrigin("OPTIONS", metadataUrl, "https://evil.example.com", "GET");

        assertEquals(403, r.status());
        assertNull(r.header("Access-Control-Allow-Origin"));
    }

    @Test
    void metadataWhenGetFromAllowedOriginThenReadable() {
        TestHttp.Response r = withOrigin("GET", metadataUrl, APP, null);

        assertEquals(200, r.status());
        assertEquals(APP, r.header("Access-Control-Allow-Origin"));
        assertEquals("Origin", r.header("Vary"));
    }

    @Test
    void tokenEndpointWhenPreflightFromAllowedOriginThenPostAllowed() {
        TestHttp.Response r = withOrigin("OPTIONS", base + "/oauth/token", APP, "POST");

        assertEquals(204, r.status());
        assertEquals(APP, r.header("Access-Control-Allow-Origin"));
        assertEquals("POST", r.header("Access-Control-Allow-Methods"));
    }

    @Test
    void tokenEndpointWhenPostFromAllowedOriginThenTheAnswerIsReadableWithItsChallenge() {
        TestHttp.Response r = TestHttp.send(HttpRequest.newBuilder(URI.create(base + "/oauth/token")).header("Origin", APP)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=partner&client_secret=wrong")).build());

        assertEquals(401, r.status());
        assertEquals(APP, r.header("Access-Control-Allow-Origin"));
        assertEquals(Cors.EXPOSED_HEADERS, r.header("Access-Control-Expose-Headers"));
    }

    @Test
    void tokenEndpointWhenPostFromAnotherOriginThenNoCorsHeader() {
        TestHttp.Response r = TestHttp.send(HttpRequest.newBuilder(URI.create(base + "/oauth/token")).header("Origin", "https://evil.example.com")
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());

        assertNull(r.header("Access-Control-Allow-Origin"));
    }

    @Test
    void jwksAndServerMetadataWhenGetFromAllowedOriginThenReadable() {
        assertEquals(APP, withOrigin("GET", base + "/oauth/jwks", APP, null).header("Access-Control-Allow-Origin"));
        assertEquals(APP, withOrigin("GET", base + "/.well-known/oauth-authorization-server", APP, null)
                .header("Access-Control-Allow-Origin"));
        assertEquals(204, withOrigin("OPTIONS", base + "/oauth/jwks", APP, "GET").status());
    }

    @Test
    void settingsWhenResourceIsNotAnAbsoluteHttpsUriThenRefusedWithTheFix() {
        String msg = assertThrows(IllegalArgumentException.class,
                () -> FilterSettings.parse(Map.of("resource", "http://api.example.com/orders")::get)).getMessage();
        assertTrue(msg.startsWith("init-param 'resource': an absolute https:// URL without fragment"), msg);
        assertThrows(IllegalArgumentException.class, () -> FilterSettings.parse(Map.of("resource", "https://api.example.com/o#x")::get));
    }

    @Test
    void settingsWhenOnlyResourceThenItIsTheOneAudienceAccepted() {
        FilterSettings s = FilterSettings.parse(Map.of("resource", "https://api.example.com/orders")::get);
        assertNull(s.audience());
        assertEquals(java.util.Set.of("https://api.example.com/orders"), s.acceptedAudiences());
    }

    @Test
    void metadataPathWhenResourceHasATrailingSlashOrNoPathThenRfc9728Location() {
        assertEquals("/.well-known/oauth-protected-resource/orders", BearerTokenFilter.metadataPath("https://api.example.com/orders/"));
        assertEquals("/.well-known/oauth-protected-resource", BearerTokenFilter.metadataPath("https://api.example.com"));
    }
}
