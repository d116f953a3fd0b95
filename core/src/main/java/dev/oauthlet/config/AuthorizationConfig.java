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
 * @param maxLoginFailuresPerUser    failed checks of one username (or client id) from one address within the window before
 *                                   that pair is refused (default 5)
 * @param maxLoginFailuresPerAddress failed checks from one client address within the window, all names together (default 20)
 * @param loginFailureWindow         the window those limits count in, and how long a lock lasts (default 15m)
 * @param loginFailureDelay          how long the answer to a failed login is held back (default 1s)
 * @param maxConcurrentSecretChecks  PBKDF2 checks (client secrets, passwords) the server runs at once (default: the number of CPUs)
 * @param maxLoginFailuresPerUserAnyAddress failed checks of one username (or client id) from all addresses together within the
 *                                   window: the ceiling a distributed guesser meets (default 100)
 * @param maxQueuedSecretChecks      checks that may wait for a PBKDF2 turn (up to {@link #SECRET_CHECK_WAIT}) before further ones
 *                                   are answered {@code temporarily_unavailable} at once (default 8 per concurrent check)
 * @param trustedProxies             the proxies whose {@code X-Forwarded-For} names the client's address (default none)
 * @param hostLogin                  who signs users in at the authorization endpoint (default {@link HostLoginMode#OAUTHLET}, its login page)
 */
public record AuthorizationConfig(
        boolean pkceRequired,
        boolean pkcePlainAllowed,
        Duration sessionTtl,
        int maxLoginFailuresPerUser,
        int maxLoginFailuresPerAddress,
        Duration loginFailureWindow,
        Duration loginFailureDelay,
        int maxConcurrentSecretChecks,
        int maxLoginFailuresPerUserAnyAddress,
        int maxQueuedSecretChecks,
        TrustedProxies trustedProxies,
        HostLoginMode hostLogin) {

    /** {@code authorization.host-login}: whose login signs users in at the authorization endpoint. */
    public enum HostLoginMode {
        /** Oauthlet's login page, against {@code users:} or the {@code UserAuthenticator}. */
        OAUTHLET,
        /** The servlet container's own authentication ({@code request.getUserPrincipal()}). */
        CONTAINER,
        /** The application's {@code HostLogin}, from the builder or {@code ServiceLoader}. */
        APPLICATION
    }

    /** How long a credential check waits in the queue for a PBKDF2 turn. */
    public static final Duration SECRET_CHECK_WAIT = Duration.ofSeconds(2);

    public AuthorizationConfig {
        trustedProxies = trustedProxies == null ? TrustedProxies.NONE : trustedProxies;
        hostLogin = hostLogin == null ? HostLoginMode.OAUTHLET : hostLogin;
        if (maxLoginFailuresPerUserAnyAddress < maxLoginFailuresPerUser) {
            throw new IllegalArgumentException("login-max-failures-per-user-any-address: must be at least login-max-failures-per-user ("
                    + maxLoginFailuresPerUser + "): it is the ceiling over all addresses together");
        }
        if (maxQueuedSecretChecks < 0) {
            throw new IllegalArgumentException("maxQueuedSecretChecks must not be negative");
        }
        Objects.requireNonNull(sessionTtl, "sessionTtl");
        Objects.requireNonNull(loginFailureWindow, "loginFailureWindow");
        Objects.requireNonNull(loginFailureDelay, "loginFailureDelay");
        if (loginFailureDelay.isNegative() || loginFailureDelay.compareTo(Duration.ofSeconds(10)) > 0) {
            // The delay holds a request thread; past a few seconds it hurts the server more than an attacker.
            throw new IllegalArgumentException("login-failure-delay: must be from 0s to 10s");
        }
        if (maxLoginFailuresPerUser < 1 || maxLoginFailuresPerAddress < 1) {
            throw new IllegalArgumentException("login failure limits must be at least 1");
        }
        if (maxConcurrentSecretChecks < 1) {
            throw new IllegalArgumentException("maxConcurrentSecretChecks must be at least 1");
        }
    }

    /** The settings with Oauthlet's own login page. */
    public AuthorizationConfig(boolean pkceRequired, boolean pkcePlainAllowed, Duration sessionTtl, int maxLoginFailuresPerUser,
                               int maxLoginFailuresPerAddress, Duration loginFailureWindow, Duration loginFailureDelay,
                               int maxConcurrentSecretChecks, int maxLoginFailuresPerUserAnyAddress, int maxQueuedSecretChecks,
                               TrustedProxies trustedProxies) {
        this(pkceRequired, pkcePlainAllowed, sessionTtl, maxLoginFailuresPerUser, maxLoginFailuresPerAddress, loginFailureWindow,
                loginFailureDelay, maxConcurrentSecretChecks, maxLoginFailuresPerUserAnyAddress, maxQueuedSecretChecks, trustedProxies,
                HostLoginMode.OAUTHLET);
    }

    /** The settings without the ceiling, queue and proxies, which take their defaults. */
    public AuthorizationConfig(boolean pkceRequired, boolean pkcePlainAllowed, Duration sessionTtl, int maxLoginFailuresPerUser,
                               int maxLoginFailuresPerAddress, Duration loginFailureWindow, Duration loginFailureDelay,
                               int maxConcurrentSecretChecks) {
        this(pkceRequired, pkcePlainAllowed, sessionTtl, maxLoginFailuresPerUser, maxLoginFailuresPerAddress, loginFailureWindow,
                loginFailureDelay, maxConcurrentSecretChecks, Math.max(DEFAULT_ANY_ADDRESS_CEILING, maxLoginFailuresPerUser),
                defaultQueue(maxConcurrentSecretChecks), TrustedProxies.NONE);
    }

    static final int DEFAULT_ANY_ADDRESS_CEILING = 100;

    static int defaultQueue(int maxConcurrentSecretChecks) {
        return 8 * maxConcurrentSecretChecks;
    }

    public static AuthorizationConfig defaults() {
        return new AuthorizationConfig(true, false, Duration.ofHours(1), 5, 20, Duration.ofMinutes(15), Duration.ofSeconds(1),
                Runtime.getRuntime().availableProcessors());
    }
}
