package dev.oauthlet.config;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * {@code pages:} — how the login and consent pages present the service.
 *
 * @param name            the product name in titles and headings (default {@code Oauthlet})
 * @param logoUrl         an image shown above the form; {@code null} shows the name's initial instead
 * @param primaryColor    buttons, focus rings and accents, {@code #rgb} or {@code #rrggbb} (default {@code #2457d6})
 * @param backgroundColor the page behind the card (default {@code #f4f6fb})
 */
public record PagesConfig(String name, String logoUrl, String primaryColor, String backgroundColor) {

    /** The only colour syntax accepted: it goes into a stylesheet, so nothing else may get through. */
    public static final Pattern COLOR = Pattern.compile("#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})");

    public PagesConfig {
        Objects.requireNonNull(name, "name");
        if (!COLOR.matcher(primaryColor).matches() || !COLOR.matcher(backgroundColor).matches()) {
            throw new IllegalArgumentException("colours must be #rgb or #rrggbb");
        }
    }

    public static PagesConfig defaults() {
        return new PagesConfig("Oauthlet", null, "#2457d6", "#f4f6fb");
    }
}
