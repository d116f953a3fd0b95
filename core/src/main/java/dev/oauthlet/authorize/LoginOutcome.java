package dev.oauthlet.authorize;

import dev.oauthlet.user.AuthenticatedUser;
import java.time.Duration;
import java.util.Objects;

/** What a sign-in attempt on the login page came to. */
public sealed interface LoginOutcome {

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
