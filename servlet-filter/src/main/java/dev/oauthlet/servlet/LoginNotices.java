package dev.oauthlet.servlet;

import dev.oauthlet.authorize.LoginOutcome;
import java.time.Duration;
import java.util.Map;

/**
 * The login page's notices in the page's language. Core decides in English sentences
 * ({@link LoginOutcome}'s constants); each has a key of {@code pages.properties}. A sentence
 * without one (from an older or custom flow) is shown as it is.
 */
final class LoginNotices {

    private static final Map<String, String> KEYS = Map.of(
            LoginOutcome.MISSING_CREDENTIALS, "login.error.missing",
            LoginOutcome.INCORRECT_CREDENTIALS, "login.error.incorrect",
            LoginOutcome.PAGE_EXPIRED, "login.error.expired",
            LoginOutcome.SESSION_ENDED, "login.error.session-ended");

    private LoginNotices() {
    }

    /** The text (unescaped) for the flow's {@code sentence}; a throttled sign-in names the wait in minutes. */
    static String text(PageMessages.Language t, String sentence, Duration retryAfter) {
        if (retryAfter != null) {
            long m = Math.max(1, (retryAfter.toSeconds() + 59) / 60);
            String wait = m == 1 ? t.text("login.wait.minute", Map.of()) : t.text("login.wait.minutes", Map.of("minutes", Long.toString(m)));
            return t.text("login.error.throttled", Map.of("wait", wait));
        }
        String key = KEYS.get(sentence);
        return key == null ? sentence : t.text(key, Map.of());
    }
}
