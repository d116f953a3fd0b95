package dev.oauthlet.user;

import java.util.Optional;

/**
 * Checks a user's credentials: the password grant and the login page both ask it. An embedding
 * application implements it against its own users; the built-in one reads the store's users.
 */
@FunctionalInterface
public interface UserAuthenticator {

    /**
     * Returns the authenticated user, or empty when the credentials do not check out. An
     * implementation may throw {@link dev.oauthlet.error.OAuthException} for a more precise
     * error (e.g. a tenant the user does not belong to).
     */
    Optional<AuthenticatedUser> authenticate(UserCredentials credentials);
}
