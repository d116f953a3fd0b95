package dev.oauthlet.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;

/**
 * The application's own page templates ({@code pages.templates}): a directory, or
 * {@code classpath:PREFIX} for resources of the application, holding any of {@code login.html},
 * {@code consent.html}, {@code error.html}, {@code sign-out.html} and {@code signed-out.html}. A
 * page without a file keeps Oauthlet's own. Read once, at start.
 */
final class PageTemplates {

    /** Every page has these: the CSP nonce its {@code <style nonce>} needs, the language, the product name and logo. */
    static final Set<String> COMMON = Set.of("nonce", "lang", "product", "logo_url");

    /** The pages an application can replace, each with the values its template may show. */
    enum Page {
        LOGIN("login.html", Set.of("action", "hidden_fields", "csrf_token", "client", "username", "error")),
        CONSENT("consent.html", Set.of("action", "hidden_fields", "csrf_token", "client", "subject", "scope_list", "resource_list",
                "host")),
        ERROR("error.html", Set.of("code", "description")),
        SIGN_OUT("sign-out.html", Set.of("action", "csrf_token", "subject")),
        SIGNED_OUT("signed-out.html", Set.of());

        final String file;
        final Set<String> names;

        Page(String file, Set<String> own) {
            this.file = file;
            java.util.Set<String> all = new java.util.HashSet<>(own);
            all.addAll(COMMON);
            this.names = Set.copyOf(all);
        }
    }

    private PageTemplates() {
    }

    /**
     * @param location {@code pages.templates}; {@code null} for none
     * @throws IllegalArgumentException when the location holds no template, or a template is wrong
     */
    static Map<Page, PageTemplate> load(String location, ClassLoader loader, PageMessages.Language english) {
        Map<Page, PageTemplate> m = new EnumMap<>(Page.class);
        if (location == null) {
            return m;
        }
        for (Page page : Page.values()) {
            String text = read(location, page.file, loader);
            if (text != null) {
                m.put(page, PageTemplate.parse(text, page.names, english, "pages.templates: " + location + "/" + page.file));
            }
        }
        if (m.isEmpty()) {
            throw new IllegalArgumentException("pages.templates: " + location + " holds none of login.html, consent.html, error.html, "
                    + "sign-out.html, signed-out.html");
        }
        return m;
    }

    private static String read(String location, String file, ClassLoader loader) {
        try {
            if (location.startsWith("classpath:")) {
                String prefix = location.substring("classpath:".length());
                String name = (prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/") + file;
                try (InputStream in = loader.getResourceAsStream(name.startsWith("/") ? name.substring(1) : name)) {
                    return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            }
            Path dir = Path.of(location);
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("pages.templates: " + location + " is not a directory (or write classpath:PREFIX)");
            }
            Path p = dir.resolve(file);
            return Files.isRegularFile(p) ? Files.readString(p, StandardCharsets.UTF_8) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("pages.templates: cannot read " + file + " from " + location, e);
        }
    }
}
