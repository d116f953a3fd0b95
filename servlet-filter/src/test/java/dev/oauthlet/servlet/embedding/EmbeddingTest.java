package dev.oauthlet.servlet.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.servlet.BearerTokenFilter;
import dev.oauthlet.servlet.OauthletServlets;
import dev.oauthlet.servlet.testapp.ResourceServlet;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.DispatcherType;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's embedding code for Jetty and Tomcat, and checks that the README shows exactly
 * that code and exactly the test application's web.xml.
 */
class EmbeddingTest {

    private static final Path CONFIG = Path.of("src/test/resources/oauthlet.yml");
    private static final Path README = Path.of("../README.md");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path tempDir;

    private static HttpResponse<String> send(HttpRequest r) throws IOException, InterruptedException {
        return HTTP.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    /** Gets a back-office token, reads an order with it, and is refused writing one. */
    private static void assertGuarded(String base) throws Exception {
        HttpResponse<String> tokenResponse = send(HttpRequest.newBuilder(URI.create(base + "/oauth/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("backoffice-app:backoffice-secret".getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build());
        assertEquals(200, tokenResponse.statusCode(), tokenResponse.body());
        String token = new ObjectMapper().readTree(tokenResponse.body()).get("access_token").asText();

        HttpResponse<String> read = send(HttpRequest.newBuilder(URI.create(base + "/api/orders/7"))
                .header("Authorization", "Bearer " + token).GET().build());
        HttpResponse<String> write = send(HttpRequest.newBuilder(URI.create(base + "/api/orders/7"))
                .header("Authorization", "Bearer " + token).POST(HttpRequest.BodyPublishers.noBody()).build());
        HttpResponse<String> anonymous = send(HttpRequest.newBuilder(URI.create(base + "/api/orders/7")).GET().build());

        assertEquals(200, read.statusCode(), read.body());
        assertTrue(read.body().contains("\"user\":\"backoffice-app\""), read.body());
        assertEquals(403, write.statusCode());
        assertEquals(401, anonymous.statusCode());
    }

    @Test
    void jettyEmbeddingWhenRunThenTokenEndpointAndGuardedApiWork() throws Exception {
        JettyEmbedding.Embedded e = JettyEmbedding.start(CONFIG, "http://127.0.0.1", 0, new ResourceServlet());
        try {
            int port = ((ServerConnector) e.jetty().getConnectors()[0]).getLocalPort();
            assertGuarded("http://127.0.0.1:" + port);
        } finally {
            e.jetty().stop();
            e.oauthlet().close();
        }
    }

    @Test
    void tomcatEmbeddingWhenRunThenTokenEndpointAndGuardedApiWork() throws Exception {
        TomcatEmbedding.Embedded e = TomcatEmbedding.start(CONFIG, "http://127.0.0.1", 0, new ResourceServlet(), tempDir);
        try {
            assertGuarded("http://127.0.0.1:" + e.tomcat().getConnector().getLocalPort());
        } finally {
            e.tomcat().stop();
            e.tomcat().destroy();
            e.oauthlet().close();
        }
    }

    @Test
    void metricsEmbeddingWhenATokenIsIssuedAndUsedOverHttpThenTheApplicationsRegistryCountsBoth() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        Oauthlet oauthlet = MetricsEmbedding.build(CONFIG, "http://127.0.0.1", registry);
        Server jetty = new Server(new InetSocketAddress("127.0.0.1", 0));
        try {
            ServletContextHandler context = new ServletContextHandler();
            OauthletServlets.servlets(oauthlet).forEach((path, servlet) -> context.addServlet(servlet, path));
            BearerTokenFilter bearer = new BearerTokenFilter(oauthlet, Map.of("audience", "back-office",
                    "path-scopes", "POST /api/orders/* = orders:write"));
            context.addFilter(new FilterHolder(bearer), "/api/*", EnumSet.of(DispatcherType.REQUEST));
            context.addServlet(new ServletHolder(new ResourceServlet()), "/api/orders/*");
            jetty.setHandler(context);
            jetty.start();
            assertGuarded("http://127.0.0.1:" + ((ServerConnector) jetty.getConnectors()[0]).getLocalPort());
        } finally {
            jetty.stop();
            oauthlet.close();
        }

        assertEquals(1, registry.get("oauthlet.tokens.issued").tags("client", "backoffice-app", "grant", "client_credentials").counter().count());
        assertEquals(1, registry.get("oauthlet.bearer.accepted").tag("resource", "back-office").counter().count(), "the read");
        assertEquals(1, registry.get("oauthlet.bearer.refused").tags("resource", "back-office", "reason", "insufficient_scope").counter().count(),
                "the write");
        assertEquals(1, registry.get("oauthlet.bearer.refused").tags("resource", "back-office", "reason", "no_token").counter().count());
    }

    @Test
    void readmeWhenReadThenShowsTheEmbeddingCodeAndTheWebXmlTheTestsRun() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);

        for (String[] snippet : new String[][]{{"JettyEmbedding.java", "jetty"}, {"TomcatEmbedding.java", "tomcat"},
                {"MetricsEmbedding.java", "metrics"}}) {
            String code = region(Files.readString(Path.of("src/test/java/dev/oauthlet/servlet/embedding", snippet[0])), snippet[1]);
            assertTrue(readme.contains(code), "README.md must show the " + snippet[1] + " embedding exactly as " + snippet[0] + " has it");
        }
        String webXml = Files.readString(Path.of("src/test/resources/webapp/WEB-INF/web.xml"), StandardCharsets.UTF_8)
                .replaceAll("(?s)\\n\\s*<!-- test-app-begin.*?<!-- test-app-end -->", "");
        assertTrue(readme.contains(webXml), "README.md must show src/test/resources/webapp/WEB-INF/web.xml exactly, without its test servlet");
        assertFalse(webXml.contains("testapp"), "the README's web.xml names only classes that ship");
        String listener = region(Files.readString(Path.of("src/test/java/dev/oauthlet/servlet/embedding/MetricsListener.java")), "web-xml-metrics");
        assertTrue(Files.readString(Path.of("../docs/operations.md"), StandardCharsets.UTF_8).contains(listener),
                "docs/operations.md must show MetricsListener exactly as JettyWebAppTest runs it");
    }

    /** The lines between the README markers, with the method's indentation removed. */
    private static String region(String source, String name) {
        Matcher m = Pattern.compile("// README-BEGIN " + name + "\\n(.*?)\\n\\s*// README-END " + name, Pattern.DOTALL).matcher(source);
        assertTrue(m.find(), "markers for " + name);
        return m.group(1).stripIndent();
    }
}
