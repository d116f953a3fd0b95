package dev.oauthlet.spi;

import dev.oauthlet.user.UserAccount;
import java.util.List;
import java.util.Optional;

/** The built-in user store behind the default {@link dev.oauthlet.user.UserAuthenticator}. */
public interface UserStore {

    Optional<UserAccount> findByUsername(String username);

    /**
     * The user whose {@link UserAccount#subject()} this is (the userinfo endpoint knows only a token's {@code sub}).
     * The default scans {@link #findAll()}; a store with many users answers it with an index.
     */
    default Optional<UserAccount> findBySubject(String subject) {
        return findAll().stream().filter(u -> u.subject().equals(subject)).findFirst();
    }

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
