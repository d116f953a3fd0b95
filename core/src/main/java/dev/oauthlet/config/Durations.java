package dev.oauthlet.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the durations the configuration accepts: {@code 90s}, {@code 15m}, {@code 1h}, {@code 90d}, ISO-8601. */
public final class Durations {

    private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private Durations() {
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message fit to follow a key path
     */
    public static Duration parse(String text) {
        String t = text.trim();
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
        try {
            String iso = t.toUpperCase(java.util.Locale.ROOT);
            if (iso.startsWith("P") && !iso.contains("T") && iso.endsWith("D")) {
                return Duration.ofDays(Long.parseLong(iso.substring(1, iso.length() - 1)));
            }
            return Duration.parse(iso);
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (use 90s, 15m, 1h, 90d or ISO-8601 such as PT1H)");
        }
    }
}
