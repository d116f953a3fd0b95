package dev.oauthlet.example;

import static dev.oauthlet.example.BrowserlessClient.header;
import static dev.oauthlet.example.BrowserlessClient.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.oauthlet.Oauthlet;
import dev.oauthlet.authorize.HostLogin;
import dev.oauthlet.servlet.OauthletServlets;
import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.SignInContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Step-up over HTTP: an application whose {@link HostLogin} asks for a security key when a client
 * requests {@code acr_values=urn:shop:key}. The user signed in with a password first; after the
 * step-up the session takes the new methods, and the ID token of the next code says
 * {@code amr ["pwd","hwk"]}, {@code acr "urn:shop:key"} and a later {@code auth_time} — validated
 * by the Nimbus OpenID Connect SDK — and so do its refreshed ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostLoginStepUpHttpTest {

    private static final String KEY_CLASS = "urn:shop:key";

    private Server jetty;
    private Oauthlet oauthlet;
    private String url;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start(@TempDir Path dir) throws Exception {
        Path config = dir.resolve("oauthlet.yml");
        Files.writeString(config, ShopApplication.config(dir), StandardCharsets.UTF_8);
        jetty = new Server();
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        connector.open();
        url = "http://127.0.0.1:" + connector.getLocalPort();
        // The application's session holds the user and the methods of their last sign-in; a client asking for the
        // key class sends a user who has not used their key to the application's sign-in for it.
        HostLogin hostLogin = context -> {
            HttpSession session = context.unwrap(HttpServletRequest.class).orElseThrow().getSession(false);
            String user = session == null ? null : (String) session.getAttribute("user");
            String back = URLEncoder.encode(context.returnTo(), StandardCharsets.UTF_8);
            if (user == null) {
                return HostLogin.sendTo("/app/sign-in?return=" + back);
            }
            @SuppressWarnings("unchecked")
            List<String> methods = (List<String>) session.getAttribute("methods");
            if (context.request().acrValues().contains(KEY_CLASS) && !methods.contains("hwk")) {
                return HostLogin.sendTo("/app/sign-in?step=key&return=" + back);
            }
            SignInContext how = SignInContext.methods(methods.toArray(String[]::new));
            return HostLogin.signedIn(new AuthenticatedUser(user, Map.of()), methods.contains("hwk") ? how.withAcr(KEY_CLASS) : how);
        };
        oauthlet = Oauthlet.builder().configFile(config).issuer(url).hostLogin(hostLogin).build();
        ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
        context.setContextPath("/");
        OauthletServlets.servlets(oauthlet).forEach((path, servlet) -> context.addServlet(servlet, path));
        context.addServlet(new ServletHolder(new SignIn()), "/app/sign-in");
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

    /** The application's sign-in, reduced to what the test needs: it records the user and the methods posted. */
    static final class SignIn extends HttpServlet {
        private static final long serialVersionUID = 1L;

        @Override
        protected void doPost(HttpServletRequest req, HttpServletResponse resp) {
            HttpSession session = req.getSession(true);
            session.setAttribute("user", req.getParameter("user"));
            session.setAttribute("methods", List.copyOf(Arrays.asList(req.getParameter("methods").split(" "))));
            resp.setStatus(303);
            resp.setHeader("Location", ShopApplication.returnTo(req));
        }
    }

    @Test
    void idTokenWhenTheSameUserStepsUpForAcrValuesThenTheNextCodesIdTokenHasTheNewAcrAmrAndAuthTime() throws Exception {
        BrowserlessClient browser = new BrowserlessClient(url);
        String plain = HostLoginHttpTest.openId(Map.of("nonce", "n-1"));
        String toSignIn = header(browser.get(plain), "Location");
        assertTrue(toSignIn.startsWith("/app/sign-in?return="), toSignIn);
        browser.post(toSignIn, Map.of("user", "kim", "methods", "pwd"));
        HttpResponse<String> consent = follow(browser, plain);
        assertEquals(200, consent.statusCode(), consent.body());
        String code = query(header(browser.submit(consent, "/oauth/authorize", Map.of("action", "consent", "decision", "allow")),
                "Location")).get("code");
        IDTokenClaimsSet first = validated(exchange(code).get("id_token").asText(), "n-1");
        assertEquals(List.of("pwd"), first.getAMR().stream().map(a -> a.getValue()).toList());
        assertEquals("1", first.getACR().getValue());
        String before = browser.session();

        Thread.sleep(1100);    // auth_time has whole seconds
        String keyed = HostLoginHttpTest.openId(Map.of("nonce", "n-2", "acr_values", KEY_CLASS));
        String toKey = header(browser.get(keyed), "Location");
        assertTrue(toKey.startsWith("/app/sign-in?step=key&return="), "the application asks for the key: " + toKey);
        browser.post(toKey, Map.of("user", "kim", "methods", "pwd hwk"));
        HttpResponse<String> back = follow(browser, keyed);
        assertEquals(302, back.statusCode(), back.body());
        assertNotEquals(before, browser.session(), "the step-up renewed Oauthlet's session cookie");
        com.fasterxml.jackson.databind.JsonNode tokens = exchange(query(header(back, "Location")).get("code"));
        IDTokenClaimsSet stepped = validated(tokens.get("id_token").asText(), "n-2");
        assertEquals("kim", stepped.getSubject().getValue());
        assertEquals(List.of("pwd", "hwk"), stepped.getAMR().stream().map(a -> a.getValue()).toList());
        assertEquals(KEY_CLASS, stepped.getACR().getValue());
        assertTrue(stepped.getAuthenticationTime().after(first.getAuthenticationTime()),
                first.getAuthenticationTime() + " then " + stepped.getAuthenticationTime());

        // The refresh of the stepped-up grant keeps its sign-in (Core §12.2), from the H2 file.
        HttpResponse<String> refreshed = post("/oauth/token", "grant_type=refresh_token&refresh_token="
                + tokens.get("refresh_token").asText() + "&client_id=partner-app&client_secret=partner-secret");
        assertEquals(200, refreshed.statusCode(), refreshed.body());
        com.fasterxml.jackson.databind.JsonNode again = claims(ExampleFixtures.json(refreshed.body()).get("id_token").asText());
        assertEquals("[\"pwd\",\"hwk\"]", again.get("amr").toString());
        assertEquals(KEY_CLASS, again.get("acr").asText());
        assertEquals(stepped.getAuthenticationTime().getTime() / 1000, again.get("auth_time").asLong());

        // Nothing changed since: a silent request goes on with the stepped-up session, no new one.
        String session = browser.session();
        HttpResponse<String> silent = browser.get(HostLoginHttpTest.openId(Map.of("nonce", "n-3", "acr_values", KEY_CLASS,
                "prompt", "none")));
        assertEquals(302, silent.statusCode(), silent.body());
        assertEquals(session, browser.session());
        IDTokenClaimsSet third = validated(exchange(query(header(silent, "Location")).get("code")).get("id_token").asText(), "n-3");
        assertEquals(KEY_CLASS, third.getACR().getValue());
        assertEquals(stepped.getAuthenticationTime(), third.getAuthenticationTime());
    }

    /** GETs the request, following Oauthlet's own Post/Redirect/Get after a new session, up to three times. */
    private static HttpResponse<String> follow(BrowserlessClient browser, String authorize) throws Exception {
        HttpResponse<String> r = browser.get(authorize);
        for (int i = 0; i < 3 && r.statusCode() == 303 && header(r, "Location").startsWith("/oauth/authorize?"); i++) {
            r = browser.get(header(r, "Location"));
        }
        return r;
    }

    private IDTokenClaimsSet validated(String idToken, String nonce) throws Exception {
        assertNotNull(idToken);
        return new IDTokenValidator(new Issuer(url), new ClientID("partner-app"), JWSAlgorithm.RS256, URI.create(url + "/oauth/jwks").toURL())
                .validate(JWTParser.parse(idToken), new Nonce(nonce));
    }

    private com.fasterxml.jackson.databind.JsonNode exchange(String code) throws Exception {
        assertNotNull(code, "no code");
        HttpResponse<String> r = post("/oauth/token", "grant_type=authorization_code&code=" + code + "&redirect_uri="
                + URLEncoder.encode(HostLoginHttpTest.CALLBACK, StandardCharsets.UTF_8) + "&code_verifier="
                + AuthorizationEndpointHttpTest.VERIFIER + "&client_id=partner-app&client_secret=partner-secret");
        assertEquals(200, r.statusCode(), r.body());
        return ExampleFixtures.json(r.body());
    }

    private HttpResponse<String> post(String path, String form) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static com.fasterxml.jackson.databind.JsonNode claims(String jwt) {
        return ExampleFixtures.json(new String(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8));
    }
}
