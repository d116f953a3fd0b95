package dev.oauthlet.user;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A user of the built-in user store.
 *
 * @param username     the login name
 * @param passwordHash the password as a {@link dev.oauthlet.crypto.SecretHasher} hash
 * @param tenants      the tenants the user may act for; empty means the user has no tenant
 * @param claims       extra claims copied into the user's access tokens
 */
public record UserAccount(String username, String passwordHash, List<Tenant> tenants, Map<String, String> claims) {
    public UserAccount {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        tenants = List.copyOf(tenants);
        claims = Map.copyOf(claims);
    }
}
