package dev.oauthlet.authorize;

import dev.oauthlet.user.AuthenticatedUser;
import java.time.Duration;
import java.util.Objects;

/**
 * What a sign-in attempt on the login page came to. The sentences below are what the flow tells
 * the user; the pages translate each by its key in their resource bundle.
 */
public sealed interface LoginOutcome {

    String MISSING_CREDENTIALS = "Enter your username and password.";
    String INCORRECT_CREDENTIALS = "The username or password is incorrect.";
    /** The form's CSRF token does not match the browser's session (or there is none). */
    String PAGE_EXPIRED = "This page expired. Please sign in again.";
    /** A consent form came back without a signed-in session. */
    String SESSION_ENDED = "Your session ended. Please sign in again.";

    /** The credentials checked out. */
    record SignedIn(AuthenticatedUser user) implements LoginOutcome {
        public SignedIn {
            Objects.requireNonNull(user, "user");
        }
    }

    /** They did not; {@code message} is fit to show on the page. */
    record Refused(String message) implements LoginOutcome {
        public Refused {
            Objects.requireNonNull(message, "message");
        }
    }

    /** Too many failures for this username or address: the password was not even checked. */
    record Throttled(Duration retryAfter) implements LoginOutcome {
        public Throttled {
            Objects.requireNonNull(retryAfter, "retryAfter");
        }
    }
}
