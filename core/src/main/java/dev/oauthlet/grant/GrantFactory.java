package dev.oauthlet.grant;

import dev.oauthlet.spi.Storage;
import dev.oauthlet.user.UserAuthenticator;
import java.time.Clock;

/**
 * Makes a grant that needs the server's store or user authenticator, for grants found by
 * {@link java.util.ServiceLoader} (list the factory in
 * {@code META-INF/services/dev.oauthlet.grant.GrantFactory}, or {@code provides} it in a module).
 * The configuration is read before any store is open, so the factory names its grant type itself.
 */
public interface GrantFactory {

    /** The {@code grant_type} the grant it makes answers. */
    String grantType();

    /** The grant, given what the server has opened. */
    GrantHandler create(Services services);

    /**
     * What a grant may be given.
     *
     * @param storage the server's store
     * @param users   the server's user authenticator
     * @param clock   the server's clock
     */
    record Services(Storage storage, UserAuthenticator users, Clock clock) {
    }
}
