package dev.oauthlet.servlet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.oauthlet.authorize.AuthorizationRequest;
import dev.oauthlet.authorize.LoginOutcome;
import dev.oauthlet.client.ClientRegistration;
import dev.oauthlet.config.PagesConfig;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages without a container: Oauthlet's own, byte for byte as before their sentences moved
 * into pages.properties (the golden files were written by the code before that change); the
 * language choice; an application's templates; and escaping of every value.
 */
class AuthorizationPagesTest {

    private static final String NONCE = "n0nce";
    private static final String MARKUP = "<script>alert(1)</script>\"'&<b>";
    private static final PagesConfig PLAIN = new PagesConfig("Acme", null, "#2457d6", "#f4f6fb");
    private static final PagesConfig LOGO = new PagesConfig("Acme", "https://cdn.acme.example/logo.svg", "#0a7", "#F0F2F5");
    private static final Function<String, String> DESCRIBE = s -> s.equals("orders:read") ? "See your orders and their delivery status" : s;

    private static AuthorizationRequest request(String clientName, Map<String, String> params, Set<String> scopes, List<String> resources) {
        ClientRegistration client = new ClientRegistration("partner-app", clientName, null, true, Set.of("authorization_code"),
                "api://orders", Set.of(), Set.of(), null, List.of(), false);
        return new AuthorizationRequest(client, "http://127.0.0.1:9/callback", true, scopes, "s-123", null, null, params, resources);
    }

    private static AuthorizationRequest partner() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("client_id", "partner-app");
        p.put("response_type", "code");
        p.put("redirect_uri", "http://127.0.0.1:9/callback");
        p.put("scope", "orders:read orders:write");
        p.put("state", "s-123");
        p.put("code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        p.put("code_challenge_method", "S256");
        return request("Partner Dashboard", p, Set.of("orders:read", "orders:write"), List.of("https://api.example.com/orders"));
    }

    private static String golden(String name) throws IOException {
        return Files.readString(Path.of("src/test/resources/pages-golden", name), StandardCharsets.UTF_8);
    }

    @Test
    void builtInPagesWhenEnglishThenByteForByteAsBeforeTheBundle() throws IOException {
        AuthorizationPages.Localized plain = new AuthorizationPages(PLAIN).in(null);
        AuthorizationPages.Localized logo = new AuthorizationPages(LOGO).in("de-DE,de;q=0.9");
        // In the order the golden file has them (it was written from a Map.of, whose order varies between JVM runs).
        Map<String, String> minimal = new LinkedHashMap<>();
        minimal.put("response_type", "code");
        minimal.put("client_id", "partner-app");
        AuthorizationRequest none = request("Partner Dashboard", minimal, Set.of(), List.of());
        assertEquals(golden("login.html"), plain.login(NONCE, "/oauth/authorize", partner(), "csrf-1", null, null, null));
        assertEquals(golden("login-error.html"), logo.login(NONCE, "/oauth/authorize", partner(), "csrf-1", "alice",
                LoginOutcome.INCORRECT_CREDENTIALS, null));
        assertEquals(golden("consent.html"), plain.consent(NONCE, "/oauth/authorize", partner(), "csrf-1", "alice",
                List.of("orders:read", "orders:write"), DESCRIBE));
        assertEquals(golden("consent-no-scopes.html"), logo.consent(NONCE, "/oauth/authorize", none, "csrf-1", "alice", List.of(), DESCRIBE));
        assertEquals(golden("sign-out.html"), plain.signOut(NONCE, "/oauth/logout", "csrf-1", "alice"));
        assertEquals(golden("signed-out.html"), plain.signedOut(NONCE));
        assertEquals(golden("error.html"), logo.error(NONCE, "invalid_request", "redirect_uri is not registered for this client"));
    }

    @Test
    void loginWhenThrottledThenWaitInMinutesInThePagesLanguage() {
        AuthorizationPages.Localized en = new AuthorizationPages(PLAIN).in(null);
        assertTrue(en.login(NONCE, "/a", partner(), "c", "alice", "ignored", Duration.ofSeconds(61))
                .contains("Too many failed sign-in attempts. Try again in 2 minutes."));
        assertTrue(en.login(NONCE, "/a", partner(), "c", "alice", "ignored", Duration.ofSeconds(30))
                .contains("Try again in 1 minute."));
    }

    @Test
    void builtInPagesWhenMarkupInEveryValueThenAllEscaped() {
        PagesConfig pages = new PagesConfig(MARKUP, null, "#2457d6", "#f4f6fb");
        AuthorizationRequest r = request(MARKUP, Map.of("client_id", MARKUP, MARKUP, MARKUP), Set.of(MARKUP), List.of("https://x.example/" + MARKUP));
        AuthorizationPages.Localized p = new AuthorizationPages(pages).in(null);
        for (String page : List.of(
                p.login(NONCE, MARKUP, r, MARKUP, MARKUP, MARKUP, null),
                p.consent(NONCE, MARKUP, r, MARKUP, MARKUP, List.of(MARKUP), s -> MARKUP),
                p.consent(NONCE, MARKUP, r, MARKUP, MARKUP, List.of(), s -> MARKUP),
                p.signOut(NONCE, MARKUP, MARKUP, MARKUP),
                p.signedOut(NONCE),
                p.error(NONCE, MARKUP, MARKUP))) {
            assertNoInjection(page);
        }
    }

    @Test
    void templatesWhenMarkupInEveryPlaceholderThenAllEscaped(@TempDir Path dir) throws IOException {
        for (PageTemplates.Page page : PageTemplates.Page.values()) {
            String all = page.names.stream().sorted().map(n -> "<p>{{" + n + "}}</p><p title=\"{{" + n + "}}\">{{#" + n + "}}x{{/" + n + "}}</p>")
                    .collect(Collectors.joining("\n"));
            Files.writeString(dir.resolve(page.file), all + "\n<p>{{t:error.detail}} {{t:consent.heading}} {{t:login.lead}}</p>");
        }
        PageMessages messages = PageMessages.english();
        Map<PageTemplates.Page, PageTemplate> templates = PageTemplates.load(dir.toString(), getClass().getClassLoader(), messages.fallback());
        assertEquals(PageTemplates.Page.values().length, templates.size());
        PagesConfig pages = new PagesConfig(MARKUP, "https://cdn.example/" + "%3Cx%3E.svg", "#2457d6", "#f4f6fb");
        AuthorizationRequest r = request(MARKUP, Map.of(MARKUP, MARKUP), Set.of(MARKUP), List.of("https://x.example/" + MARKUP));
        AuthorizationPages.Localized p = new AuthorizationPages(pages, messages, templates).in(MARKUP);
        List<String> rendered = List.of(
                p.login(MARKUP, MARKUP, r, MARKUP, MARKUP, MARKUP, null),
                p.consent(MARKUP, MARKUP, r, MARKUP, MARKUP, List.of(MARKUP), s -> MARKUP),
                p.signOut(MARKUP, MARKUP, MARKUP, MARKUP),
                p.signedOut(MARKUP),
                p.error(MARKUP, MARKUP, MARKUP));
        for (String page : rendered) {
            assertNoInjection(page);
            assertTrue(page.contains("&lt;script&gt;"), "the value is shown, escaped: " + page);
        }
        assertTrue(rendered.get(0).contains("<input type=\"hidden\" name=\"csrf_token\" value=\"&lt;script&gt;"), rendered.get(0));
    }

    /** No tag, attribute or entity came from a value: every {@code <}, quote and {@code &} of MARKUP arrived escaped. */
    private static void assertNoInjection(String page) {
        assertFalse(page.contains("<script"), page);
        assertFalse(page.contains("<b>"), page);
        assertFalse(page.contains("\"'&<"), page);
        assertFalse(page.contains("'&<b"), page);
    }

    @Test
    void templateWhenUnknownPlaceholderThenRefusedNamingFileAndPlaceholder(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("consent.html"), "<p>{{username}}</p>");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PageTemplates.load(dir.toString(), getClass().getClassLoader(), PageMessages.english().fallback()));
        assertTrue(e.getMessage().contains("consent.html") && e.getMessage().contains("{{username}}"), e.getMessage());
    }

    @Test
    void templateWhenUnknownMessageOrUnclosedSectionThenRefused(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("login.html"), "<p>{{t:login.nope}}</p>");
        assertThrows(IllegalArgumentException.class,
                () -> PageTemplates.load(dir.toString(), getClass().getClassLoader(), PageMessages.english().fallback()));
        Files.writeString(dir.resolve("login.html"), "<p>{{#error}}{{error}}</p>");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PageTemplates.load(dir.toString(), getClass().getClassLoader(), PageMessages.english().fallback()));
        assertTrue(e.getMessage().contains("never closed"), e.getMessage());
    }

    @Test
    void messagesWhenLanguageListedWithoutItsFileThenRefusedNamingTheResource(@TempDir Path dir) throws IOException {
        ClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PageMessages.load("i18n/pages", List.of("en", "fr"), loader));
        assertTrue(e.getMessage().contains("i18n/pages_fr.properties"), e.getMessage());
    }

    @Test
    void messagesWhenTranslationHasUnknownKeyThenRefused(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("i18n"));
        Files.writeString(dir.resolve("i18n/pages_de.properties"), "login.titel=Anmelden\n");
        ClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PageMessages.load("i18n/pages", List.of("en", "de"), loader));
        assertTrue(e.getMessage().contains("login.titel"), e.getMessage());
    }

    @Test
    void selectWhenAcceptLanguageThenBestOfferedLanguageElseTheFirst(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("i18n"));
        Files.writeString(dir.resolve("i18n/pages_de.properties"), "login.title=Anmelden\n", StandardCharsets.UTF_8);
        ClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null);
        PageMessages m = PageMessages.load("i18n/pages", List.of("en", "de"), loader);
        assertEquals("de", m.select("de-CH, en;q=0.5").tag());
        assertEquals("en", m.select("fr-FR, en;q=0.5, de;q=0.1").tag());
        assertEquals("en", m.select("fr").tag());
        assertEquals("en", m.select(null).tag());
        assertEquals("en", m.select("@@@;q=x").tag());
        assertEquals("en", m.select("de;q=0.9," + "x".repeat(300)).tag(), "an absurdly long header is not parsed");
        assertEquals("Anmelden", m.select("de").text("login.title", Map.of()));
        assertEquals("Sign in", m.select("de").text("login.submit", Map.of()), "a key the translation lacks falls back to English");
        PageMessages german = PageMessages.load("i18n/pages", List.of("de"), loader);
        assertEquals("de", german.select("en").tag(), "one language: every page is in it");
        assertEquals(new EnumMap<>(PageTemplates.Page.class), PageTemplates.load(null, loader, m.fallback()));
    }
}
