package dev.oauthlet.user;

import java.util.Map;
import java.util.Objects;

/**
 * What a password grant or a login form presents.
 *
 * @param username   the username
 * @param password   the password
 * @param attributes further request parameters an authenticator may consult, such as {@code tenantType} and {@code tenantId}
 */
public record UserCredentials(String username, String password, Map<String, String> attributes) {
    public UserCredentials {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(password, "password");
        attributes = Map.copyOf(attributes);
    }

    @Override
    public String toString() {
        return "UserCredentials[username=" + username + ", password=***, attributes=" + attributes.keySet() + "]";
    }
}
