package dev.oauthlet.authorize;

import dev.oauthlet.user.AuthenticatedUser;
import dev.oauthlet.user.SignInContext;

/**
 * A step the signed-in user must pass before the consent page and before any code: a one-time
 * password, a security key, a confirmation. It is asked every time — when the endpoint is visited
 * and again when the consent form comes back — so replaying a consent form, or posting one from
 * before the step, issues no code. Keep what the user has passed in the application's own session
 * (through {@link HostContext#unwrap}).
 *
 * <p>Given to {@code Oauthlet.builder().secondFactor(...)}, or found through
 * {@link java.util.ServiceLoader} (one provider at most). It applies whether the user signed in on
 * Oauthlet's login page or through a {@link HostLogin}. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface SecondFactor {

    /**
     * @return {@link #passed}, {@link #sendTo} (the application's page for the step, which later sends
     *     the browser back to {@link HostContext#returnTo()}), or {@link #denied}
     */
    Answer check(AuthenticatedUser user, HostContext context);

    /** The user has passed the step; it adds nothing to the ID token's {@code amr}. */
    static Answer passed() {
        return new Passed(SignInContext.UNKNOWN);
    }

    /**
     * The user has passed the step by {@code how}'s methods (e.g. {@code SignInContext.methods("otp")}):
     * the ID token's {@code amr} lists them after the sign-in's, with {@code mfa}, and its {@code acr} is
     * {@code how}'s when declared.
     */
    static Answer passed(SignInContext how) {
        return new Passed(how);
    }

    /** Send the browser to {@code location} for the step; the application sends it back to {@link HostContext#returnTo()}. */
    static HostLogin.SendTo sendTo(String location) {
        return new HostLogin.SendTo(location);
    }

    /** The step failed for good: the client gets {@code error=access_denied}. */
    static HostLogin.Denied denied(String reason) {
        return new HostLogin.Denied(reason);
    }

    /** What {@link #check} answers. */
    sealed interface Answer permits Passed, HostLogin.SendTo, HostLogin.Denied {
    }

    /** The user has passed the step, by {@code signIn}'s methods. */
    record Passed(SignInContext signIn) implements Answer {
        public Passed {
            signIn = signIn == null ? SignInContext.UNKNOWN : signIn;
        }
    }
}
