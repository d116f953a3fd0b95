package dev.oauthlet.spi;

import dev.oauthlet.user.UserAccount;
import java.util.Optional;

/** The built-in user store behind the default {@link dev.oauthlet.user.UserAuthenticator}. */
public interface UserStore {

    Optional<UserAccount> findByUsername(String username);

    /** Inserts or replaces the user with this username. */
    void save(UserAccount user);
}
