package dev.oauthlet.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.MissingResourceException;
import java.util.PropertyResourceBundle;
import java.util.ResourceBundle;

/**
 * The pages' sentences: Oauthlet's English {@code pages.properties}, and the application's
 * translations ({@code pages.messages}, one {@link ResourceBundle} properties file per language of
 * {@code pages.languages}). A translation that lacks a key falls back to English. The language of
 * a page is the best match of the browser's {@code Accept-Language} among {@code pages.languages}
 * (RFC 4647 lookup), else the first of them; with one language, every page is in it.
 */
final class PageMessages {

    static final String ENGLISH = "en";
    /** An {@code Accept-Language} longer than this is not parsed: no browser sends one. */
    private static final int MAX_ACCEPT_LANGUAGE = 256;

    private final Map<String, Language> languages;
    private final Language fallback;

    private PageMessages(Map<String, Language> languages) {
        this.languages = languages;
        this.fallback = languages.values().iterator().next();
    }

    /** Oauthlet's own English sentences only. */
    static PageMessages english() {
        return load(null, List.of(ENGLISH), PageMessages.class.getClassLoader());
    }

    /**
     * @param base      the application's bundle as a resource base name ({@code i18n/pages} or {@code i18n.pages}:
     *                  {@code i18n/pages_de.properties} holds German); {@code null} for none
     * @param languages the languages offered, as BCP 47 tags, the default first
     * @throws IllegalArgumentException naming the language whose file is missing, or a key no page uses
     */
    static PageMessages load(String base, List<String> languages, ClassLoader loader) {
        ResourceBundle builtIn = read(PageMessages.class.getResourceAsStream("pages.properties"), null, "pages.properties");
        String path = base == null ? null : base.replace('.', '/');
        if (path != null && path.endsWith("/properties")) {
            path = path.substring(0, path.length() - "/properties".length());
        }
        ResourceBundle english = builtIn;
        if (path != null) {
            ResourceBundle own = optional(loader, path + "_" + ENGLISH + ".properties", builtIn);
            english = own != null ? own : java.util.Objects.requireNonNullElse(optional(loader, path + ".properties", builtIn), builtIn);
        }
        Map<String, Language> m = new LinkedHashMap<>();
        for (String tag : languages) {
            Locale locale = Locale.forLanguageTag(tag);
            if (locale.getLanguage().isEmpty()) {
                throw new IllegalArgumentException("pages.languages: '" + tag + "' is not a language tag (e.g. en, de, pt-BR)");
            }
            ResourceBundle bundle;
            if (locale.getLanguage().equals(ENGLISH) && locale.getCountry().isEmpty()) {
                bundle = english;
            } else {
                String name = path == null ? null : path + "_" + locale.toString() + ".properties";
                bundle = name == null ? null : optional(loader, name, english);
                if (bundle == null) {
                    throw new IllegalArgumentException("pages.languages: no translation for '" + tag + "'"
                            + (name == null ? " (set pages.messages to the base name of your properties files)"
                            : " (expected the resource " + name + " on the application's class path)"));
                }
            }
            m.put(locale.toLanguageTag(), new Language(locale.toLanguageTag(), bundle));
        }
        return new PageMessages(Collections.unmodifiableMap(m));
    }

    /** The language for a browser that sent this {@code Accept-Language} ({@code null} when it sent none). */
    Language select(String acceptLanguage) {
        if (languages.size() == 1 || acceptLanguage == null || acceptLanguage.isBlank() || acceptLanguage.length() > MAX_ACCEPT_LANGUAGE) {
            return fallback;
        }
        try {
            String tag = Locale.lookupTag(Locale.LanguageRange.parse(acceptLanguage), new ArrayList<>(languages.keySet()));
            return tag == null ? fallback : languages.get(tag);
        } catch (IllegalArgumentException e) {
            return fallback;
        }
    }

    /** The default language, the first of {@code pages.languages}. */
    Language fallback() {
        return fallback;
    }

    private static ResourceBundle optional(ClassLoader loader, String name, ResourceBundle parent) {
        InputStream in = loader.getResourceAsStream(name);
        if (in == null) {
            return null;
        }
        Bundle b = read(in, parent, name);
        for (String key : b.handleKeySet()) {
            if (!parent.containsKey(key)) {
                throw new IllegalArgumentException("pages.messages: " + name + ": unknown key '" + key + "' (the keys are those of "
                        + "Oauthlet's dev/oauthlet/servlet/pages.properties)");
            }
        }
        return b;
    }

    private static Bundle read(InputStream in, ResourceBundle parent, String name) {
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return new Bundle(r, parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + name, e);
        }
    }

    /** One language's sentences. */
    static final class Language {

        private final String tag;
        private final ResourceBundle bundle;

        Language(String tag, ResourceBundle bundle) {
            this.tag = tag;
            this.bundle = bundle;
        }

        /** The BCP 47 tag, for {@code <html lang>}. */
        String tag() {
            return tag;
        }

        /** The sentence itself, unescaped: for a page model that escapes it later. */
        String text(String key, Map<String, String> args) {
            return substitute(raw(key), args, false);
        }

        /**
         * The sentence as markup: its text escaped, each {@code {name}} replaced by {@code args}'
         * markup for it (which the caller built from escaped values).
         */
        String html(String key, Map<String, String> markup) {
            return substitute(raw(key), markup, true);
        }

        String html(String key) {
            return html(key, Map.of());
        }

        boolean has(String key) {
            return bundle.containsKey(key);
        }

        private String raw(String key) {
            try {
                return bundle.getString(key);
            } catch (MissingResourceException e) {
                throw new IllegalStateException("pages.properties lacks '" + key + "'", e);
            }
        }

        private static String substitute(String text, Map<String, String> args, boolean escape) {
            StringBuilder sb = new StringBuilder(text.length() + 64);
            int i = 0;
            while (i < text.length()) {
                int open = text.indexOf('{', i);
                int close = open < 0 ? -1 : text.indexOf('}', open);
                String name = close < 0 ? null : text.substring(open + 1, close);
                int end = name != null && args.containsKey(name) ? open : close < 0 ? text.length() : close + 1;
                String segment = text.substring(i, end);
                sb.append(escape ? Html.esc(segment) : segment);
                if (end == open) {
                    sb.append(args.get(name));
                    end = close + 1;
                }
                i = end;
            }
            return sb.toString();
        }
    }

    /** A properties bundle with a parent to fall back to. */
    private static final class Bundle extends PropertyResourceBundle {
        Bundle(Reader reader, ResourceBundle parent) throws IOException {
            super(reader);
            if (parent != null) {
                setParent(parent);
            }
        }

        /** Its own keys, without the parent's: visible here to check a translation's keys. */
        @Override
        protected java.util.Set<String> handleKeySet() {
            return super.handleKeySet();
        }
    }
}
