package dev.oauthlet.authorize;

import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.SignInContext;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * Sign-in handed over to the application that embeds Oauthlet: instead of showing its own login
 * page, the authorization endpoint asks this who the browser's user is. Consent, codes and
 * everything after stay Oauthlet's.
 *
 * <p>Given to {@code Oauthlet.builder().hostLogin(...)}, or found through {@link java.util.ServiceLoader}
 * when {@code authorization.host-login: application}; {@code authorization.host-login: container}
 * uses the servlet container's own authentication ({@code request.getUserPrincipal()}) instead.
 * It is asked on every visit to the endpoint and again before a code is issued, so a user who
 * signs out of the application, or becomes someone else there, gets no code for the old account.
 * Implementations must be thread-safe.
 */
@FunctionalInterface
public interface HostLogin {

    /**
     * Who is signed in to the application for this request.
     *
     * @return {@link #signedIn}, {@link #sendTo} (the application's login page, which later sends
     *     the browser back to {@link HostContext#returnTo()}), {@link #answered} (the application has
     *     written the response itself), or {@link #denied}
     */
    Answer authenticate(HostContext context);

    /** The user, as {@code sub} of the tokens; no extra claims. */
    static Answer signedIn(String subject) {
        return new SignedIn(new AuthenticatedUser(subject, Map.of()), null, null);
    }

    /** The user, with the claims of their access tokens; nothing said of how they signed in. */
    static Answer signedIn(AuthenticatedUser user) {
        return new SignedIn(user, null, null);
    }

    /**
     * The user, signed in as {@code how} says: the ID token's {@code amr} (RFC 8176 methods such as
     * {@code pwd}, {@code otp}, {@code hwk}) and, when declared, {@code acr}.
     */
    static Answer signedIn(AuthenticatedUser user, SignInContext how) {
        return new SignedIn(user, how, null);
    }

    /**
     * As {@link #signedIn(AuthenticatedUser, SignInContext)}, the user having authenticated at
     * {@code authenticatedAt} (the ID token's {@code auth_time}). Say it when the application knows,
     * above all after it re-authenticated the user for {@code prompt=login} or a {@code max_age}
     * ({@link HostContext#request()}): a time later than the Oauthlet session's renews that session,
     * so the next ID token carries it. A time in the future counts as now.
     */
    static Answer signedIn(AuthenticatedUser user, SignInContext how, Instant authenticatedAt) {
        return new SignedIn(user, how, authenticatedAt);
    }

    /** Not signed in yet: send the browser to {@code location} (a path on this server or an absolute URL). */
    static SendTo sendTo(String location) {
        return new SendTo(location);
    }

    /**
     * Not signed in yet, and the application has already answered this request itself: its login
     * page or challenge is written (e.g. by {@code request.authenticate(response)}, which shows the
     * container's FORM login), so Oauthlet writes nothing more. Never answer this when
     * {@link HostContext#silent()}: nothing may be shown then, and Oauthlet answers the client
     * {@code login_required} instead, as for {@link #sendTo}.
     */
    static Answered answered() {
        return new Answered();
    }

    /** This user may not sign in to the client: it receives {@code error=access_denied}. */
    static Denied denied(String reason) {
        return new Denied(reason);
    }

    /** What {@link #authenticate} answers. */
    sealed interface Answer permits SignedIn, SendTo, Answered, Denied {
    }

    /**
     * The application has signed {@code user} in.
     *
     * @param signIn          how: {@code acr} and {@code amr} of the ID token; {@code null} takes {@link SignInContext#UNKNOWN} (neither claim)
     * @param authenticatedAt when the user authenticated; {@code null} when the application does not say
     */
    record SignedIn(AuthenticatedUser user, SignInContext signIn, Instant authenticatedAt) implements Answer {
        public SignedIn {
            Objects.requireNonNull(user, "user");
            signIn = signIn == null ? SignInContext.UNKNOWN : signIn;
        }

        /** Nothing said of when. */
        public SignedIn(AuthenticatedUser user, SignInContext signIn) {
            this(user, signIn, null);
        }
    }

    /**
     * Send the browser to {@code location} first; the application sends it back to
     * {@link HostContext#returnTo()} when it is done.
     */
    record SendTo(String location) implements Answer, SecondFactor.Answer {
        public SendTo {
            Objects.requireNonNull(location, "location");
            if (location.isEmpty() || location.chars().anyMatch(c -> c < 0x21 || c == 0x7f)) {
                throw new IllegalArgumentException("location: must be a URL without spaces or control characters");
            }
        }
    }

    /** The application has written the response (its login page, a challenge); see {@link #answered()}. */
    record Answered() implements Answer {
    }

    /** The client gets {@code error=access_denied}; {@code reason} goes to the log only. */
    record Denied(String reason) implements Answer, SecondFactor.Answer {
        public Denied {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
