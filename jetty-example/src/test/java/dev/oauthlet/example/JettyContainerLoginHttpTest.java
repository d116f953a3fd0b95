package dev.oauthlet.example;

import static dev.oauthlet.example.BrowserlessClient.header;
import static dev.oauthlet.example.BrowserlessClient.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.Oauthlet;
import dev.oauthlet.servlet.OauthletServlets;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.security.ConstraintSecurityHandler;
import org.eclipse.jetty.security.HashLoginService;
import org.eclipse.jetty.security.UserStore;
import org.eclipse.jetty.security.authentication.FormAuthenticator;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.security.Credential;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code authorization.host-login: container} in embedded Jetty with Jetty's own FORM login and no
 * security constraint on the authorization endpoint, as docs/configuration.md wires it (Tomcat's
 * is {@code TomcatHostLoginTest}): {@code prompt=none} without a sign-in is {@code login_required}
 * at the client; otherwise Oauthlet asks Jetty ({@code request.authenticate}), whose login brings
 * the browser back to the request, and the code's token is for Jetty's user.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JettyContainerLoginHttpTest {

    private Server jetty;
    private Oauthlet oauthlet;
    private String url;

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("oauthlet.yml");
        Files.writeString(config, ShopApplication.config(dir) + "authorization:\n  host-login: container\n", StandardCharsets.UTF_8);
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        connector.open();
        url = "http://127.0.0.1:" + connector.getLocalPort();
        oauthlet = Oauthlet.builder().configFile(config).issuer(url).build();

        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS | ServletContextHandler.SECURITY);
        context.setContextPath("/");
        UserStore users = new UserStore();
        users.addUser("kira", Credential.getCredential("kira-password"), new String[] {"user"});
        HashLoginService realm = new HashLoginService("shop");
        realm.setUserStore(users);
        ConstraintSecurityHandler security = (ConstraintSecurityHandler) context.getSecurityHandler();
        security.setLoginService(realm);
        security.setAuthenticator(new FormAuthenticator("/login", "/login-failed", false));
        // No constraint mapping: Jetty authenticates only when Oauthlet asks it to.
        OauthletServlets.servlets(oauthlet).forEach((path, servlet) -> context.addServlet(servlet, path));
        context.addServlet(new ServletHolder(new LoginPage()), "/login");
        jetty.setHandler(context);
        jetty.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
        if (oauthlet != null) {
            oauthlet.close();
        }
    }

    /** The application's login form, posting to Jetty's {@code j_security_check}. */
    static final class LoginPage extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/html;charset=UTF-8");
            resp.getWriter().write("<!doctype html><title>Shop sign-in</title><form method=post action=/j_security_check>"
                    + "<input name=j_username><input name=j_password type=password><button>Sign in</button></form>");
        }
    }

    @Test
    void authorizeWhenJettyFormLoginAndUnconstrainedEndpointThenLoginRequiredSilentlyElseJettysLoginThenConsentAndCode() throws Exception {
        BrowserlessClient browser = new BrowserlessClient(url);
        HttpResponse<String> silent = browser.get(HostLoginHttpTest.openId(Map.of("prompt", "none")));
        assertEquals(302, silent.statusCode(), silent.body());
        assertTrue(header(silent, "Location").startsWith(HostLoginHttpTest.CALLBACK + "?"), header(silent, "Location"));
        assertEquals("login_required", query(header(silent, "Location")).get("error"));
        assertNull(browser.session());

        String authorize = HostLoginHttpTest.openId(Map.of());
        HttpResponse<String> toLogin = browser.get(authorize);
        assertTrue(toLogin.statusCode() == 302 || toLogin.statusCode() == 303, toLogin.statusCode() + " " + toLogin.body());
        // Jetty's login page (its first answer also names the new HTTP session in the path, ;jsessionid=).
        assertTrue(URI.create(header(toLogin, "Location")).getRawPath().startsWith("/login"), "Jetty's login: " + header(toLogin, "Location"));
        HttpResponse<String> page = browser.get("/login");
        assertTrue(page.body().contains("Shop sign-in"), page.body());

        HttpResponse<String> posted = browser.post("/j_security_check", Map.of("j_username", "kira", "j_password", "kira-password"));
        assertTrue(posted.statusCode() == 302 || posted.statusCode() == 303, posted.statusCode() + " " + posted.body());
        String back = URI.create(header(posted, "Location")).getRawPath() + "?" + URI.create(header(posted, "Location")).getRawQuery();
        assertTrue(back.startsWith("/oauth/authorize?"), "Jetty brings the browser back to the request: " + back);
        HttpResponse<String> consent = browser.get(back);
        for (int i = 0; i < 3 && consent.statusCode() == 303; i++) {
            consent = browser.get(header(consent, "Location"));     // Oauthlet's session for Jetty's user, then the request again
        }
        assertEquals(200, consent.statusCode(), consent.body());
        assertTrue(consent.body().contains("Signed in as <strong>kira</strong>"), consent.body());
        assertFalse(consent.body().contains("name=\"password\""), "no Oauthlet login page");

        HttpResponse<String> allowed = browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow"));
        assertEquals(303, allowed.statusCode(), allowed.body());
        assertTrue(query(header(allowed, "Location")).get("code") != null, header(allowed, "Location"));

        // Signed in to Jetty and consented: prompt=none now gets a code, no page.
        HttpResponse<String> again = browser.get(HostLoginHttpTest.openId(Map.of("prompt", "none")));
        assertEquals(302, again.statusCode(), again.body());
        assertTrue(header(again, "Location").startsWith(HostLoginHttpTest.CALLBACK + "?code="), header(again, "Location"));
    }
}
