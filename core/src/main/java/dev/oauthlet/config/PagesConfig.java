package dev.oauthlet.config;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code pages:} — how the login and consent pages present the service.
 *
 * @param name            the product name in titles and headings (default {@code Oauthlet})
 * @param logoUrl         an image shown above the form; {@code null} shows the name's initial instead
 * @param primaryColor    buttons, focus rings and accents, {@code #rgb} or {@code #rrggbb} (default {@code #2457d6})
 * @param backgroundColor the page behind the card (default {@code #f4f6fb})
 * @param languages       the languages the pages are offered in, as language tags, the default first (default {@code [en]})
 * @param messages        the base name of the application's translations on its class path, e.g. {@code i18n/pages}; {@code null} for none
 * @param templates       where the application's own page templates are (a directory, or {@code classpath:PREFIX}); {@code null} for none
 */
public record PagesConfig(String name, String logoUrl, String primaryColor, String backgroundColor, List<String> languages,
                          String messages, String templates) {

    /** The only colour syntax accepted: it goes into a stylesheet, so nothing else may get through. */
    public static final Pattern COLOR = Pattern.compile("#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})");
    /** A BCP 47 language tag as {@code pages.languages} takes it: a language, optionally a script or region. */
    private static final Pattern LANGUAGE = Pattern.compile("[a-zA-Z]{2,3}(?:-[a-zA-Z]{4})?(?:-(?:[a-zA-Z]{2}|[0-9]{3}))?");

    /**
     * Checks every part, whether it comes from the file or from code: the logo URL and colours go
     * into the pages' markup, stylesheet and Content-Security-Policy. A message starts with the
     * key it is about ({@code logo-url: ...}), for {@link ConfigLoader} to place in the file.
     */
    public PagesConfig {
        Objects.requireNonNull(name, "name");
        languages = languages == null || languages.isEmpty() ? List.of("en") : List.copyOf(languages);
        for (String tag : languages) {
            if (!LANGUAGE.matcher(tag).matches()) {
                throw new IllegalArgumentException("languages: '" + tag + "' is not a language tag (e.g. en, de, pt-BR)");
            }
        }
        if (new java.util.HashSet<>(languages).size() != languages.size()) {
            throw new IllegalArgumentException("languages: a language is listed twice");
        }
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: empty (set the product name shown on the login page)");
        }
        if (logoUrl != null) {
            requireSafeLogo(logoUrl);
        }
        requireColor("primary-color", primaryColor);
        requireColor("background-color", backgroundColor);
    }

    private static void requireSafeLogo(String logo) {
        if (!(logo.startsWith("https://") || isLoopbackHttp(logo) || logo.startsWith("/") || logo.startsWith("data:image/"))) {
            throw new IllegalArgumentException("logo-url: must be an https:// URL (http:// only on localhost), a path starting with '/', "
                    + "or a data:image/ URL, got '" + logo + "'");
        }
        if (logo.contains("\"") || logo.contains("'") || logo.contains(" ")) {
            throw new IllegalArgumentException("logo-url: must not contain quotes or spaces (percent-encode them)");
        }
    }

    /** An http logo is mixed content on an https page and can be swapped on the way; only a local one is taken. */
    private static boolean isLoopbackHttp(String url) {
        try {
            java.net.URI u = new java.net.URI(url);
            return "http".equals(u.getScheme()) && u.getHost() != null && RedirectUris.isLoopback(u.getHost());
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    private static void requireColor(String key, String color) {
        if (color == null || !COLOR.matcher(color).matches()) {
            throw new IllegalArgumentException(key + ": expected a colour such as '#2457d6' (#rgb or #rrggbb; quote it in YAML), got '"
                    + color + "'");
        }
    }

    /** Name, logo and colours; English only, Oauthlet's own pages. */
    public PagesConfig(String name, String logoUrl, String primaryColor, String backgroundColor) {
        this(name, logoUrl, primaryColor, backgroundColor, List.of("en"), null, null);
    }

    public static PagesConfig defaults() {
        return new PagesConfig("Oauthlet", null, "#2457d6", "#f4f6fb");
    }
}
