package dev.oauthlet.config;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code authorization:} — the authorization code flow: PKCE policy, the login session, and how
 * failed logins are slowed down and limited.
 *
 * @param pkceRequired               require PKCE from confidential clients too (public clients always need it); default {@code true}
 * @param pkcePlainAllowed           accept {@code code_challenge_method=plain}; default {@code false} (S256 only)
 * @param sessionTtl                 how long a sign-in on the login page lasts (default 1h)
 * @param maxLoginFailuresPerUser    failed logins for one username within the window before it is locked (default 5)
 * @param maxLoginFailuresPerAddress failed logins from one client address within the window before it is locked (default 20)
 * @param loginFailureWindow         the window those limits count in, and how long a lock lasts (default 15m)
 * @param loginFailureDelay          how long the answer to a failed login is held back (default 1s)
 * @param maxConcurrentSecretChecks  PBKDF2 checks (client secrets, passwords) the server runs at once; more wait up to 1s,
 *                                   then get {@code temporarily_unavailable} (default: the number of CPUs)
 */
public record AuthorizationConfig(
        boolean pkceRequired,
        boolean pkcePlainAllowed,
        Duration sessionTtl,
        int maxLoginFailuresPerUser,
        int maxLoginFailuresPerAddress,
        Duration loginFailureWindow,
        Duration loginFailureDelay,
        int maxConcurrentSecretChecks) {

    public AuthorizationConfig {
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        Objects.requireNonNull(loginFailureWindow, "loginFailureWindow");
        Objects.requireNonNull(loginFailureDelay, "loginFailureDelay");
        if (maxLoginFailuresPerUser < 1 || maxLoginFailuresPerAddress < 1) {
            throw new IllegalArgumentException("login failure limits must be at least 1");
        }
        if (maxConcurrentSecretChecks < 1) {
            throw new IllegalArgumentException("maxConcurrentSecretChecks must be at least 1");
        }
    }

    public static AuthorizationConfig defaults() {
        return new AuthorizationConfig(true, false, Duration.ofHours(1), 5, 20, Duration.ofMinutes(15), Duration.ofSeconds(1),
                Runtime.getRuntime().availableProcessors());
    }
}
