package dev.oauthlet.wartest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.crypto.SecretHasher;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Sign-in handed over by the host application, in a standalone Tomcat 11: the WAR has its own FORM
 * login (a user of a MemoryRealm) and no security constraint on the authorization endpoint, and
 * {@code authorization.host-login: container} makes Oauthlet take Tomcat's user instead of showing
 * its login page, asking Tomcat for its login ({@code request.authenticate}) unless {@code prompt=none}. Consent, the code and the token stay Oauthlet's; the token's {@code sub} is the
 * container's user.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TomcatHostLoginTest {

    private static final String CALLBACK = "http://127.0.0.1:9/callback";
    private static final String VERIFIER = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    private static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

    private TomcatProcess tomcat;

    @BeforeAll
    void deploy() throws Exception {
        Path work = Files.createTempDirectory(Path.of("target"), getClass().getSimpleName()).toAbsolutePath();
        Path home = Files.createDirectories(work.resolve("oauthlet-home"));
        tomcat = new TomcatProcess(work.resolve("container"), new java.util.HashMap<>(Map.of("OAUTHLET_HOME", home.toString(),
                "PARTNER_SECRET_HASH", new SecretHasher(1_000).hash("partner-secret"))));
        tomcat.environment.put("WARTEST_ISSUER", tomcat.url());
        Files.writeString(tomcat.base.resolve("conf/tomcat-users.xml"), """
                <tomcat-users>
                  <role rolename="user"/>
                  <user username="carol" password="carol-password" roles="user"/>
                  <user username="dave" password="dave-password" roles="user"/>
                  <user username="erin" password="erin-password" roles="user"/>
                  <user username="gina" password="gina-password" roles="user"/>
                  <user username="frank" password="frank-password" roles="user"/>
                </tomcat-users>
                """);
        tomcat.contextXml("""
                <Context>
                  <Realm className="org.apache.catalina.realm.MemoryRealm" pathname="conf/tomcat-users.xml"/>
                </Context>
                """);
        TestWar.writeHostLogin(tomcat.war());
        tomcat.start();
        tomcat.awaitLog(l -> l.contains("Oauthlet " + tomcat.url() + " started"), Duration.ofSeconds(90), "the start line");
        awaitServing();
    }

    @AfterAll
    void stop() throws Exception {
        if (tomcat != null) {
            tomcat.kill();
        }
    }

    @Test
    void authorizeWhenContainerFormLoginThenOauthletConsentWithoutItsLoginPageAndTokenForContainerUser() throws Exception {
        Browser browser = new Browser();
        String authorize = authorizeUrl();

        HttpResponse<String> login = browser.get(authorize);
        assertEquals(200, login.statusCode());
        assertTrue(login.body().contains("Shop sign-in"), "Tomcat shows the application's own login form: " + login.body());
        assertFalse(login.body().contains("oauthlet_session"), login.body());

        HttpResponse<String> posted = browser.post("/app/j_security_check", Map.of("j_username", "carol", "j_password", "carol-password"));
        assertTrue(posted.statusCode() == 302 || posted.statusCode() == 303, posted.statusCode() + " " + posted.body());
        String back = location(posted);
        assertTrue(back.contains("/app/oauth/authorize?"), back);

        HttpResponse<String> consent = browser.follow(back);
        assertEquals(200, consent.statusCode(), consent.body());
        assertTrue(consent.body().contains("Signed in as <strong>carol</strong>"), consent.body());
        assertTrue(consent.body().contains("Partner Dashboard wants to access your"), consent.body());
        assertFalse(consent.body().contains("name=\"password\""), "no Oauthlet login page");

        Map<String, String> form = hidden(consent.body());
        form.put("action", "consent");
        form.put("decision", "allow");
        HttpResponse<String> redirected = browser.post("/app/oauth/authorize", form);
        assertEquals(303, redirected.statusCode(), redirected.body());
        String callback = location(redirected);
        assertTrue(callback.startsWith(CALLBACK + "?code="), callback);
        assertEquals("s-42", query(callback).get("state"));

        HttpResponse<String> token = token(query(callback).get("code"));
        assertEquals(200, token.statusCode(), token.body());
        Matcher at = Pattern.compile("\"access_token\":\"([^\"]+)\"").matcher(token.body());
        assertTrue(at.find(), token.body());
        String payload = new String(Base64.getUrlDecoder().decode(at.group(1).split("\\.")[1]), StandardCharsets.UTF_8);
        assertTrue(payload.contains("\"sub\":\"carol\""), payload);

        // Signed in to Tomcat and consented: a silent request gets its code straight away, no page.
        HttpResponse<String> silent = browser.get(authorize + "&prompt=none");
        assertEquals(302, silent.statusCode(), silent.body());
        assertTrue(location(silent).startsWith(CALLBACK + "?code="), location(silent));
        assertEquals(200, token(query(location(silent)).get("code")).statusCode());
    }

    @Test
    void authorizeWhenPromptLoginOrMaxAgeTheContainersLoginDoesNotMeetThenTheContainerAsksAgainAndTheCodeFollows() throws Exception {
        // Only this test signs frank in. His first login was one Oauthlet asked the container for, so its time is known.
        Browser browser = new Browser();
        browser.get(authorizeUrl());
        HttpResponse<String> consent = browser.follow(location(browser.post("/app/j_security_check",
                Map.of("j_username", "frank", "j_password", "frank-password"))));
        assertTrue(consent.body().contains("Signed in as <strong>frank</strong>"), consent.statusCode() + " " + consent.body());
        Map<String, String> form = hidden(consent.body());
        form.put("action", "consent");
        form.put("decision", "allow");
        assertTrue(location(browser.post("/app/oauth/authorize", form)).startsWith(CALLBACK + "?code="));

        // A max_age that login meets: a code at once, without a page.
        HttpResponse<String> recent = browser.get(authorizeUrl() + "&prompt=none&max_age=600");
        assertEquals(302, recent.statusCode(), recent.body());
        assertTrue(location(recent).startsWith(CALLBACK + "?code="), location(recent));

        // prompt=login: the container's login form again, not a code for the login of before.
        HttpResponse<String> again = browser.get(authorizeUrl() + "&prompt=login");
        assertEquals(200, again.statusCode(), again.body());
        assertTrue(again.body().contains("Shop sign-in"), "Tomcat asks again: " + again.body());
        String back = location(browser.post("/app/j_security_check", Map.of("j_username", "frank", "j_password", "frank-password")));
        assertTrue(back.contains("prompt=login"), back);
        HttpResponse<String> code = browser.follow(back);
        assertEquals(302, code.statusCode(), "signed in just now and consented: the code, no second login: " + code.body());
        assertTrue(location(code).startsWith(CALLBACK + "?code="), location(code));
        assertEquals(200, token(query(location(code)).get("code")).statusCode());

        // max_age=0 a second later: no login is that recent. Silently, the client hears login_required; otherwise Tomcat asks.
        Thread.sleep(1100);
        HttpResponse<String> silent = browser.get(authorizeUrl() + "&prompt=none&max_age=0");
        assertEquals("login_required", query(location(silent)).get("error"), silent.statusCode() + " " + location(silent));
        HttpResponse<String> stale = browser.get(authorizeUrl() + "&max_age=0");
        assertEquals(200, stale.statusCode(), stale.body());
        assertTrue(stale.body().contains("Shop sign-in"), stale.body());
        HttpResponse<String> fresh = browser.follow(location(browser.post("/app/j_security_check",
                Map.of("j_username", "frank", "j_password", "frank-password"))));
        assertTrue(location(fresh).startsWith(CALLBACK + "?code="), fresh.statusCode() + " " + fresh.body());
    }

    @Test
    void switchAccountWhenContainerUserThenContainerSignsOutAndAsksForLoginAgain() throws Exception {
        // Only this test signs dave and erin in: neither has consented yet, so each sees the consent page.
        Browser browser = new Browser();
        browser.get(authorizeUrl());
        HttpResponse<String> consent = browser.follow(location(browser.post("/app/j_security_check",
                Map.of("j_username", "dave", "j_password", "dave-password"))));
        assertTrue(consent.body().contains("Signed in as <strong>dave</strong>"), consent.statusCode() + " " + consent.body());

        Map<String, String> form = hidden(consent.body());
        form.put("action", "switch-account");
        HttpResponse<String> switched = browser.post("/app/oauth/authorize", form);
        assertEquals(303, switched.statusCode(), switched.body());
        HttpResponse<String> again = browser.get(location(switched));
        assertEquals(200, again.statusCode());
        assertTrue(again.body().contains("Shop sign-in"), "the container asks who it is now: " + again.body());

        HttpResponse<String> erin = browser.follow(location(browser.post("/app/j_security_check",
                Map.of("j_username", "erin", "j_password", "erin-password"))));
        assertTrue(erin.body().contains("Signed in as <strong>erin</strong>"), erin.body());
        // dave's consent form, replayed after the switch, issues nothing for dave or erin.
        Map<String, String> daves = hidden(consent.body());
        daves.put("action", "consent");
        daves.put("decision", "allow");
        HttpResponse<String> replay = browser.post("/app/oauth/authorize", daves);
        assertFalse(String.valueOf(location(replay)).contains("code="), replay.statusCode() + " " + location(replay));
    }

    @Test
    void authorizeWhenPromptNoneAndNobodySignedInThenLoginRequiredAtTheClientNotTheContainersLogin() throws Exception {
        // The endpoint is not container-protected: Oauthlet sees the request first and, for prompt=none, never
        // asks the container for its login page.
        Browser browser = new Browser();
        HttpResponse<String> silent = browser.get(authorizeUrl() + "&prompt=none");
        assertEquals(302, silent.statusCode(), silent.body());
        String callback = location(silent);
        assertTrue(callback.startsWith(CALLBACK + "?"), callback);
        assertEquals("login_required", query(callback).get("error"));
        assertEquals("s-42", query(callback).get("state"));
        assertNull(query(callback).get("code"));
        assertFalse(silent.body().contains("Shop sign-in"), silent.body());

        // The same request without prompt=none: Oauthlet hands it to the container (request.authenticate), whose login
        // form brings the browser back to the request.
        HttpResponse<String> login = browser.get(authorizeUrl());
        assertEquals(200, login.statusCode());
        assertTrue(login.body().contains("Shop sign-in"), login.body());
    }

    @Test
    void authorizeWhenPromptNoneAfterContainerLoginWithoutConsentThenConsentRequiredAtTheClient() throws Exception {
        // Only this test signs gina in, and she never consents.
        Browser browser = new Browser();
        browser.get(authorizeUrl());
        HttpResponse<String> consent = browser.follow(location(browser.post("/app/j_security_check",
                Map.of("j_username", "gina", "j_password", "gina-password"))));
        assertTrue(consent.body().contains("Signed in as <strong>gina</strong>"), consent.statusCode() + " " + consent.body());
        HttpResponse<String> silent = browser.get(authorizeUrl() + "&prompt=none");
        assertEquals(302, silent.statusCode(), silent.body());
        String callback = location(silent);
        assertTrue(callback.startsWith(CALLBACK + "?"), callback);
        assertEquals("consent_required", query(callback).get("error"), "no consent page for prompt=none");
        assertEquals("s-42", query(callback).get("state"));
        assertNull(query(callback).get("code"));
    }

    @Test
    void authorizeWhenForgedPrincipalHeadersThenContainerStillAsksForLogin() throws Exception {
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(tomcat.url() + authorizeUrl().substring("/app".length())))
                .header("Remote-User", "carol").header("X-Remote-User", "carol").header("X-Forwarded-User", "carol")
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("carol:wrong".getBytes(StandardCharsets.UTF_8)))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("Shop sign-in"), r.body());
        assertFalse(r.body().contains("carol"), r.body());
    }

    @Test
    void readmeWhenReadThenShowsTheWebXmlAndConfigurationThisTestDeploys() throws Exception {
        String webXml = Files.readString(Path.of("src/test/resources/hostlogin/WEB-INF/web.xml"));
        Matcher m = Pattern.compile("  <!-- README-BEGIN host-login -->\n(.*?)\n  <!-- README-END host-login -->", Pattern.DOTALL).matcher(webXml);
        assertTrue(m.find());
        String readme = Files.readString(Path.of("../README.md"));
        assertTrue(readme.contains("```xml\n" + m.group(1).stripIndent() + "\n```"), "README.md shows the web.xml's login part exactly");
        assertTrue(Files.readString(Path.of("src/test/resources/hostlogin/oauthlet.yml")).contains("authorization:\n  host-login: container\n"));
        assertTrue(readme.contains("```yaml\nauthorization:\n  host-login: container\n```"));
    }

    private HttpResponse<String> token(String code) throws Exception {
        String basic = Base64.getEncoder().encodeToString("partner-app:partner-secret".getBytes(StandardCharsets.UTF_8));
        String body = "grant_type=authorization_code&code=" + URLEncoder.encode(code, StandardCharsets.UTF_8) + "&redirect_uri="
                + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8) + "&code_verifier=" + VERIFIER;
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(tomcat.url() + "/oauth/token"))
                .header("Authorization", "Basic " + basic).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String authorizeUrl() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(VERIFIER.getBytes(StandardCharsets.US_ASCII));
        String challenge = Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        return "/app/oauth/authorize?client_id=partner-app&response_type=code&scope=orders%3Aread&state=s-42&redirect_uri="
                + URLEncoder.encode(CALLBACK, StandardCharsets.UTF_8) + "&code_challenge=" + challenge + "&code_challenge_method=S256";
    }

    private void awaitServing() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            try {
                if (Http.get(tomcat.url() + "/oauth/jwks", "-").statusCode() == 200) {
                    return;
                }
            } catch (java.net.ConnectException e) {
                // The connector opens after the deployment.
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the host-login application does not serve; log:\n" + tomcat.log());
            }
            Thread.sleep(100);
        }
    }

    private static String location(HttpResponse<?> r) {
        return r.headers().firstValue("Location").orElse(null);
    }

    private static Map<String, String> hidden(String html) {
        Map<String, String> m = new LinkedHashMap<>();
        Matcher matcher = HIDDEN.matcher(html);
        while (matcher.find()) {
            m.putIfAbsent(matcher.group(1), matcher.group(2).replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<")
                    .replace("&gt;", ">").replace("&amp;", "&"));
        }
        return m;
    }

    private static Map<String, String> query(String uri) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : URI.create(uri).getRawQuery().split("&")) {
            int eq = pair.indexOf('=');
            m.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    /** A browser: keeps Tomcat's and Oauthlet's cookies, follows no redirect by itself. */
    private final class Browser {

        private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
                .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();

        HttpResponse<String> get(String pathAndQuery) throws Exception {
            return http.send(HttpRequest.newBuilder(URI.create(absolute(pathAndQuery))).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }

        /** GETs, following this server's own redirects (Oauthlet's Post/Redirect/Get after sign-in), up to five. */
        HttpResponse<String> follow(String pathAndQuery) throws Exception {
            HttpResponse<String> r = get(pathAndQuery);
            for (int i = 0; i < 5 && (r.statusCode() == 302 || r.statusCode() == 303) && location(r).contains("/app/"); i++) {
                r = get(location(r));
            }
            return r;
        }

        HttpResponse<String> post(String path, Map<String, String> form) throws Exception {
            StringBuilder sb = new StringBuilder();
            form.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
            return http.send(HttpRequest.newBuilder(URI.create(absolute(path))).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.ofString(sb.toString()))
                    .build(), HttpResponse.BodyHandlers.ofString());
        }

        private String absolute(String pathOrUrl) {
            if (pathOrUrl.startsWith("http")) {
                return pathOrUrl;
            }
            return "http://127.0.0.1:" + tomcat.port + pathOrUrl;
        }
    }
}
