package dev.oauthlet.user;

import java.util.Optional;
import java.util.Set;

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

    /**
     * The request parameters that choose which of a user's identities signs in (a tenant, say).
     * A refresh that names one its login did not is refused, so a refresh never yields a token for
     * another identity. The default is the tenant's, {@link Tenant#TYPE_PARAMETER} and
     * {@link Tenant#ID_PARAMETER}.
     */
    default Set<String> identityParameters() {
        return Set.of(Tenant.TYPE_PARAMETER, Tenant.ID_PARAMETER);
    }
}
