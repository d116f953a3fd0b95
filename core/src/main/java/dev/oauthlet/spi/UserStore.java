package dev.oauthlet.spi;

import dev.oauthlet.user.UserAccount;
import java.util.List;
import java.util.Optional;

/** The built-in user store behind the default {@link dev.oauthlet.user.UserAuthenticator}. */
public interface UserStore {

    Optional<UserAccount> findByUsername(String username);

    /** Every user, ordered by username. */
    List<UserAccount> findAll();

    /** Inserts or replaces the user with this username. */
    void save(UserAccount user);

    /**
     * Removes the user with this username, its tenants and claims. Its tokens are the caller's to
     * revoke ({@link RefreshTokenStore#revokeSubject}).
     *
     * @return {@code true} if there was such a user
     */
    boolean delete(String username);
}
