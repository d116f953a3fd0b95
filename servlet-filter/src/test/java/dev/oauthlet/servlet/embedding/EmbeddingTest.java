package dev.oauthlet.servlet.embedding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.oauthlet.servlet.testapp.ResourceServlet;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    void readmeWhenReadThenShowsTheEmbeddingCodeAndTheWebXmlTheTestsRun() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);

        for (String[] snippet : new String[][]{{"JettyEmbedding.java", "jetty"}, {"TomcatEmbedding.java", "tomcat"}}) {
            String code = region(Files.readString(Path.of("src/test/java/dev/oauthlet/servlet/embedding", snippet[0])), snippet[1]);
            assertTrue(readme.contains(code), "README.md must show the " + snippet[1] + " embedding exactly as " + snippet[0] + " has it");
        }
        String webXml = Files.readString(Path.of("src/test/resources/webapp/WEB-INF/web.xml"), StandardCharsets.UTF_8)
                .replaceAll("(?s)\\n\\s*<!-- test-app-begin.*?<!-- test-app-end -->", "");
        assertTrue(readme.contains(webXml), "README.md must show src/test/resources/webapp/WEB-INF/web.xml exactly, without its test servlet");
        assertFalse(webXml.contains("testapp"), "the README's web.xml names only classes that ship");
    }

    /** The lines between the README markers, with the method's indentation removed. */
    private static String region(String source, String name) {
        Matcher m = Pattern.compile("// README-BEGIN " + name + "\\n(.*?)\\n\\s*// README-END " + name, Pattern.DOTALL).matcher(source);
        assertTrue(m.find(), "markers for " + name);
        return m.group(1).stripIndent();
    }
}
