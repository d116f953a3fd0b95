package dev.oauthlet.authorize;

import dev.oauthlet.error.OAuthException;
import java.time.Duration;
import java.util.Objects;

/**
 * What the authorization endpoint answers one request with, decided by {@link AuthorizationFlow};
 * the servlet only renders it: a page, a cookie, a redirect.
 */
public sealed interface Step {

    /**
     * The login page.
     *
     * @param setCookie  {@code session} was made for this answer: set it as the session cookie
     * @param username   to fill in again, or {@code null}
     * @param error      a sentence for the user, or {@code null}
     * @param retryAfter for a {@code Retry-After} header when sign-in is throttled, else {@code null}
     */
    record ShowLogin(AuthorizationRequest request, BrowserSession session, boolean setCookie, String username, String error,
                     int status, Duration retryAfter) implements Step {
        public ShowLogin {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(session, "session");
        }
    }

    /** The consent page for the signed-in user of {@code session}. */
    record ShowConsent(AuthorizationRequest request, BrowserSession session, int status) implements Step {
        public ShowConsent {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(session, "session");
        }
    }

    /**
     * The user signed in: set {@code session} as the cookie and send the browser back to the
     * endpoint with the request's parameters (Post/Redirect/Get), so a reload resends no password.
     */
    record SignedIn(AuthorizationRequest request, BrowserSession session) implements Step {
        public SignedIn {
            Objects.requireNonNull(request, "request");
            Objects.requireNonNull(session, "session");
        }
    }

    /** To the client's redirect URI, with a code or an error. */
    record Redirect(String location) implements Step {
        public Redirect {
            Objects.requireNonNull(location, "location");
        }
    }

    /** The application's {@link HostLogin} has written the response itself ({@link HostLogin#answered()}): nothing to render. */
    record Answered() implements Step {
    }

    /** An error page: the request cannot be sent back to the client (RFC 6749 §4.1.2.1). */
    record ErrorPage(OAuthException error) implements Step {
        public ErrorPage {
            Objects.requireNonNull(error, "error");
        }
    }
}
