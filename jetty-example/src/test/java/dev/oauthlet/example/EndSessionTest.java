package dev.oauthlet.example;

import static dev.oauthlet.example.BrowserlessClient.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.config.OauthletConfig;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The logout endpoint ({@code endpoints.end-session}) over real HTTP on two nodes sharing one
 * database: signing out on one node ends the session on both, even for a copy of the cookie the
 * browser was told to drop; signing out needs the session's CSRF token.
 */
class EndSessionTest {

    static final String CALLBACK = "http://127.0.0.1:9/callback";

    @TempDir
    Path dir;

    private Server database;
    private JettyExample.Running a;
    private JettyExample.Running b;

    @BeforeEach
    void start() throws Exception {
        database = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir",
                Files.createDirectories(dir.resolve("db")).toString()).start();
        // One issuer for both nodes, as a real deployment behind one name has; it names the session cookie.
        OauthletConfig config = ExampleConfigs.authorizationCode(CALLBACK, """
                issuer: http://127.0.0.1:1
                storage: {url: "jdbc:h2:tcp://127.0.0.1:%d/sessions", username: sa}
                authorization: {login-failure-delay: 0s}
                """.formatted(database.getPort()));
        a = JettyExample.createServer(config, 0);
        b = JettyExample.createServer(config, 0);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b}) {
            if (c != null) {
                c.close();
            }
        }
        database.stop();
    }

    /** own-app is first-party: a signed-in browser is sent straight back with a code, a signed-out one sees the login page. */
    private static String authorize() {
        return AuthorizationEndpointHttpTest.authorize(Map.of("client_id", "own-app", "scope", "orders:read"));
    }

    private static BrowserlessClient signedIn(JettyExample.Running node) throws Exception {
        BrowserlessClient browser = new BrowserlessClient(node.url());
        HttpResponse<String> login = browser.get(authorize());
        HttpResponse<String> r = browser.submit(login, "/oauth/authorize",
                Map.of("action", "login", "username", "alice", "password", "alice-password"));
        assertEquals(303, r.statusCode());
        assertEquals(302, browser.get(authorize()).statusCode(), "signed in");
        return browser;
    }

    @Test
    void logoutWhenConfirmedOnOneNodeThenSessionEndsOnEveryNode() throws Exception {
        BrowserlessClient onA = signedIn(a);
        BrowserlessClient onB = new BrowserlessClient(b.url());
        onB.session(onA.session());
        assertEquals(302, onB.get(authorize()).statusCode(), "node b reads node a's session");
        String copy = onA.session();

        HttpResponse<String> confirm = onA.get("/oauth/logout");
        assertEquals(200, confirm.statusCode());
        assertTrue(confirm.body().contains("as <strong>alice</strong>"), confirm.body());
        HttpResponse<String> out = onA.submit(confirm, "/oauth/logout", Map.of());
        assertEquals(200, out.statusCode());
        assertTrue(out.body().contains("You are signed out"));
        assertTrue(header(out, "Set-Cookie").contains("Max-Age=0"), header(out, "Set-Cookie"));

        onB.session(copy);
        HttpResponse<String> after = onB.get(authorize());
        assertEquals(200, after.statusCode(), "the kept copy of the cookie opens no session on node b");
        assertTrue(after.body().contains("<label for=\"password\">"));
        onA.session(copy);
        assertEquals(200, onA.get(authorize()).statusCode(), "nor on node a");
    }

    @Test
    void logoutWhenCsrfTokenMissingThenForbiddenAndStillSignedIn() throws Exception {
        BrowserlessClient browser = signedIn(a);
        HttpResponse<String> r = browser.post("/oauth/logout", Map.of());
        assertEquals(403, r.statusCode());
        assertNotNull(BrowserlessClient.hiddenFields(r.body()).get("csrf_token"), "asks again");
        assertEquals(302, browser.get(authorize()).statusCode(), "a cross-site post signs no one out");
    }

    @Test
    void logoutWhenNoSessionThenSignedOutPage() throws Exception {
        HttpResponse<String> r = new BrowserlessClient(a.url()).get("/oauth/logout");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("You are signed out"));
        assertEquals("no-store", header(r, "Cache-Control"));
    }
}
