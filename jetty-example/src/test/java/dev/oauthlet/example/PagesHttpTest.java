package dev.oauthlet.example;

import static dev.oauthlet.example.BrowserlessClient.header;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The pages in a second language (German, a test-only translation in {@code i18n/pages_de.properties})
 * chosen by {@code Accept-Language}, and an application's own templates ({@code shop-pages/}), over
 * real HTTP; the Content-Security-Policy stays Oauthlet's.
 */
class PagesHttpTest {

    /** The README's configuration of languages and templates, exactly. */
    static final String PAGES_YAML = """
              languages: [en, de]           # by Accept-Language; the first when nothing matches
              messages: i18n/pages          # i18n/pages_de.properties on the class path
            """;
    static final String TEMPLATES_YAML = """
              templates: classpath:shop-pages   # login.html and error.html; the other pages stay Oauthlet's
            """;
    private static final Pattern CSP = Pattern.compile(
            "default-src 'none'; style-src 'nonce-([A-Za-z0-9_-]+)'; img-src 'none'; form-action 'self'( http://127\\.0\\.0\\.1:9)?; "
                    + "frame-ancestors 'none'; base-uri 'none'");

    private JettyExample.Running server;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    private void start(String pages) throws Exception {
        server = JettyExample.createServer(ExampleConfigs.authorizationCode(AuthorizationEndpointHttpTest.CALLBACK, pages,
                "authorization:\n  login-failure-delay: 0s\n"), 0);
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> get(String path, String acceptLanguage) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path));
        if (acceptLanguage != null) {
            b.header("Accept-Language", acceptLanguage);
        }
        return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void loginPageWhenAcceptLanguageGermanThenGermanSentencesAndLangDe() throws Exception {
        start(PAGES_YAML);
        HttpResponse<String> r = get(AuthorizationEndpointHttpTest.authorize(), "de-DE,de;q=0.9,en;q=0.5");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("<html lang=\"de\">"), r.body());
        assertTrue(r.body().contains("<title>Anmelden · Acme</title>"), r.body());
        assertTrue(r.body().contains("um mit <strong>Partner Dashboard</strong> fortzufahren"), r.body());
        assertTrue(r.body().contains("<label for=\"password\">Passwort</label>"), r.body());
        assertTrue(r.body().contains("Geschützt durch Acme"), r.body());
        assertFalse(r.body().contains("Sign in"), r.body());
        assertTrue(CSP.matcher(header(r, "Content-Security-Policy")).matches(), header(r, "Content-Security-Policy"));
    }

    @Test
    void pagesWhenAcceptLanguageMissingOrNotOfferedThenEnglish() throws Exception {
        start(PAGES_YAML);
        for (String language : new String[] {null, "fr-FR", "*", "en-GB,de;q=0.1"}) {
            HttpResponse<String> r = get(AuthorizationEndpointHttpTest.authorize(), language);
            assertTrue(r.body().contains("<html lang=\"en\">"), language + ": " + r.body());
            assertTrue(r.body().contains("to continue to <strong>Partner Dashboard</strong>"), language + ": " + r.body());
        }
    }

    @Test
    void refusalsAndConsentWhenGermanThenTranslatedToo() throws Exception {
        start(PAGES_YAML);
        HttpResponse<String> login = get(AuthorizationEndpointHttpTest.authorize(), "de");
        String cookie = sessionCookie(login);
        HttpResponse<String> wrong = post(login, Map.of("action", "login", "username", "alice", "password", "wrong"), cookie);
        assertTrue(wrong.body().contains("Benutzername oder Passwort ist falsch."), wrong.body());
        HttpResponse<String> signedIn = post(login, Map.of("action", "login", "username", "alice", "password", "alice-password"), cookie);
        assertEquals(303, signedIn.statusCode());
        HttpResponse<String> consent = http.send(HttpRequest.newBuilder(URI.create(server.url() + header(signedIn, "Location")))
                .header("Cookie", sessionCookie(signedIn)).header("Accept-Language", "de").GET().build(), HttpResponse.BodyHandlers.ofString());
        assertTrue(consent.body().contains("Partner Dashboard möchte auf Ihr Acme-Konto zugreifen"), consent.body());
        assertTrue(consent.body().contains("Angemeldet als <strong>alice</strong>"), consent.body());
        assertTrue(consent.body().contains(">Erlauben</button>"), consent.body());
        HttpResponse<String> error = get("/oauth/authorize?client_id=nobody", "de");
        assertEquals(400, error.statusCode());
        assertTrue(error.body().contains("Dieser Anmeldelink kann nicht verwendet werden"), error.body());
        assertTrue(error.body().contains("<code>invalid_request</code>"), error.body());
    }

    @Test
    void loginPageWhenApplicationTemplateThenItsHtmlWithEscapedValuesAndTheSameCsp() throws Exception {
        start(PAGES_YAML + TEMPLATES_YAML);
        HttpResponse<String> r = get(AuthorizationEndpointHttpTest.authorize(), "de");
        assertEquals(200, r.statusCode());
        assertTrue(r.body().contains("<h1 class=\"shop-login\">Acme: Anmelden</h1>"), r.body());
        assertTrue(r.body().contains("<p>um mit Partner Dashboard fortzufahren</p>"), r.body());
        assertFalse(r.body().contains("shop-error"), "no error, so its section is left out");
        Matcher csp = CSP.matcher(header(r, "Content-Security-Policy"));
        assertTrue(csp.matches(), header(r, "Content-Security-Policy"));
        assertTrue(r.body().contains("<style nonce=\"" + csp.group(1) + "\">"), "the template's style carries the page's nonce");

        // The template's form works: it carries the request and the CSRF token, and Oauthlet's consent page follows.
        String cookie = sessionCookie(r);
        HttpResponse<String> wrong = post(r, Map.of("action", "login", "username", "<b>alice</b>", "password", "wrong"), cookie);
        assertTrue(wrong.body().contains("<p role=\"alert\" class=\"shop-error\">Benutzername oder Passwort ist falsch.</p>"), wrong.body());
        assertTrue(wrong.body().contains("value=\"&lt;b&gt;alice&lt;/b&gt;\""), wrong.body());
        HttpResponse<String> signedIn = post(r, Map.of("action", "login", "username", "alice", "password", "alice-password"), cookie);
        assertEquals(303, signedIn.statusCode(), signedIn.body());
        HttpResponse<String> error = get("/oauth/authorize?client_id=nobody", null);
        assertTrue(error.body().contains("<h1 class=\"shop-error-page\">This sign-in link can’t be used</h1>"), error.body());
    }

    @Test
    void readmeWhenReadThenShowsThePagesConfigurationThisTestRuns() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("basedir", "."), "../README.md"));
        assertTrue(readme.contains("pages:\n  name: Acme\n" + PAGES_YAML + TEMPLATES_YAML), "README.md shows pages: exactly as this test runs it");
        assertTrue(readme.contains(Files.readString(Path.of(System.getProperty("basedir", "."), "src/test/resources/shop-pages/login.html"))),
                "README.md shows the login template exactly");
    }

    private HttpResponse<String> post(HttpResponse<String> page, Map<String, String> fields, String cookie) throws Exception {
        Map<String, String> form = BrowserlessClient.hiddenFields(page.body());
        form.putAll(fields);
        return http.send(HttpRequest.newBuilder(URI.create(server.url() + "/oauth/authorize")).header("Cookie", cookie)
                .header("Accept-Language", "de").header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(BrowserlessClient.encode(form))).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sessionCookie(HttpResponse<String> r) {
        String c = header(r, "Set-Cookie");
        assertTrue(c != null && c.startsWith(BrowserlessClient.SESSION_COOKIE_PREFIX), String.valueOf(c));
        return c.substring(0, c.indexOf(';'));
    }
}
