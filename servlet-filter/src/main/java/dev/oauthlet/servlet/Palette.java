package dev.oauthlet.servlet;

import dev.oauthlet.config.PagesConfig;

/**
 * The pages' colours, derived from the two configured ones so that every pairing keeps WCAG AA
 * contrast whatever the operator picks: text on a button is black or white, whichever reads
 * better; a primary colour too light for text on white is used only where it need not be read.
 *
 * @param primary      buttons and accents
 * @param onPrimary    text on {@code primary}
 * @param primaryText  {@code primary} where it colours text on white, or dark text when it is too light
 * @param focus        focus rings (3:1 against white at least)
 * @param background   the page
 * @param onBackground small text straight on the page
 */
record Palette(String primary, String onPrimary, String primaryText, String focus, String background, String onBackground) {

    static final String TEXT = "#172033";
    static final String MUTED = "#566074";
    private static final String WHITE = "#ffffff";
    private static final String BLACK = "#000000";

    static Palette of(PagesConfig pages) {
        String primary = normalize(pages.primaryColor());
        String background = normalize(pages.backgroundColor());
        String onPrimary = readableOn(primary, WHITE, TEXT);
        String primaryText = contrast(primary, WHITE) >= 4.5 ? primary : TEXT;
        String focus = contrast(primary, WHITE) >= 3 ? primary : TEXT;
        String onBackground = readableOn(background, MUTED, TEXT, "#e8ebf2");
        return new Palette(primary, onPrimary, primaryText, focus, background, onBackground);
    }

    /**
     * The first of {@code preferred} that reads on {@code background} at 4.5:1, else black or
     * white, whichever contrasts more — one of them always reaches 4.5:1.
     */
    private static String readableOn(String background, String... preferred) {
        for (String c : preferred) {
            if (contrast(c, background) >= 4.5) {
                return c;
            }
        }
        return contrast(WHITE, background) >= contrast(BLACK, background) ? WHITE : BLACK;
    }

    /** {@code #abc} becomes {@code #aabbcc}, lower case. */
    static String normalize(String hex) {
        String h = hex.toLowerCase(java.util.Locale.ROOT);
        if (h.length() == 4) {
            return "#" + h.charAt(1) + h.charAt(1) + h.charAt(2) + h.charAt(2) + h.charAt(3) + h.charAt(3);
        }
        return h;
    }

    /** WCAG 2 contrast ratio of two {@code #rrggbb} colours, from 1 to 21. */
    static double contrast(String a, String b) {
        double la = luminance(a);
        double lb = luminance(b);
        return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
    }

    private static double luminance(String hex) {
        String h = normalize(hex);
        return 0.2126 * channel(h, 1) + 0.7152 * channel(h, 3) + 0.0722 * channel(h, 5);
    }

    private static double channel(String hex, int at) {
        double c = Integer.parseInt(hex.substring(at, at + 2), 16) / 255.0;
        return c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
