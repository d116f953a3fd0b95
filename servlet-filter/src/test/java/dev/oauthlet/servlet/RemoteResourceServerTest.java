package dev.oauthlet.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.oauthlet.Oauthlet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resource server in a second Jetty, deployed from a filter-only web.xml (no listener, no store,
 * no server configuration), checking the first Jetty's tokens through its JWKS, found via the
 * issuer's metadata.
 */
class RemoteResourceServerTest {

    @TempDir
    static Path dir;

    private static Server authorizationServer;
    private static WebAppContext authorizationApp;
    private static String issuer;
    private static Server resourceServer;
    private static WebAppContext resourceApp;
    private static String resourceUrl;

    @BeforeAll
    static void start() throws Exception {
        authorizationServer = new Server();
        ServerConnector c1 = new ServerConnector(authorizationServer);
        c1.setHost("127.0.0.1");
        authorizationServer.addConnector(c1);
        c1.open();
        issuer = "http://127.0.0.1:" + c1.getLocalPort() + ContainerWebAppContract.CONTEXT;
        authorizationApp = JettyWebAppTest.deployWar(ContainerWebAppContract.WEBAPP, issuer);
        authorizationServer.setHandler(authorizationApp);
        authorizationServer.start();

        // The resource server's web.xml is the template with the issuer filled in, as an operator would write it.
        Path webInf = Files.createDirectories(dir.resolve("remote-webapp/WEB-INF"));
        String template = Files.readString(Path.of("src/test/resources/remote-webapp/WEB-INF/web.xml"), StandardCharsets.UTF_8);
        Files.writeString(webInf.resolve("web.xml"), template.replace("${issuer}", issuer), StandardCharsets.UTF_8);
        resourceServer = new Server();
        ServerConnector c2 = new ServerConnector(resourceServer);
        c2.setHost("127.0.0.1");
        resourceServer.addConnector(c2);
        resourceApp = JettyWebAppTest.deployWar(dir.resolve("remote-webapp"), null);
        resourceServer.setHandler(resourceApp);
        resourceServer.start();
        resourceUrl = "http://127.0.0.1:" + c2.getLocalPort() + ContainerWebAppContract.CONTEXT;
    }

    @AfterAll
    static void stop() throws Exception {
        resourceServer.stop();
        authorizationServer.stop();
    }

    private static Oauthlet oauthlet() {
        return (Oauthlet) authorizationApp.getServletContext().getAttribute(Oauthlet.class.getName());
    }

    private static String token(String client, String secret) {
        return TestHttp.clientCredentialsToken(issuer + "/oauth/token", client, secret, null);
    }

    @Test
    void remoteFilterWhenTokenFromTheIssuerThenAcceptedWithoutAnyServerInItsContext() {
        TestHttp.Response r = TestHttp.get(resourceUrl + "/api/orders", token("backoffice-app", "backoffice-secret"));

        assertEquals(200, r.status(), r.body());
        assertEquals("backoffice-app", r.json().get("user").asText());
        assertNull(resourceApp.getServletContext().getAttribute(Oauthlet.class.getName()), "the resource server runs no Oauthlet");
    }

    @Test
    void remoteFilterWhenTokenOfAnotherAudienceThen401InvalidToken() {
        TestHttp.Response r = TestHttp.get(resourceUrl + "/api/orders", token("storefront-app", "storefront-secret"));

        assertEquals(401, r.status());
        assertEquals("Bearer realm=\"oauthlet\", error=\"invalid_token\", error_description=\"the token is not meant for this resource\"",
                r.header("WWW-Authenticate"));
    }

    @Test
    void remoteFilterWhenIssuerRotatesKeysThenOldAndNewTokensBothAccepted() {
        String before = token("backoffice-app", "backoffice-secret");
        assertEquals(200, TestHttp.get(resourceUrl + "/api/orders", before).status());
        String oldKid = oauthlet().keys().current().kid();

        String newKid = oauthlet().rotateSigningKey();
        String after = token("backoffice-app", "backoffice-secret");

        assertNotEquals(oldKid, newKid);
        assertEquals(200, TestHttp.get(resourceUrl + "/api/orders", after).status(), "the new kid makes the filter refetch the JWKS");
        assertEquals(200, TestHttp.get(resourceUrl + "/api/orders", before).status(), "the old key stays published until its tokens expire");
        assertEquals(200, TestHttp.get(resourceUrl + "/api/orders", after).status());
    }
}
